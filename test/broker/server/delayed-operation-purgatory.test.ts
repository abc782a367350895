import { describe, expect, it } from 'vitest';
import { DelayedOperation } from '../../../src/broker/server/delayed-operation.js';
import { DelayedOperationPurgatory } from '../../../src/broker/server/delayed-operation-purgatory.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

class Waiting extends DelayedOperation {
  ready = false;
  completions: string[] = [];
  expired = false;
  override tryComplete(): boolean {
    return this.ready ? this.forceComplete() : false;
  }
  protected override onComplete(): void {
    this.completions.push(this.expired ? 'expired' : 'condition');
  }
  protected override onExpiration(): void {
    this.expired = true;
  }
}

describe('DelayedOperationPurgatory', () => {
  it('completes an operation at once when its condition already holds', () => {
    const purgatory = new DelayedOperationPurgatory<Waiting>('test');
    const op = new Waiting(10_000);
    op.ready = true;
    expect(purgatory.tryCompleteElseWatch(op, ['a'])).toBe(true);
    expect(purgatory.delayed).toBe(0);
  });

  it('completes once, when a watched key is checked after the condition came true, on every key it watched', () => {
    const purgatory = new DelayedOperationPurgatory<Waiting>('test');
    const op = new Waiting(10_000);
    purgatory.tryCompleteElseWatch(op, ['a', 'b']);
    expect(purgatory.checkAndComplete('a')).toBe(0);
    op.ready = true;
    expect(purgatory.checkAndComplete('b')).toBe(1);
    expect(purgatory.checkAndComplete('a')).toBe(0);
    expect(op.completions).toEqual(['condition']);
    expect(purgatory.delayed).toBe(0);
  });

  it('expires after its delay, calling onExpiration then onComplete once', async () => {
    const purgatory = new DelayedOperationPurgatory<Waiting>('test');
    const op = new Waiting(20);
    purgatory.tryCompleteElseWatch(op, ['a']);
    await waitUntil(() => op.isCompleted, 'the delayed operation to expire', 5000);
    expect(op.completions).toEqual(['expired']);
    expect(purgatory.delayed).toBe(0);
  });

  it('completes everything at shutdown and anything added afterwards at once', () => {
    const purgatory = new DelayedOperationPurgatory<Waiting>('test');
    const before = new Waiting(10_000);
    purgatory.tryCompleteElseWatch(before, ['a']);
    purgatory.shutdown();
    const after = new Waiting(10_000);
    expect(purgatory.tryCompleteElseWatch(after, ['a'])).toBe(true);
    expect([before.completions, after.completions]).toEqual([['condition'], ['condition']]);
  });
});
