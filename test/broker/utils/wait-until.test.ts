import { describe, expect, it } from 'vitest';
import { Signal, waitUntil, WaitTimeoutError, withTimeout } from '../../../src/broker/utils/wait-until.js';

describe('waitUntil', () => {
  it('returns once the polled state changes', async () => {
    let ready = false;
    setTimeout(() => (ready = true), 10);
    await expect(waitUntil(() => ready, 'ready', 2000, { everyMs: 5 })).resolves.toBeUndefined();
    expect(ready).toBe(true);
  });

  it('resolves once an async condition holds, re-checking until then', async () => {
    let calls = 0;
    await waitUntil(async () => ++calls >= 3, 'the third call', 2000, { everyMs: 1 });
    expect(calls).toBe(3);
  });

  it('fails after the timeout naming what it waited for and the state it gave up in', async () => {
    const failure = waitUntil(() => false, 'pigs to fly', 30, { detail: () => 'still on the ground', everyMs: 5 });
    await expect(failure).rejects.toThrow('timed out after 30 ms waiting for pigs to fly (still on the ground)');
    await expect(failure).rejects.toBeInstanceOf(WaitTimeoutError);
  });

  it('evaluates the detail only when it gives up', async () => {
    let asked = 0;
    await waitUntil(() => true, 'nothing', 1000, { detail: () => String(++asked) });
    expect(asked).toBe(0);
  });
});

describe('withTimeout', () => {
  it('passes the value through when the promise settles in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 'seven', 1000)).resolves.toBe(7);
  });

  it('passes a rejection through unchanged', async () => {
    await expect(withTimeout(Promise.reject(new Error('broken')), 'anything', 1000)).rejects.toThrow('broken');
  });

  it('rejects naming what never settled', async () => {
    await expect(withTimeout(new Promise(() => undefined), 'the reply', 20)).rejects.toThrow(
      'timed out after 20 ms waiting for the reply',
    );
  });
});

describe('Signal', () => {
  it('resolves once a notification finds the condition true, not before', async () => {
    const signal = new Signal();
    let consumed = 0;
    let resolved = false;
    const done = signal.until(() => consumed >= 2, 'two records', 1000).then(() => (resolved = true));
    consumed = 1;
    signal.notify();
    await Promise.resolve();
    expect(resolved).toBe(false);
    consumed = 2;
    signal.notify();
    await done;
    expect(resolved).toBe(true);
  });

  it('resolves at once when the condition already holds', async () => {
    await expect(new Signal().until(() => true, 'nothing', 1000)).resolves.toBeUndefined();
  });

  it('rejects naming what never happened', async () => {
    await expect(new Signal().until(() => false, 'the probe record', 20)).rejects.toThrow(
      'timed out after 20 ms waiting for the probe record',
    );
  });

  it('forgets a waiter once it resolved or timed out', async () => {
    const signal = new Signal();
    let ready = false;
    let checks = 0;
    const waited = signal.until(() => (checks++, ready), 'ready', 1000);
    ready = true;
    signal.notify();
    await waited;
    await signal.until(() => false, 'never', 5).catch(() => undefined);
    const before = checks;
    signal.notify();
    expect(checks).toBe(before);
  });
});
