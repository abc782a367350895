import type { Card } from '../bank/load-bank.js';
import type { NewCardOrder } from '../store/settings.js';

/**
 * The order new cards are introduced in. `curriculum` puts basics first: lower difficulty first, and within a
 * difficulty the order of the seed interview bank the cards were written from (its first question, "Apache
 * Kafka是什么", comes first), then the id. `alphabetical` keeps the bank's order (by id). Due reviews and
 * learning steps are ordered by due time whatever this says (session-plan.ts).
 */
export function orderNewCards(cards: readonly Card[], order: NewCardOrder, seedHeadings: readonly string[]): Card[] {
  if (order === 'alphabetical') return [...cards].sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  const position = new Map(seedHeadings.map((heading, i) => [heading, i]));
  const seedRank = (card: Card) => Math.min(...card.meta.seed.map((h) => position.get(h) ?? Number.MAX_SAFE_INTEGER));
  return [...cards].sort(
    (a, b) => a.meta.difficulty - b.meta.difficulty || seedRank(a) - seedRank(b) || a.meta.id.localeCompare(b.meta.id),
  );
}
