import { closest } from '../broker/utils/closest.js';

/** "did you mean x or y?" text, or a list of every valid choice when none is close. */
export function suggestion(typed: string, choices: readonly string[]): string {
  const near = closest(typed, choices);
  if (near.length > 0) return `did you mean ${near.join(', ')}?`;
  const limit = 30;
  const shown = choices.slice(0, limit).join(', ');
  return `valid: ${shown}${choices.length > limit ? `, … (${choices.length} in all; see kq list)` : ''}`;
}
