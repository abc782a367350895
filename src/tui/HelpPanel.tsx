import { Box, Text } from 'ink';
import { displayWidth } from '../text/text-table.js';
import type { UiText } from '../quiz/ui-text.js';

/** The `?` screen: every key of the quiz, in one place, in the session's language. */
export function HelpPanel({ text, color }: { text: UiText; color: boolean }) {
  // pad by screen columns, not characters: a Chinese key label is twice as wide as it is long
  const pad = (key: string) => key + ' '.repeat(Math.max(1, 16 - displayWidth(key)));
  return (
    <Box flexDirection="column">
      <Text bold={color}>{text.helpTitle}</Text>
      {text.helpKeys.map(([key, what]) => (
        <Text key={key}>{`  ${pad(key)}${what}`}</Text>
      ))}
    </Box>
  );
}
