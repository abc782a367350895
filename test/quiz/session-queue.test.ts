import { describe, expect, it } from 'vitest';
import { LEARN_AHEAD_MS, SessionQueue } from '../../src/quiz/session-queue.js';

const t0 = new Date('2026-11-29T10:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe('SessionQueue', () => {
  it('shows the main line in order', () => {
    const queue = new SessionQueue(['a', 'b']);
    expect([queue.next(t0), queue.next(t0), queue.next(t0)]).toEqual(['a', 'b', undefined]);
  });

  it('lets a learning card whose step is due jump the line', () => {
    const queue = new SessionQueue(['a', 'b'], [{ cardId: 'x', due: at(-1) }]);
    expect(queue.next(t0)).toBe('x');
    expect(queue.next(t0)).toBe('a');
  });

  it('waits for a learning step while other cards remain, then learns ahead within the limit', () => {
    const queue = new SessionQueue(['a'], [{ cardId: 'x', due: at(10) }]);
    expect(queue.next(t0)).toBe('a');
    expect(queue.next(t0)).toBe('x');
  });

  it('does not learn ahead beyond the limit', () => {
    const queue = new SessionQueue([], [{ cardId: 'x', due: new Date(t0.getTime() + LEARN_AHEAD_MS + 60_000) }]);
    expect(queue.next(t0)).toBeUndefined();
    expect(queue.size).toBe(1);
  });

  it('keeps a card in the queue at most once when requeued', () => {
    const queue = new SessionQueue(['a', 'b']);
    queue.requeue('a', at(1));
    queue.requeue('a', at(5));
    expect(queue.snapshot()).toEqual({ main: ['b'], learning: [{ cardId: 'a', due: at(5) }] });
  });

  it('orders learning cards by due time', () => {
    const queue = new SessionQueue([]);
    queue.requeue('late', at(10));
    queue.requeue('soon', at(1));
    expect(queue.nextLearningDue).toEqual(at(1));
    expect([queue.next(t0), queue.next(t0)]).toEqual(['soon', 'late']);
  });

  it('restores a snapshot exactly', () => {
    const queue = new SessionQueue(['a', 'b'], [{ cardId: 'x', due: at(3) }]);
    const snapshot = queue.snapshot();
    queue.next(t0);
    queue.remove('x');
    queue.restore(snapshot);
    expect(queue.snapshot()).toEqual(snapshot);
  });
});
