import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayLog } from '../../src/srs/deck-state.js';
import { FsrsScheduler, type Rating, type SrsState } from '../../src/srs/fsrs-scheduler.js';
import { LogBuilder } from '../support/log-builder.js';

const t = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 9, 0) + minutes * 60_000);

describe('replayLog', () => {
  it('gives the same state as the live sequence of ratings', () => {
    const scheduler = new FsrsScheduler();
    const b = new LogBuilder(scheduler);
    let live = scheduler.initial(t(0));
    const answers: Array<[Rating, number]> = [
      [3, 0],
      [3, 10],
      [1, 3000],
      [2, 3010],
      [3, 3030],
      [4, 12000],
    ];
    for (const [rating, at] of answers) {
      live = scheduler.rate(live, rating, t(at));
      b.review('a', rating, t(at));
      expect(replayLog(b.events).get('a')!.state).toEqual(live);
    }
  });

  it('an undo cancels the review it names: the state goes back to the one before it', () => {
    const b = new LogBuilder();
    b.review('a', 3, t(0));
    const second = b.review('a', 3, t(10));
    const kept = replayLog(b.events).get('a')!;
    b.review('b', 3, t(11));
    const wrong = b.review('a', 1, t(3000));
    b.undo(wrong, t(3001));
    expect(replayLog(b.events).get('a')).toEqual({ ...kept, lastReviewId: second.id });
    expect(replayLog(b.events).get('a')!.state).toEqual(second.after);
  });

  it('undoing a first review makes the card new again (absent from the map, like any card never reviewed)', () => {
    const b = new LogBuilder();
    b.undo(b.review('a', 3, t(0)), t(1));
    expect(replayLog(b.events).has('a')).toBe(false);
    b.suspend('a', t(2));
    expect(replayLog(b.events).get('a')).toMatchObject({ state: null, lastReviewId: null, suspended: true });
  });

  it('an undo of an undo has no effect', () => {
    const b = new LogBuilder();
    const review = b.review('a', 3, t(0));
    const undo = b.undo(review, t(1));
    b.events.push({ type: 'undo', id: 'x', undoes: undo.id, at: t(2).toISOString(), session: 's1' });
    expect(replayLog(b.events).has('a')).toBe(false);
  });

  it('a cram review never changes the state but is the last review', () => {
    const b = new LogBuilder();
    const real = b.review('a', 3, t(0));
    const cram = b.review('a', 1, t(5), { cram: true });
    expect(replayLog(b.events).get('a')).toMatchObject({ state: real.after, lastReviewId: cram.id });
    const b2 = new LogBuilder();
    b2.review('new-card', 4, t(0), { cram: true });
    expect(replayLog(b2.events).get('new-card')!.state).toBeNull();
  });

  it('tracks bury, suspend and unsuspend, and undo of each', () => {
    const b = new LogBuilder();
    b.review('a', 3, t(0));
    b.bury('a', t(1), t(1440));
    expect(replayLog(b.events).get('a')).toMatchObject({ buriedUntil: t(1440).toISOString(), suspended: false });
    const suspend = b.suspend('a', t(2));
    expect(replayLog(b.events).get('a')!.suspended).toBe(true);
    b.events.push({ type: 'undo', id: 'u', undoes: suspend.id, at: t(3).toISOString(), session: 's1' });
    expect(replayLog(b.events).get('a')!.suspended).toBe(false);
    b.suspend('a', t(4));
    b.unsuspend('a', t(5));
    expect(replayLog(b.events).get('a')!.suspended).toBe(false);
  });

  it('applies events in time order, so an imported older review does not override a newer one', () => {
    const b = new LogBuilder();
    const newer = b.review('a', 3, t(100));
    const older = { ...newer, id: 'old', at: t(0).toISOString(), after: { ...newer.after, stability: 0.5 } };
    expect(replayLog([newer, older]).get('a')).toMatchObject({ state: newer.after, lastReviewId: newer.id });
  });

  it('keeps the history of cards whatever their id (cards removed from the bank included)', () => {
    const b = new LogBuilder();
    b.review('gone-from-bank', 3, t(0));
    expect([...replayLog(b.events).keys()]).toEqual(['gone-from-bank']);
  });
});

describe('replayLog (property)', () => {
  it('equals the live state for any sequence of ratings, delays, crams and undos of the last answer', () => {
    const step = fc.record({
      rating: fc.constantFrom<Rating>(1, 2, 3, 4),
      delayMinutes: fc.integer({ min: 0, max: 60 * 24 * 60 }),
      action: fc.constantFrom('rate', 'rate', 'rate', 'cram', 'undo-last'),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const scheduler = new FsrsScheduler();
        const b = new LogBuilder(scheduler);
        let live: SrsState | null = null;
        let last: ReturnType<LogBuilder['review']> | null = null;
        let minute = 0;
        for (const { rating, delayMinutes, action } of steps) {
          minute += delayMinutes;
          if (action === 'undo-last') {
            if (last && !last.cram) live = last.before;
            if (last) b.undo(last, t(minute));
            last = null;
          } else if (action === 'cram') {
            last = b.review('a', rating, t(minute), { cram: true });
          } else {
            live = scheduler.rate(live ?? scheduler.initial(t(minute)), rating, t(minute));
            last = b.review('a', rating, t(minute));
          }
          expect(replayLog(b.events).get('a')?.state ?? null).toEqual(live);
        }
      }),
      { numRuns: 150 },
    );
  });
});
