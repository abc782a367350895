/**
 * The metadata log `__cluster_metadata` as Raft sees it (Kafka's `raft.ReplicatedLog`): entries at
 * consecutive offsets, each stamped with the epoch of the leader that appended it. Owned by one
 * KafkaRaftClient; only it appends and truncates. Held in memory for now: the on-disk form (a
 * UnifiedLog of record batches under `__cluster_metadata-0/`) is the next step, and the client only
 * uses this interface so that swap does not touch the state machine.
 */
export interface LogEntry {
  readonly offset: number;
  readonly epoch: number;
  /** The record's value. `leader-change` is the control record a new leader appends (LeaderChangeMessage). */
  readonly record: unknown;
}

/** An (epoch, end offset) pair: where a given epoch ends in a log (KIP-101's answer). */
export interface OffsetAndEpoch {
  readonly offset: number;
  readonly epoch: number;
}

export class ReplicatedLog {
  readonly #entries: LogEntry[] = [];

  /** The offset the next append gets (Kafka's log end offset). */
  get endOffset(): number {
    return this.#entries.length;
  }

  /** The epoch of the last entry, 0 for an empty log. */
  get lastFetchedEpoch(): number {
    return this.#entries.at(-1)?.epoch ?? 0;
  }

  /** Appends at the end under `epoch`; epochs never go backwards in a log (a leader only appends its own). */
  append(epoch: number, record: unknown): LogEntry {
    if (epoch < this.lastFetchedEpoch) {
      throw new Error(`append at epoch ${epoch} after epoch ${this.lastFetchedEpoch}: epochs must not go back`);
    }
    const entry = { offset: this.endOffset, epoch, record };
    this.#entries.push(entry);
    return entry;
  }

  /** A follower appends what its leader sent; the offsets must continue the log exactly. */
  appendAsFollower(entries: readonly LogEntry[]): void {
    for (const entry of entries) {
      if (entry.offset !== this.endOffset) {
        throw new Error(`follower append at offset ${entry.offset}, log end offset is ${this.endOffset}`);
      }
      this.append(entry.epoch, entry.record);
    }
  }

  read(fromOffset: number, maxEntries: number): LogEntry[] {
    return this.#entries.slice(fromOffset, fromOffset + maxEntries);
  }

  entryAt(offset: number): LogEntry | undefined {
    return this.#entries[offset];
  }

  /** Drops every entry at or above `offset` (divergence truncation; never below the high watermark). */
  truncateTo(offset: number): void {
    this.#entries.length = Math.min(this.#entries.length, Math.max(0, offset));
  }

  /**
   * Kafka's `endOffsetForEpoch`: the largest epoch ≤ `epoch` this log holds and the offset where it ends
   * (the start offset of the next epoch, or the log end offset). `{epoch: 0, offset: 0}` when none.
   */
  endOffsetForEpoch(epoch: number): OffsetAndEpoch {
    let found: LogEntry | undefined;
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i]!;
      if (entry.epoch <= epoch) {
        found = entry;
        break;
      }
    }
    if (!found) return { epoch: 0, offset: 0 };
    let end = found.offset + 1;
    while (end < this.#entries.length && this.#entries[end]!.epoch === found.epoch) end++;
    return { epoch: found.epoch, offset: end };
  }
}
