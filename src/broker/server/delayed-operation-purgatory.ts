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
  /** The keys each waiting operation watches, so completing it removes it from every list at once. */
  private readonly keysOf = new Map<T, readonly string[]>();
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
    this.keysOf.set(operation, keys);
    operation.startTimer(() => this.unwatch(operation));
    return false;
  }

  /** Tries to complete every operation watching `key`; returns how many completed now. */
  checkAndComplete(key: string): number {
    const set = this.watchers.get(key);
    if (!set) return 0;
    let completed = 0;
    for (const operation of [...set]) {
      if (!operation.isCompleted && operation.tryComplete()) completed++;
      // Completed now or earlier through another key: stop watching it anywhere.
      if (operation.isCompleted) this.unwatch(operation);
    }
    return completed;
  }

  /** Operations waiting right now. */
  get delayed(): number {
    return this.keysOf.size;
  }

  /** Completes every waiting operation (shutdown: answer long polls now rather than drop them). */
  shutdown(): void {
    this.stopped = true;
    for (const op of [...this.keysOf.keys()]) op.forceComplete();
    this.watchers.clear();
    this.keysOf.clear();
  }

  private unwatch(operation: T): void {
    const keys = this.keysOf.get(operation) ?? [];
    this.keysOf.delete(operation);
    for (const key of keys) {
      const set = this.watchers.get(key);
      set?.delete(operation);
      if (set?.size === 0) this.watchers.delete(key);
    }
  }
}
