import type { DelayedOperation } from './delayed-operation.js';

/**
 * Holds delayed operations keyed by what they wait for (here "topic-partition") — Kafka's
 * `DelayedOperationPurgatory`. `checkAndComplete(key)` is called by whoever changes that key (an append);
 * operations watching several keys are completed once and removed from every list.
 *
 * Concurrency: one event-loop thread; appends and fetches call in between awaits, never re-entrantly.
 * Owned by the ReplicaManager; nothing else should add to it.
 */
export class DelayedOperationPurgatory<T extends DelayedOperation> {
  private readonly watchers = new Map<string, Set<T>>();
  private stopped = false;

  constructor(readonly name: string) {}

  /** Completes `operation` now if it can; otherwise watches it under `keys` until it can or expires. */
  tryCompleteElseWatch(operation: T, keys: readonly string[]): boolean {
    if (operation.tryComplete()) return true;
    if (this.stopped) return operation.forceComplete();
    for (const key of keys) {
      let set = this.watchers.get(key);
      if (!set) this.watchers.set(key, (set = new Set()));
      set.add(operation);
    }
    operation.startTimer(() => this.unwatch(operation, keys));
    return false;
  }

  /** Tries to complete every operation watching `key`; returns how many completed. */
  checkAndComplete(key: string): number {
    const set = this.watchers.get(key);
    if (!set) return 0;
    let completed = 0;
    for (const operation of [...set]) {
      if (operation.isCompleted || operation.tryComplete()) {
        set.delete(operation);
        if (operation.isCompleted) completed++;
      }
    }
    if (set.size === 0) this.watchers.delete(key);
    return completed;
  }

  /** Operations waiting right now (counting each once). */
  get delayed(): number {
    const all = new Set<T>();
    for (const set of this.watchers.values()) for (const op of set) if (!op.isCompleted) all.add(op);
    return all.size;
  }

  /** Completes every waiting operation (shutdown: answer long polls now rather than drop them). */
  shutdown(): void {
    this.stopped = true;
    for (const set of this.watchers.values()) for (const op of set) op.forceComplete();
    this.watchers.clear();
  }

  private unwatch(operation: T, keys: readonly string[]): void {
    for (const key of keys) {
      const set = this.watchers.get(key);
      set?.delete(operation);
      if (set?.size === 0) this.watchers.delete(key);
    }
  }
}
