import { describe, expect, it } from 'vitest';
import { countToday, planSession, type PlanRequest } from '../../src/quiz/session-plan.js';
import type { CardProgress } from '../../src/srs/deck-state.js';
import { FsrsScheduler, type SrsState } from '../../src/srs/fsrs-scheduler.js';
import type { ReviewEvent } from '../../src/store/review-log.js';
import { FIXED_NOW, fixtureCards } from './quiz-fixtures.js';

const scheduler = new FsrsScheduler();
const days = (n: number) => new Date(FIXED_NOW.getTime() + n * 86_400_000);

function reviewState(due: Date): SrsState {
  return {
    ...scheduler.initial(days(-30)),
    phase: 'review',
    due: due.toISOString(),
    stability: 5,
    reps: 3,
    scheduledDays: 5,
    lastReview: days(-5).toISOString(),
  };
}

function progress(entries: Array<[string, Partial<CardProgress>]>): Map<string, CardProgress> {
  return new Map(
    entries.map(([cardId, p]) => [
      cardId,
      { cardId, state: null, suspended: false, buriedUntil: null, lastReviewId: null, ...p },
    ]),
  );
}

function request(overrides: Partial<PlanRequest>): PlanRequest {
  return {
    mode: 'scheduled',
    cards: fixtureCards(),
    progress: new Map(),
    events: [],
    now: FIXED_NOW,
    newPerDay: 10,
    reviewsPerDay: 200,
    ...overrides,
  };
}

function review(
  cardId: string,
  at: Date,
  before: SrsState | null,
  extra: Partial<Extract<ReviewEvent, { type: 'review' }>> = {},
): ReviewEvent {
  return {
    type: 'review',
    id: `${cardId}-${at.toISOString()}`,
    cardId,
    rating: 3,
    at: at.toISOString(),
    session: 's',
    cram: false,
    before,
    after: reviewState(days(3)),
    ...extra,
  };
}

describe('planSession', () => {
  // fixture ids in bank order: gap-isr, multi-durability, open-log, pick-acks, predict-rebalance
  it('puts due reviews first, earliest due first, then new cards in bank order', () => {
    const plan = planSession(
      request({
        progress: progress([
          ['pick-acks', { state: reviewState(days(-1)) }],
          ['open-log', { state: reviewState(days(-3)) }],
          ['gap-isr', { state: reviewState(days(2)) }], // not due yet
        ]),
      }),
    );
    expect(plan.main).toEqual(['open-log', 'pick-acks', 'multi-durability', 'predict-rebalance']);
  });

  it("holds new cards back by what is left of today's limit", () => {
    const todayNew = [review('gap-isr', days(0), null), review('open-log', days(0), null)];
    const plan = planSession(
      request({
        newPerDay: 3,
        events: todayNew,
        progress: progress([
          ['gap-isr', { state: reviewState(days(3)) }],
          ['open-log', { state: reviewState(days(3)) }],
        ]),
      }),
    );
    expect(plan.main).toEqual(['multi-durability']);
    expect(plan.newHeldBack).toBe(2); // pick-acks and predict-rebalance wait
  });

  it('--new overrides the daily limit and --limit caps the whole session', () => {
    expect(planSession(request({ newPerDay: 1, newOverride: 4 })).main).toHaveLength(4);
    expect(planSession(request({ limit: 2 })).main).toEqual(['gap-isr', 'multi-durability']);
  });

  it('leaves out suspended cards and cards buried past now', () => {
    const plan = planSession(
      request({
        progress: progress([
          ['gap-isr', { suspended: true }],
          ['open-log', { buriedUntil: days(1).toISOString() }],
          ['pick-acks', { buriedUntil: days(-1).toISOString() }], // burial over
        ]),
      }),
    );
    expect(plan.main).toEqual(['multi-durability', 'pick-acks', 'predict-rebalance']);
  });

  it('brings back learning cards due within the learn-ahead window, outside any limit', () => {
    const learning = { ...reviewState(new Date(FIXED_NOW.getTime() + 5 * 60_000)), phase: 'learning' as const };
    const plan = planSession(request({ newPerDay: 0, progress: progress([['open-log', { state: learning }]]) }));
    expect(plan.main).toEqual([]);
    expect(plan.learning).toEqual([{ cardId: 'open-log', due: new Date(learning.due) }]);
  });

  it('--card takes exactly the named cards in order, whatever their state', () => {
    const cards = fixtureCards();
    const named = [cards[4]!, cards[0]!];
    const plan = planSession(
      request({
        mode: 'cards',
        cards: named,
        newPerDay: 0,
        progress: progress([['gap-isr', { suspended: true, state: reviewState(days(9)) }]]),
      }),
    );
    expect(plan.main).toEqual(['predict-rebalance', 'gap-isr']);
  });

  it('--cram takes every chosen card regardless of due dates', () => {
    const plan = planSession(
      request({ mode: 'cram', newPerDay: 0, progress: progress([['gap-isr', { state: reviewState(days(9)) }]]) }),
    );
    expect(plan.main).toHaveLength(5);
  });
});

describe('countToday', () => {
  it('counts new cards once and reviews since 04:00, ignoring cram, undone and yesterday', () => {
    const events: ReviewEvent[] = [
      review('gap-isr', days(-1), null), // yesterday
      review('open-log', days(0), null),
      review('open-log', days(0), { ...reviewState(days(0)), phase: 'learning' }), // a step, not a new card
      review('pick-acks', days(0), null, { id: 'undone' }),
      { type: 'undo', id: 'u', undoes: 'undone', at: days(0).toISOString(), session: 's' },
      review('multi-durability', days(0), null, { cram: true }),
      review('predict-rebalance', days(0), reviewState(days(0))),
    ];
    expect(countToday(events, FIXED_NOW)).toEqual({ newCards: 1, reviews: 1 });
  });
});
