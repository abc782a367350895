/**
 * The metadata log `__cluster_metadata` as Raft sees it (Kafka's `raft.ReplicatedLog`): batches at
 * consecutive offsets, each stamped with the epoch of the leader that appended it. A batch is what one
 * leader append wrote, all or nothing (a `scheduleAtomicAppend`, or the leader-change control record), and
 * stays one unit through replication and truncation. Owned by one KafkaRaftClient; only it appends and
 * truncates. Two implementations pass the same contract test (test/broker/raft/replicated-log-contract.ts):
 * `MemoryReplicatedLog` for the simulation tests and `KafkaMetadataLog`, the on-disk one.
 */

/** One leader append (Kafka: a record batch of the metadata log). */
export interface LogBatch {
  readonly baseOffset: number;
  /** The epoch of the leader that appended it (the batch's partitionLeaderEpoch on disk). */
  readonly epoch: number;
  /** Wall-clock milliseconds of the leader's append (the batch timestamp). */
  readonly appendTimestamp: number;
  /** A control batch holds Raft's own records (the leader-change record); listeners never see it. */
  readonly control: boolean;
  readonly records: readonly unknown[];
}

/** An (epoch, end offset) pair: where a given epoch ends in a log (KIP-101's answer). */
export interface OffsetAndEpoch {
  readonly offset: number;
  readonly epoch: number;
}

export interface LeaderAppend {
  readonly control?: boolean;
  readonly timestamp: number;
}

export interface ReplicatedLog {
  /** The offset the next append gets (Kafka's log end offset). */
  readonly endOffset: number;
  /** The epoch of the last batch, 0 for an empty log. */
  readonly lastFetchedEpoch: number;
  /** Appends `records` as one batch at the end under `epoch` (epochs never go back); returns it. */
  appendAsLeader(epoch: number, records: readonly unknown[], append: LeaderAppend): LogBatch;
  /** Appends what the leader sent; the first batch must start at the log end offset. */
  appendAsFollower(batches: readonly LogBatch[]): void;
  /** Whole batches from the one holding `fromOffset`, at most `maxBatches` of them. */
  read(fromOffset: number, maxBatches: number): LogBatch[];
  /** Drops every batch at or above `offset` (divergence truncation; `offset` is a batch boundary). */
  truncateTo(offset: number): void;
  /**
   * Kafka's `endOffsetForEpoch`: the largest epoch ≤ `epoch` this log holds and the offset where it ends (the
   * start offset of the next epoch, or the log end offset). `{epoch: 0, offset: 0}` when none.
   */
  endOffsetForEpoch(epoch: number): OffsetAndEpoch;
  /** Makes every append durable (Raft may only acknowledge what survives a crash). */
  flush(): void;
  close(): void;
}

/** Every record a batch holds becomes one offset. */
export function batchLastOffset(batch: LogBatch): number {
  return batch.baseOffset + batch.records.length - 1;
}

/** The in-memory log: for the simulation tests and in-process clusters that do not keep a disk. */
export class MemoryReplicatedLog implements ReplicatedLog {
  readonly #batches: LogBatch[] = [];

  get endOffset(): number {
    const last = this.#batches.at(-1);
    return last ? batchLastOffset(last) + 1 : 0;
  }

  get lastFetchedEpoch(): number {
    return this.#batches.at(-1)?.epoch ?? 0;
  }

  appendAsLeader(epoch: number, records: readonly unknown[], append: LeaderAppend): LogBatch {
    const batch: LogBatch = {
      baseOffset: this.endOffset,
      epoch,
      appendTimestamp: append.timestamp,
      control: append.control ?? false,
      records: [...records],
    };
    this.#push(batch);
    return batch;
  }

  appendAsFollower(batches: readonly LogBatch[]): void {
    for (const batch of batches) this.#push(batch);
  }

  #push(batch: LogBatch): void {
    checkAppend(this, batch);
    this.#batches.push(batch);
  }

  read(fromOffset: number, maxBatches: number): LogBatch[] {
    const first = this.#batches.findIndex((b) => batchLastOffset(b) >= fromOffset);
    return first < 0 ? [] : this.#batches.slice(first, first + maxBatches);
  }

  truncateTo(offset: number): void {
    while (this.#batches.length > 0 && this.#batches.at(-1)!.baseOffset >= offset) this.#batches.pop();
  }

  endOffsetForEpoch(epoch: number): OffsetAndEpoch {
    let index = -1;
    for (let i = this.#batches.length - 1; i >= 0; i--) {
      if (this.#batches[i]!.epoch <= epoch) {
        index = i;
        break;
      }
    }
    if (index < 0) return { epoch: 0, offset: 0 };
    const found = this.#batches[index]!.epoch;
    const next = this.#batches.slice(index + 1).find((b) => b.epoch !== found);
    return { epoch: found, offset: next ? next.baseOffset : this.endOffset };
  }

  flush(): void {}
  close(): void {}
}

/**
 * Where a follower cuts its log when the leader answers a Fetch with a diverging epoch (Kafka's
 * `ReplicatedLog.truncateToEndOffset`): the leader said "the largest epoch I have ≤ your last one is E, and it
 * ends at O". If this log has E too, both logs agree up to the smaller of the two ends; if not, this log's
 * entries after its own largest epoch below E were never the leader's, so the cut is where that epoch ends here
 * (the next Fetch then asks about that epoch). Cutting at min(O, log end) instead would cut nothing when O is
 * at or past this log's end — a follower whose unreplicated tail came from epochs only it led would then fetch,
 * be told the same divergence, and never move again.
 */
export function truncationOffset(log: ReplicatedLog, diverging: OffsetAndEpoch): number {
  if (diverging.epoch === 0) return Math.min(diverging.offset, log.endOffset);
  const local = log.endOffsetForEpoch(diverging.epoch);
  return local.epoch === diverging.epoch ? Math.min(local.offset, diverging.offset) : local.offset;
}

/** The two rules every append keeps: offsets continue the log exactly, epochs never go back. */
export function checkAppend(log: ReplicatedLog, batch: LogBatch): void {
  if (batch.records.length === 0) throw new Error('a metadata log batch needs at least one record');
  if (batch.baseOffset !== log.endOffset) {
    throw new Error(`append at offset ${batch.baseOffset}, log end offset is ${log.endOffset}`);
  }
  if (batch.epoch < log.lastFetchedEpoch) {
    throw new Error(`append at epoch ${batch.epoch} after epoch ${log.lastFetchedEpoch}: epochs must not go back`);
  }
}
