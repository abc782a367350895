import { Box, Text } from 'ink';

/** The `?` screen: every key of the quiz, in one place. */
const KEYS: ReadonlyArray<[string, string]> = [
  ['Space / Enter', 'reveal the answer of an open card (Space on a predict card: reveal without guessing)'],
  ['↑ ↓ or a–z', 'move to / pick a choice (multi: letters or Space mark, Enter submits)'],
  ['typing, Enter', 'answer a gap card (Esc gives up)'],
  ['1 2 3 4', 'rate Again / Hard / Good / Easy (the interval is shown beside each)'],
  ['Enter', 'take the suggested rating after grading'],
  ['↑ ↓ PgUp PgDn', 'scroll a long answer'],
  ['u', 'undo the last rating'],
  ['b', 'bury the card until tomorrow (04:00)'],
  ['s', 'suspend the card'],
  ['d', "run the card's demo"],
  ['l', 'switch language 中文 / English'],
  ['?', 'close this help'],
  ['q', 'quit with a session summary'],
  ['B D S U L Q', 'the same commands in upper case: before a pick, a lower-case letter naming a choice picks it'],
];

export function HelpPanel({ color }: { color: boolean }) {
  return (
    <Box flexDirection="column">
      <Text bold={color}>Keys</Text>
      {KEYS.map(([key, what]) => (
        <Text key={key}>{`  ${key.padEnd(15)} ${what}`}</Text>
      ))}
    </Box>
  );
}
