import type { UnifiedLog } from '../log/unified-log.js';

/** How far a fetcher may read: consumers up to the high watermark, (later) follower replicas to the log end. */
export type FetchIsolation = 'HIGH_WATERMARK' | 'LOG_END';

/**
 * One partition as its leader sees it (Kafka's `cluster.Partition`): the leader's broker id and leader epoch,
 * the assigned replicas, the in-sync replica set (ISR), the local log, and the high watermark.
 *
 * On one broker the replicas and the ISR are just `[brokerId]`, so the high watermark follows the log end
 * offset after every append (`maybeIncrementLeaderHW`: the minimum LEO over the ISR). The fields are kept so
 * that replication extends this class — followers' fetch offsets update their LEOs, `maybeShrinkIsr` drops
 * laggards, an election bumps the leader epoch — rather than replacing it.
 *
 * Concurrency: touched only from the event-loop thread by ReplicaManager (appends, reads) and KafkaApis
 * (metadata). The log is owned by LogManager; this class only appends to it and reads from it.
 */
export class Partition {
  /** Bytes appended since the broker started; DelayedFetch compares marks of it to decide when min_bytes arrived. */
  private appendedBytes = 0;

  constructor(
    readonly topic: string,
    readonly partitionIndex: number,
    readonly localBrokerId: number,
    readonly log: UnifiedLog,
    /** Bumped by every leader election; stamped into each appended batch's partitionLeaderEpoch. */
    readonly leaderEpoch = 0,
    readonly assignedReplicas: readonly number[] = [localBrokerId],
    private inSyncReplicaIds: readonly number[] = [localBrokerId],
  ) {
    // Becoming leader: the checkpointed HW may trail the LEO after a crash. With the ISR being just this
    // broker, everything in the local log is committed, so the HW catches up now (Kafka's makeLeader does
    // the same once the ISR's LEOs are known).
    this.maybeIncrementLeaderHW();
  }

  get leaderId(): number {
    return this.localBrokerId;
  }

  get isr(): readonly number[] {
    return this.inSyncReplicaIds;
  }

  get logStartOffset(): bigint {
    return this.log.logStartOffset;
  }

  get logEndOffset(): bigint {
    return this.log.logEndOffset;
  }

  get highWatermark(): bigint {
    return this.log.highWatermark;
  }

  get bytesAppended(): number {
    return this.appendedBytes;
  }

  /**
   * Appends a producer's record set as leader. Throws the log's InvalidRecordBatchError (nothing appended)
   * when a batch is corrupt or too large. `requiredAcks` = -1 would wait for the ISR; with an ISR of one the
   * append itself satisfies it.
   */
  appendRecordsToLeader(
    records: Buffer,
    isProducerIdIssued?: (producerId: bigint) => boolean,
  ): ReturnType<UnifiedLog['append']> {
    const info = this.log.append(
      records,
      isProducerIdIssued ? { leaderEpoch: this.leaderEpoch, isProducerIdIssued } : { leaderEpoch: this.leaderEpoch },
    );
    this.appendedBytes += records.length;
    this.maybeIncrementLeaderHW();
    return info;
  }

  /** Reads stored batches from `fetchOffset`; consumers never see past the high watermark. */
  readRecords(
    fetchOffset: bigint,
    maxBytes: number,
    minOneBatch: boolean,
    isolation: FetchIsolation = 'HIGH_WATERMARK',
  ) {
    const maxOffset = isolation === 'HIGH_WATERMARK' ? this.highWatermark : undefined;
    return this.log.read(fetchOffset, maxBytes, maxOffset === undefined ? { minOneBatch } : { minOneBatch, maxOffset });
  }

  /**
   * The high watermark is the smallest log end offset among ISR members. Only the leader's LEO is known on
   * one broker; with followers, their last fetch offsets join the minimum.
   */
  private maybeIncrementLeaderHW(): void {
    const newHighWatermark = this.log.logEndOffset;
    if (newHighWatermark > this.log.highWatermark) this.log.updateHighWatermark(newHighWatermark);
  }
}
