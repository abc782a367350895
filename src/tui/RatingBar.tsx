import { Text } from 'ink';
import { displayWidth } from '../text/text-table.js';
import type { UiText } from '../quiz/ui-text.js';
import { RATINGS, type Rating } from '../srs/scheduler.js';

/**
 * The four ratings with the interval each would give; the graded suggestion is bracketed (Enter takes it).
 * Kept to one row: when the full names (良好(Good)) would wrap at `width`, the short ones (良好) are used, as a
 * wrapped bar would push the frame past the rows the app budgets for it.
 */
export interface RatingBarProps {
  preview: Record<Rating, string> | null;
  suggested: Rating | null;
  text: UiText;
  width: number;
  color: boolean;
}

export function RatingBar({ preview, suggested, text, width, color }: RatingBarProps) {
  const items = (names: Record<Rating, string>) =>
    RATINGS.map((r) => {
      const label = `${r} ${names[r]}${preview ? ` ${preview[r]}` : ''}`;
      return { r, shown: `${suggested === r ? `[${label}]` : ` ${label} `}  ` };
    });
  const tail = suggested ? text.enterTakes(suggested) : '';
  const full = items(text.rating);
  const fits = displayWidth(full.map((i) => i.shown).join('') + tail) <= width;
  return (
    <Text>
      {(fits ? full : items(text.ratingShort)).map(({ r, shown }) => (
        <Text key={r} {...(color && suggested === r ? { color: 'green', bold: true } : {})}>
          {shown}
        </Text>
      ))}
      {tail ? <Text>{tail}</Text> : null}
    </Text>
  );
}
