import type { Card } from '../bank/load-bank.js';
import type { CardProgress } from '../srs/deck-state.js';
import { isDue } from '../srs/fsrs-scheduler.js';
import { studyDayStart } from '../srs/study-day.js';
import type { ReviewEvent } from '../store/review-log.js';
import { LEARN_AHEAD_MS, type LearningEntry } from './session-queue.js';

/**
 * Which cards a session starts with, decided once from the deck's replayed state and today's log:
 * - `scheduled` (plain `kq quiz`): cards in a learning step, due reviews (earliest first, up to the daily
 *   review limit), then new cards in bank order up to the daily new-card limit;
 * - `cards` (`--card`): exactly the named cards, in the order named, whatever their due dates and limits;
 * - `cram` (`--cram`): every chosen card regardless of due dates; the schedule is left untouched.
 * Suspended and buried cards are left out unless named with `--card`.
 */
export type SessionMode = 'scheduled' | 'cards' | 'cram';

export interface PlanRequest {
  mode: SessionMode;
  /** Candidate cards: the named ones in order for `--card`, else the tag-filtered bank in bank order. */
  cards: readonly Card[];
  progress: ReadonlyMap<string, CardProgress>;
  events: readonly ReviewEvent[];
  now: Date;
  newPerDay: number;
  reviewsPerDay: number;
  /** `--new N`: at most N new cards this session, instead of what is left of today's limit. */
  newOverride?: number;
  /** `--limit N`: at most N cards in the session's main line. */
  limit?: number;
}

export interface SessionPlan {
  main: string[];
  learning: LearningEntry[];
  /** New cards left out by today's limit, so the summary can say more are waiting. */
  newHeldBack: number;
}

export interface DayCounts {
  newCards: number;
  reviews: number;
}

/** New cards introduced and reviews done since today's 04:00, counting neither cram nor undone ratings. */
export function countToday(events: readonly ReviewEvent[], now: Date): DayCounts {
  const start = studyDayStart(now).getTime();
  const undone = new Set(events.flatMap((e) => (e.type === 'undo' ? [e.undoes] : [])));
  const firstSeen = new Set<string>();
  const counts: DayCounts = { newCards: 0, reviews: 0 };
  for (const e of events) {
    if (e.type !== 'review' || e.cram || undone.has(e.id) || Date.parse(e.at) < start) continue;
    if (e.before === null || e.before.phase === 'new') {
      // Again on a brand-new card brings it back within the day; it is still one new card.
      if (!firstSeen.has(e.cardId)) counts.newCards += 1;
      firstSeen.add(e.cardId);
    } else if (e.before.phase === 'review') {
      counts.reviews += 1;
    }
  }
  return counts;
}

export function planSession(request: PlanRequest): SessionPlan {
  const { mode, cards, progress, now } = request;
  const cap = (ids: string[]) => (request.limit === undefined ? ids : ids.slice(0, request.limit));
  if (mode === 'cards') return { main: cap(cards.map((c) => c.meta.id)), learning: [], newHeldBack: 0 };

  const available = cards.filter((c) => {
    const p = progress.get(c.meta.id);
    return !p || (!p.suspended && (p.buriedUntil === null || Date.parse(p.buriedUntil) <= now.getTime()));
  });
  if (mode === 'cram') return { main: cap(available.map((c) => c.meta.id)), learning: [], newHeldBack: 0 };

  const today = countToday(request.events, now);
  const learning: LearningEntry[] = [];
  const reviews: Array<{ id: string; due: number }> = [];
  const fresh: string[] = [];
  for (const card of available) {
    const state = progress.get(card.meta.id)?.state ?? null;
    if (state === null || state.phase === 'new') fresh.push(card.meta.id);
    else if (state.phase === 'learning' || state.phase === 'relearning') {
      // Learning cards are never held back by a limit: leaving a step half-done wastes the learner's work.
      if (Date.parse(state.due) - now.getTime() <= LEARN_AHEAD_MS)
        learning.push({ cardId: card.meta.id, due: new Date(state.due) });
    } else if (isDue(state, now)) reviews.push({ id: card.meta.id, due: Date.parse(state.due) });
  }
  reviews.sort((a, b) => a.due - b.due);
  const reviewRoom = Math.max(0, request.reviewsPerDay - today.reviews);
  const newRoom = request.newOverride ?? Math.max(0, request.newPerDay - today.newCards);
  const main = cap([...reviews.slice(0, reviewRoom).map((r) => r.id), ...fresh.slice(0, newRoom)]);
  return { main, learning, newHeldBack: Math.max(0, fresh.length - newRoom) };
}
