import { describe, expect, it } from 'vitest';
import { pollUntil, Progress, withTimeout } from '../../src/demo/progress.js';

describe('Progress', () => {
  it('resolves once a notification finds the condition true', async () => {
    const progress = new Progress();
    let consumed = 0;
    const done = progress.until(() => consumed >= 2, 1000, 'two records');
    consumed = 1;
    progress.notify();
    consumed = 2;
    progress.notify();
    await expect(done).resolves.toBeUndefined();
  });

  it('resolves at once when the condition already holds', async () => {
    await expect(new Progress().until(() => true, 1000, 'nothing')).resolves.toBeUndefined();
  });

  it('rejects naming what never happened', async () => {
    await expect(new Progress().until(() => false, 20, 'the probe record')).rejects.toThrow(
      'the probe record did not happen within 20 ms',
    );
  });
});

describe('withTimeout', () => {
  it('passes the value through when the promise settles in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, 'seven')).resolves.toBe(7);
  });
});

describe('pollUntil', () => {
  it('returns once the polled state changes', async () => {
    let ready = false;
    setTimeout(() => (ready = true), 10);
    await expect(pollUntil(() => ready, 2000, 'ready', 5)).resolves.toBeUndefined();
  });

  it('fails with the description when the state never changes', async () => {
    await expect(pollUntil(() => false, 30, 'retention moving the log start', 5)).rejects.toThrow(
      'retention moving the log start did not happen within 30 ms',
    );
  });
});
