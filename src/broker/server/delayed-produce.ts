import type { Partition } from '../cluster/partition.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { DelayedOperation } from './delayed-operation.js';

/** One partition of an acks=all produce waiting for its batch to be replicated. */
export interface ProducePartitionStatus {
  readonly partition: Partition;
  /** The offset after the appended batch: done when the high watermark reaches it. */
  readonly requiredOffset: bigint;
  /** Set when this partition is done (NONE, NOT_ENOUGH_REPLICAS_AFTER_APPEND, NOT_LEADER_OR_FOLLOWER, …). */
  errorCode: number | undefined;
}

/**
 * An acks=all (-1) Produce whose batches are appended on the leader and wait until every ISR member has them —
 * Kafka's `DelayedProduce`, the produce purgatory. Each partition is done when its high watermark passes the
 * batch (`Partition.checkEnoughReplicasReachOffset`, which may answer NOT_ENOUGH_REPLICAS_AFTER_APPEND or
 * NOT_LEADER_OR_FOLLOWER instead); the produce completes when all are done, or at the request's `timeout_ms`
 * with REQUEST_TIMED_OUT for those still waiting. The records stay in the leader's log either way: a timed-out
 * acks=all produce may still become committed, which is why producers retry with idempotence.
 *
 * Watched under each partition's key in the ReplicaManager's produce purgatory; checked when a high watermark
 * moves, the ISR changes, or leadership moves.
 */
export class DelayedProduce extends DelayedOperation {
  constructor(
    timeoutMs: number,
    readonly statuses: readonly ProducePartitionStatus[],
    private readonly complete: (statuses: readonly ProducePartitionStatus[]) => void,
  ) {
    super(timeoutMs);
  }

  override tryComplete(): boolean {
    for (const status of this.statuses) {
      if (status.errorCode !== undefined) continue;
      const { done, errorCode } = status.partition.checkEnoughReplicasReachOffset(status.requiredOffset);
      if (done) status.errorCode = errorCode;
    }
    return this.statuses.every((s) => s.errorCode !== undefined) ? this.forceComplete() : false;
  }

  protected override onExpiration(): void {
    for (const status of this.statuses) status.errorCode ??= ErrorCode.REQUEST_TIMED_OUT;
  }

  protected override onComplete(): void {
    // Completed by shutdown (forceComplete without expiry): whatever still waits was not replicated in time.
    for (const status of this.statuses) status.errorCode ??= ErrorCode.REQUEST_TIMED_OUT;
    this.complete(this.statuses);
  }
}
