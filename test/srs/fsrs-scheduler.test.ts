import { describe, expect, it } from 'vitest';
import {
  isDue,
  FsrsScheduler,
  toFsrsCard,
  toSrsState,
  type Rating,
  type SrsState,
} from '../../src/srs/fsrs-scheduler.js';

const t0 = new Date('2026-03-02T09:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const dueMs = (s: SrsState) => Date.parse(s.due);

describe('FsrsScheduler', () => {
  const scheduler = new FsrsScheduler();

  it('makes a new card that is due at once and never reviewed', () => {
    const state = scheduler.initial(t0);
    expect(state).toMatchObject({ phase: 'new', due: t0.toISOString(), reps: 0, lapses: 0, lastReview: null });
    expect(isDue(state, t0)).toBe(true);
  });

  it('orders the ratings of a new card: Again < Hard < Good < Easy', () => {
    const preview = scheduler.preview(scheduler.initial(t0), t0);
    const due = ([1, 2, 3, 4] as Rating[]).map((r) => dueMs(preview[r].next));
    expect(due[0]).toBeLessThan(due[1]!);
    expect(due[1]).toBeLessThan(due[2]!);
    expect(due[2]).toBeLessThan(due[3]!);
    expect([preview[1].interval, preview[3].interval]).toEqual(['1m', '10m']);
  });

  it('orders the ratings of a card in review: Again < Hard < Good < Easy, in days for the passing ones', () => {
    let state = scheduler.rate(scheduler.initial(t0), 3, t0);
    state = scheduler.rate(state, 3, new Date(state.due));
    expect(state.phase).toBe('review');
    const at = new Date(state.due);
    const preview = scheduler.preview(state, at);
    const due = ([1, 2, 3, 4] as Rating[]).map((r) => dueMs(preview[r].next));
    expect(due).toEqual([...due].sort((a, b) => a - b));
    expect(new Set(due).size).toBe(4);
    expect(preview[3].interval).toMatch(/^\d+d$/);
    expect(preview[1].next.phase).toBe('relearning');
    expect(preview[1].next.lapses).toBe(1);
  });

  it('preview gives exactly what rate would', () => {
    const state = scheduler.rate(scheduler.initial(t0), 2, t0);
    const preview = scheduler.preview(state, minutes(30));
    for (const r of [1, 2, 3, 4] as Rating[]) expect(preview[r].next).toEqual(scheduler.rate(state, r, minutes(30)));
  });

  it('is deterministic: the same answers on the same clock give the same states', () => {
    const run = () => {
      let state = scheduler.initial(t0);
      const states: SrsState[] = [];
      for (const [rating, at] of [
        [3, 0],
        [3, 10],
        [2, 3000],
        [1, 9000],
        [4, 9020],
      ] as const) {
        state = scheduler.rate(state, rating, minutes(at));
        states.push(state);
      }
      return states;
    };
    expect(run()).toEqual(run());
  });

  it('a higher desired retention schedules sooner', () => {
    const reviewed = (s: FsrsScheduler) => {
      const learnt = s.rate(s.initial(t0), 4, t0);
      return dueMs(s.rate(learnt, 3, new Date(learnt.due)));
    };
    expect(reviewed(new FsrsScheduler({ desiredRetention: 0.97 }))).toBeLessThan(
      reviewed(new FsrsScheduler({ desiredRetention: 0.8 })),
    );
  });

  it.each([0, 1, 1.5, Number.NaN])('rejects a desired retention of %s', (retention) => {
    expect(() => new FsrsScheduler({ desiredRetention: retention })).toThrow(/desired retention/);
  });

  it('round-trips a state through the ts-fsrs card unchanged (JSON-safe snapshot)', () => {
    const state = scheduler.rate(scheduler.rate(scheduler.initial(t0), 3, t0), 3, minutes(10));
    expect(toSrsState(toFsrsCard(state))).toEqual(state);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('isDue compares the due time with the clock, inclusive', () => {
    const state = scheduler.rate(scheduler.initial(t0), 3, t0); // due in 10 minutes
    expect([isDue(state, minutes(9)), isDue(state, minutes(10)), isDue(state, minutes(11))]).toEqual([
      false,
      true,
      true,
    ]);
  });
});
