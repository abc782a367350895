import { createEmptyCard, fsrs, State, type Card, type FSRS } from 'ts-fsrs';
import { formatInterval } from './interval.js';

/**
 * The spaced-repetition schedule, delegated to ts-fsrs (FSRS-6): kq never computes an interval itself.
 * This module only converts between ts-fsrs's Card (Dates, a numeric State enum) and SrsState, a JSON-safe
 * snapshot that the review log stores before and after every rating, so a card's state can be replayed
 * from the log without re-running the algorithm (a later change of desired retention never rewrites history).
 */

export type Rating = 1 | 2 | 3 | 4; // Again, Hard, Good, Easy — the same numbers as ts-fsrs's Rating enum
export const RATINGS: readonly Rating[] = [1, 2, 3, 4];

export type CardPhase = 'new' | 'learning' | 'review' | 'relearning';
export const CARD_PHASES: readonly CardPhase[] = ['new', 'learning', 'review', 'relearning'];

/** A ts-fsrs Card as plain JSON: dates are ISO strings, the state enum is a word. */
export interface SrsState {
  phase: CardPhase;
  due: string;
  stability: number;
  difficulty: number;
  elapsedDays: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  lastReview: string | null;
}

export interface SchedulerSettings {
  /** The probability of recall FSRS aims for when it picks the next interval (0.9 = 90 %). */
  desiredRetention: number;
}

export const DEFAULT_SCHEDULER_SETTINGS: SchedulerSettings = { desiredRetention: 0.9 };

const PHASE_OF_STATE: Record<State, CardPhase> = {
  [State.New]: 'new',
  [State.Learning]: 'learning',
  [State.Review]: 'review',
  [State.Relearning]: 'relearning',
};
const STATE_OF_PHASE: Record<CardPhase, State> = {
  new: State.New,
  learning: State.Learning,
  review: State.Review,
  relearning: State.Relearning,
};

export function toSrsState(card: Card): SrsState {
  return {
    phase: PHASE_OF_STATE[card.state],
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    lastReview: card.last_review ? card.last_review.toISOString() : null,
  };
}

export function toFsrsCard(state: SrsState): Card {
  const card: Card = {
    state: STATE_OF_PHASE[state.phase],
    due: new Date(state.due),
    stability: state.stability,
    difficulty: state.difficulty,
    elapsed_days: state.elapsedDays,
    scheduled_days: state.scheduledDays,
    learning_steps: state.learningSteps,
    reps: state.reps,
    lapses: state.lapses,
  };
  if (state.lastReview !== null) card.last_review = new Date(state.lastReview);
  return card;
}

/**
 * One FSRS instance with kq's settings. Fuzz is off: the same answers on the same clock always give the
 * same schedule, which keeps tests exact and lets a learner trust that replaying the log is faithful.
 * Stateless apart from its settings, so one instance may be shared freely.
 */
export class Scheduler {
  readonly settings: SchedulerSettings;
  private readonly fsrs: FSRS;

  constructor(settings: Partial<SchedulerSettings> = {}) {
    this.settings = { ...DEFAULT_SCHEDULER_SETTINGS, ...settings };
    const retention = this.settings.desiredRetention;
    if (!(retention > 0 && retention < 1)) {
      throw new RangeError(`desired retention must be between 0 and 1 (exclusive), got ${retention}`);
    }
    this.fsrs = fsrs({ request_retention: retention, enable_fuzz: false });
  }

  /** The state of a card never reviewed: phase 'new', due now. */
  initial(now: Date): SrsState {
    return toSrsState(createEmptyCard(now));
  }

  /** What each rating would do, with the interval to show on its button ("10m", "3d"). */
  preview(state: SrsState, now: Date): Record<Rating, { next: SrsState; interval: string }> {
    const entry = (rating: Rating) => {
      const next = this.rate(state, rating, now);
      return { next, interval: formatInterval(Date.parse(next.due) - now.getTime()) };
    };
    return { 1: entry(1), 2: entry(2), 3: entry(3), 4: entry(4) };
  }

  rate(state: SrsState, rating: Rating, now: Date): SrsState {
    return toSrsState(this.fsrs.next(toFsrsCard(state), now, rating).card);
  }
}

/** Whether the card should be shown now (a new card is due from the moment it exists). */
export function isDue(state: SrsState, now: Date): boolean {
  return Date.parse(state.due) <= now.getTime();
}
