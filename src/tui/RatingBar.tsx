import { Text } from 'ink';
import type { UiText } from '../quiz/ui-text.js';
import { RATINGS, type Rating } from '../srs/scheduler.js';

/** The four ratings with the interval each would give; the graded suggestion is bracketed (Enter takes it). */
export interface RatingBarProps {
  preview: Record<Rating, string> | null;
  suggested: Rating | null;
  text: UiText;
  color: boolean;
}

export function RatingBar({ preview, suggested, text, color }: RatingBarProps) {
  return (
    <Text>
      {RATINGS.map((r) => {
        const label = `${r} ${text.rating[r]}${preview ? ` ${preview[r]}` : ''}`;
        const isSuggested = suggested === r;
        return (
          <Text key={r} {...(color && isSuggested ? { color: 'green', bold: true } : {})}>
            {isSuggested ? `[${label}]` : ` ${label} `}
            {'  '}
          </Text>
        );
      })}
      {suggested ? <Text>{text.enterTakes(suggested)}</Text> : null}
    </Text>
  );
}
