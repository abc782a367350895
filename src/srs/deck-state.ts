import type { ReviewEvent } from './review-event.js';
import type { SrsState } from './scheduler.js';

/** What the log says about one card now. */
export interface CardProgress {
  cardId: string;
  /** The state after the card's latest scheduled review; null = never reviewed (a new card). */
  state: SrsState | null;
  suspended: boolean;
  /** The card is hidden until this ISO time (compare with the clock: a past time means no longer buried). */
  buriedUntil: string | null;
  /** The latest review of the card still in effect (cram included), e.g. for "undo last answer". */
  lastReviewId: string | null;
}

/** The ids of events cancelled by an undo. An undo of an undo has no effect: there is no redo. */
export function undoneIds(events: readonly ReviewEvent[]): Set<string> {
  const undone = new Set<string>();
  for (const event of events) if (event.type === 'undo') undone.add(event.undoes);
  return undone;
}

/**
 * Every card's progress, derived by replaying the log; cards that left the bank keep theirs, and a card with
 * no event in effect is absent (treat it as new: state null, not suspended, not buried). The state is
 * the `after` snapshot of the latest review in effect, not recomputed: history stays as it was scheduled
 * even if the desired retention changes later. An undo cancels the event it names wherever it stands, and
 * a cram review never changes the state.
 *
 * Events apply in time order (`at`), ties in log order. A log is written in time order, but `kq import`
 * appends another machine's events at the end, and the newest review must win wherever it sits.
 */
export function replayLog(events: readonly ReviewEvent[]): Map<string, CardProgress> {
  const undone = undoneIds(events);
  const progress = new Map<string, CardProgress>();
  const of = (cardId: string): CardProgress => {
    let entry = progress.get(cardId);
    if (!entry) {
      entry = { cardId, state: null, suspended: false, buriedUntil: null, lastReviewId: null };
      progress.set(cardId, entry);
    }
    return entry;
  };
  for (const event of inTimeOrder(events)) {
    if (event.type === 'undo' || undone.has(event.id)) continue;
    const card = of(event.cardId);
    switch (event.type) {
      case 'review':
        if (!event.cram) card.state = event.after;
        card.lastReviewId = event.id;
        break;
      case 'bury':
        card.buriedUntil = event.until;
        break;
      case 'suspend':
        card.suspended = true;
        break;
      case 'unsuspend':
        card.suspended = false;
        break;
    }
  }
  return progress;
}

/**
 * When a reviewed card will next be shown: its due time, or the end of its burial if later. Null for a card
 * never reviewed (new cards come by the daily new-card limit, not a due time) and for a suspended card.
 */
export function effectiveDue(progress: CardProgress | undefined): Date | null {
  if (!progress?.state || progress.suspended) return null;
  const due = Date.parse(progress.state.due);
  const buried = progress.buriedUntil === null ? 0 : Date.parse(progress.buriedUntil);
  return new Date(Math.max(due, buried));
}

/** The events sorted by time, stable; the common already-sorted log is returned as it is. */
export function inTimeOrder(events: readonly ReviewEvent[]): readonly ReviewEvent[] {
  const times = events.map((e) => Date.parse(e.at));
  let sorted = true;
  for (let i = 1; i < times.length && sorted; i++) sorted = times[i - 1]! <= times[i]!;
  if (sorted) return events;
  return events
    .map((event, index) => ({ event, index, time: times[index]! }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((x) => x.event);
}
