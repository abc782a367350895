import { Box, Text } from 'ink';
import type { UiText } from '../quiz/ui-text.js';
import type { CardLine, LineTone } from './card-lines.js';

/**
 * A window of the card's rows: `height` rows starting at `scroll`, with a one-row hint when more is above or
 * below. Draws only; the app owns the scroll position.
 */
export interface CardBodyProps {
  lines: readonly CardLine[];
  scroll: number;
  height: number;
  text: UiText;
  color: boolean;
}

const TONES: Record<LineTone, { color?: string; bold?: boolean; dimColor?: boolean }> = {
  title: { bold: true, color: 'cyan' },
  heading: { bold: true },
  text: {},
  cursor: { color: 'cyan', bold: true },
  picked: { color: 'cyan' },
  right: { color: 'green' },
  wrong: { color: 'red' },
  key: { color: 'yellow', bold: true },
};

export function CardBody({ lines, scroll, height, text, color }: CardBodyProps) {
  const visible = lines.slice(scroll, scroll + height);
  const below = lines.length - scroll - visible.length;
  return (
    <Box flexDirection="column">
      {visible.map((line, i) => (
        <Text key={i} wrap="truncate" {...(color ? TONES[line.tone] : {})}>
          {line.text === '' ? ' ' : line.text}
        </Text>
      ))}
      {scroll > 0 || below > 0 ? <Text dimColor={color}>{text.scrollHint(scroll, below)}</Text> : null}
    </Box>
  );
}
