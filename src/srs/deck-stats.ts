import type { ReviewEvent } from './review-event.js';
import { effectiveDue, inTimeOrder, replayLog, undoneIds, type CardProgress } from './deck-state.js';
import { CARD_PHASES, type CardPhase } from './scheduler.js';
import { studyDayKey, studyDayStart, studyDayStartAfter } from './study-day.js';

/** What `kq stats` reports; also the JSON contract of `kq stats --json`. */
export interface DeckStats {
  /** Reviews answered (cram included, undone excluded): in the current study day, and ever. */
  reviews: { today: number; total: number };
  /** True retention over all due reviews (see isDueReview), 0–1; null with no due review yet. */
  retention: number | null;
  /** Reviewed cards coming due: today (overdue included) and per study day for 14 days from today. */
  due: { today: number; forecast: Array<{ date: string; count: number }> };
  /** The bank's cards by phase; a card never reviewed is new. Suspended cards count in their phase. */
  states: Record<CardPhase, number>;
  /** The bank's cards hidden from the quiz now: suspended (until unsuspended), buried (until a time). */
  hidden: { suspended: number; buried: number };
  tags: Record<string, TagStats>;
}

/** Mastery of one tag's cards. */
export interface TagStats {
  cards: number;
  /** Cards reviewed at least once. */
  reviewed: number;
  /** Cards FSRS expects to remember for three weeks or more (stability ≥ 21 days). */
  mature: number;
  /** True retention over the due reviews of the tag's cards; null with none. */
  retention: number | null;
}

/** The part of a bank card the statistics need, so this module stays free of the bank's format. */
export interface StatsCard {
  id: string;
  tags: readonly string[];
}

export const FORECAST_DAYS = 14;
export const MATURE_STABILITY_DAYS = 21;

type Review = Extract<ReviewEvent, { type: 'review' }>;

/**
 * A due review is what true retention is measured on: a scheduled (not cram) answer to a card that had
 * graduated — phase review or relearning before the answer — and whose due time had come (due ≤ answer
 * time). Answers to new and learning cards are excluded: they are being learnt, not recalled; so are early
 * answers, which say nothing about the interval FSRS chose. Its recall failed if it was rated Again.
 */
export function isDueReview(review: Review): boolean {
  const before = review.before;
  if (review.cram || before === null) return false;
  if (before.phase !== 'review' && before.phase !== 'relearning') return false;
  return Date.parse(before.due) <= Date.parse(review.at);
}

/** Share of due reviews not rated Again, or null when there is none. */
export function trueRetention(reviews: Iterable<Review>): number | null {
  let due = 0;
  let passed = 0;
  for (const review of reviews) {
    if (!isDueReview(review)) continue;
    due++;
    if (review.rating !== 1) passed++;
  }
  return due === 0 ? null : passed / due;
}

/** The study-day statistics of the bank's cards at `now`, from the review log. */
export function deckStats(events: readonly ReviewEvent[], cards: readonly StatsCard[], now: Date): DeckStats {
  const undone = undoneIds(events);
  const reviews = inTimeOrder(events).filter((e): e is Review => e.type === 'review' && !undone.has(e.id));
  const progress = replayLog(events);

  const todayStart = studyDayStart(now).getTime();
  const tomorrowStart = studyDayStartAfter(now, 1).getTime();
  const today = reviews.filter((r) => {
    const at = Date.parse(r.at);
    return at >= todayStart && at < tomorrowStart;
  }).length;

  const forecast = dueForecast(
    cards.map((c) => progress.get(c.id)),
    now,
  );

  const states = Object.fromEntries(CARD_PHASES.map((p) => [p, 0])) as Record<CardPhase, number>;
  for (const card of cards) states[progress.get(card.id)?.state?.phase ?? 'new']++;
  const hidden = { suspended: 0, buried: 0 };
  for (const card of cards) {
    const p = progress.get(card.id);
    if (p?.suspended) hidden.suspended++;
    else if (p?.buriedUntil && Date.parse(p.buriedUntil) > now.getTime()) hidden.buried++;
  }

  return {
    reviews: { today, total: reviews.length },
    retention: trueRetention(reviews),
    due: { today: forecast[0]!.count, forecast },
    states,
    hidden,
    tags: tagStats(cards, progress, reviews),
  };
}

/**
 * Reviewed, unsuspended cards per study day over the next FORECAST_DAYS, the first day holding everything
 * overdue. A buried card counts when its burial ends if that is later than its due time.
 */
function dueForecast(
  cards: ReadonlyArray<CardProgress | undefined>,
  now: Date,
): Array<{ date: string; count: number }> {
  const starts = Array.from({ length: FORECAST_DAYS + 1 }, (_, i) => studyDayStartAfter(now, i));
  const forecast = starts.slice(0, FORECAST_DAYS).map((start) => ({ date: studyDayKey(start), count: 0 }));
  for (const card of cards) {
    const dueDate = effectiveDue(card);
    if (dueDate === null) continue;
    const due = dueDate.getTime();
    const day = starts.findIndex((start) => due < start.getTime()) - 1;
    // day -1: due before today began (overdue) → today; not found: beyond the forecast
    if (due < starts[FORECAST_DAYS]!.getTime()) forecast[Math.max(0, day)]!.count++;
  }
  return forecast;
}

function tagStats(
  cards: readonly StatsCard[],
  progress: Map<string, CardProgress>,
  reviews: readonly Review[],
): Record<string, TagStats> {
  const reviewsOf = new Map<string, Review[]>();
  for (const review of reviews) {
    const list = reviewsOf.get(review.cardId);
    if (list) list.push(review);
    else reviewsOf.set(review.cardId, [review]);
  }
  const tags: Record<string, TagStats> = {};
  const tagNames = [...new Set(cards.flatMap((c) => c.tags))].sort();
  for (const tag of tagNames) {
    const tagged = cards.filter((c) => c.tags.includes(tag));
    const states = tagged.map((c) => progress.get(c.id)?.state ?? null);
    tags[tag] = {
      cards: tagged.length,
      reviewed: states.filter((s) => s !== null).length,
      mature: states.filter((s) => s !== null && s.stability >= MATURE_STABILITY_DAYS).length,
      retention: trueRetention(tagged.flatMap((c) => reviewsOf.get(c.id) ?? [])),
    };
  }
  return tags;
}
