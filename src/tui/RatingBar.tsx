import { Text } from 'ink';
import { RATINGS, type Rating } from '../srs/scheduler.js';
import { RATING_NAMES } from '../quiz/quiz-session.js';

/** The four ratings with the interval each would give; the graded suggestion is bracketed (Enter takes it). */
export interface RatingBarProps {
  preview: Record<Rating, string> | null;
  suggested: Rating | null;
  color: boolean;
}

export function RatingBar({ preview, suggested, color }: RatingBarProps) {
  return (
    <Text>
      {RATINGS.map((r) => {
        const label = `${r} ${RATING_NAMES[r]}${preview ? ` ${preview[r]}` : ''}`;
        const isSuggested = suggested === r;
        return (
          <Text key={r} {...(color && isSuggested ? { color: 'green', bold: true } : {})}>
            {isSuggested ? `[${label}]` : ` ${label} `}
            {'  '}
          </Text>
        );
      })}
      {suggested ? <Text>{`Enter takes ${suggested}`}</Text> : null}
    </Text>
  );
}
