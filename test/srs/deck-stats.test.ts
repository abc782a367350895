import { describe, expect, it } from 'vitest';
import { deckStats, FORECAST_DAYS, isDueReview } from '../../src/srs/deck-stats.js';
import { Scheduler, type SrsState } from '../../src/srs/scheduler.js';
import type { ReviewEvent } from '../../src/srs/review-event.js';
import { LogBuilder } from '../support/log-builder.js';

// local times, so study days (04:00 local) fall the same in any time zone
const at = (day: number, hour: number, minute = 0) => new Date(2026, 2, day, hour, minute);
const NOW = at(10, 15);
const cards = [
  { id: 'a', tags: ['basics', 'producer'] },
  { id: 'b', tags: ['basics'] },
  { id: 'c', tags: ['consumer'] },
  { id: 'd', tags: ['consumer'] },
];

/** Card `id` learnt (Good, Good) on day 1 so it is in review phase, due some days later. */
function graduated(b: LogBuilder, id: string) {
  b.review(id, 3, at(1, 9));
  return b.review(id, 3, at(1, 9, 10));
}

describe('deckStats', () => {
  it('reports an empty log as all new, no reviews, retention null and a 14-day forecast of zeros', () => {
    const stats = deckStats([], cards, NOW);
    expect(stats.reviews).toEqual({ today: 0, total: 0 });
    expect(stats.retention).toBeNull();
    expect(stats.states).toEqual({ new: 4, learning: 0, review: 0, relearning: 0 });
    expect(stats.due.today).toBe(0);
    expect(stats.due.forecast).toHaveLength(FORECAST_DAYS);
    expect(stats.due.forecast[0]).toEqual({ date: '2026-03-10', count: 0 });
    expect(stats.due.forecast[13]).toEqual({ date: '2026-03-23', count: 0 });
    expect(stats.tags.consumer).toEqual({ cards: 2, reviewed: 0, mature: 0, retention: null });
  });

  it('counts reviews today from 04:00 and in total, cram included, undone excluded', () => {
    const b = new LogBuilder();
    b.review('a', 3, at(9, 12)); // yesterday
    b.review('b', 3, at(10, 3, 59)); // before 04:00: still yesterday's study day
    b.review('c', 3, at(10, 4)); // today
    b.review('d', 1, at(10, 9), { cram: true }); // today, cram
    b.undo(b.review('c', 3, at(10, 10)), at(10, 10, 1)); // today, undone
    b.review('gone', 3, at(10, 11)); // today, card no longer in the bank
    expect(deckStats(b.events, cards, NOW).reviews).toEqual({ today: 3, total: 5 });
  });

  it('measures true retention on due reviews of graduated cards only', () => {
    const b = new LogBuilder();
    const a = graduated(b, 'a'); // learning answers: not counted
    const bCard = graduated(b, 'b');
    const aDue = new Date(a.after.due);
    b.review('a', 1, aDue); // due review, failed → relearning
    b.review('a', 3, new Date(b.state('a')!.due)); // due relearning review, passed
    b.review('b', 3, new Date(Date.parse(bCard.after.due) - 3_600_000)); // early: not counted
    b.review('b', 4, new Date(b.state('b')!.due)); // due review, passed
    b.review('b', 1, new Date(b.state('b')!.due), { cram: true }); // cram: not counted
    const failedThenUndone = b.review('b', 1, new Date(Date.parse(b.state('b')!.due) + 1000));
    b.undo(failedThenUndone, new Date(Date.parse(failedThenUndone.at) + 1000));
    const late = new Date(Date.parse(b.state('b')!.due) + 86_400_000);
    const stats = deckStats(b.events, cards, late);
    expect(stats.retention).toBeCloseTo(2 / 3);
    expect(stats.tags.basics!.retention).toBeCloseTo(2 / 3);
    expect(stats.tags.producer!.retention).toBeCloseTo(1 / 2);
    expect(stats.tags.consumer!.retention).toBeNull();
  });

  it('counts the bank cards by phase, and the tags by cards reviewed and mature', () => {
    const b = new LogBuilder();
    b.review('a', 3, at(10, 9)); // learning
    graduated(b, 'b'); // review
    const c = graduated(b, 'c');
    b.review('c', 1, new Date(c.after.due)); // relearning
    b.review('gone', 3, at(10, 9)); // not in the bank: not counted in states
    const stats = deckStats(b.events, cards, NOW);
    expect(stats.states).toEqual({ new: 1, learning: 1, review: 1, relearning: 1 });
    expect(stats.tags.basics).toMatchObject({ cards: 2, reviewed: 2, mature: 0 });

    // a card answered Easy again and again grows past 21 days of stability
    const m = new LogBuilder();
    m.review('d', 4, at(1, 9));
    while (m.state('d')!.stability < 21) m.review('d', 4, new Date(m.state('d')!.due));
    expect(deckStats(m.events, cards, NOW).tags.consumer).toMatchObject({ cards: 2, reviewed: 1, mature: 1 });
  });

  it('forecasts reviewed cards by study day: overdue counts today, suspended never, buried when the burial ends', () => {
    const b = new LogBuilder();
    const states: Record<string, SrsState> = {};
    // hand-set due times, replayed as the `after` of a review
    const dueAt = (id: string, due: Date) => {
      const s = new Scheduler().initial(at(1, 9));
      states[id] = { ...s, phase: 'review', due: due.toISOString(), stability: 5 };
      b.events.push({
        type: 'review',
        id: `r-${id}`,
        cardId: id,
        rating: 3,
        at: at(1, 9).toISOString(),
        session: 's',
        cram: false,
        before: null,
        after: states[id],
      });
    };
    dueAt('a', at(2, 9)); // overdue → today
    dueAt('b', at(11, 3)); // before 04:00 tomorrow → today
    dueAt('c', at(12, 9)); // in 2 days
    dueAt('d', at(25, 9)); // beyond 14 days
    dueAt('gone', at(10, 9)); // not in the bank
    expect(deckStats(b.events, cards, NOW).due.forecast.map((d) => d.count)).toEqual([
      2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);

    b.bury('a', at(10, 15), at(11, 4));
    b.suspend('c', at(10, 15));
    const stats = deckStats(b.events, cards, NOW);
    expect(stats.due.today).toBe(1);
    expect(stats.due.forecast.slice(0, 3)).toEqual([
      { date: '2026-03-10', count: 1 },
      { date: '2026-03-11', count: 1 },
      { date: '2026-03-12', count: 0 },
    ]);
  });
});

describe('isDueReview', () => {
  const s = new Scheduler();
  const base = s.initial(at(1, 9));
  const review = (
    before: SrsState | null,
    options: { cram?: boolean; early?: boolean } = {},
  ): Extract<ReviewEvent, { type: 'review' }> => ({
    type: 'review',
    id: 'x',
    cardId: 'a',
    rating: 1,
    at: (options.early ? at(1, 8) : at(2, 9)).toISOString(),
    session: 's',
    cram: options.cram ?? false,
    before,
    after: base,
  });
  it.each([
    ['a first answer', review(null), false],
    ['a new card', review({ ...base, phase: 'new' }), false],
    ['a learning card', review({ ...base, phase: 'learning' }), false],
    ['a review card, due', review({ ...base, phase: 'review' }), true],
    ['a relearning card, due', review({ ...base, phase: 'relearning' }), true],
    ['a review card answered before it was due', review({ ...base, phase: 'review' }, { early: true }), false],
    ['a cram answer to a due review card', review({ ...base, phase: 'review' }, { cram: true }), false],
  ])('%s → %s', (_name, event, expected) => {
    expect(isDueReview(event)).toBe(expected);
  });
});
