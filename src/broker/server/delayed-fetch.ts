import type { FetchIsolation, Partition } from '../cluster/partition.js';
import { DelayedOperation } from './delayed-operation.js';

/** A partition a delayed fetch watches, with how many bytes it had appended when the fetch started waiting. */
export interface WatchedPartition {
  readonly partition: Partition;
  readonly bytesAppendedMark: number;
  /** The high watermark when the wait began: a consumer sees new bytes only once it moves. */
  readonly highWatermarkMark: bigint;
}

/**
 * A Fetch that found fewer than `min_bytes` and waits — Kafka's `DelayedFetch`, the broker half of the
 * consumer's long poll (`fetch.min.bytes`, `fetch.max.wait.ms`). It completes when enough new bytes have been
 * appended to the partitions it watches, when one of them goes away (deleted topic), or after `max_wait_ms`;
 * completing re-reads the logs (`complete`), so the answer holds whatever arrived meanwhile.
 *
 * The byte count is an estimate, as in Kafka: bytes appended since the wait began plus what the first read
 * found, not a re-read per append. A consumer (HIGH_WATERMARK isolation) counts them only once the high
 * watermark has moved past where it was, since appended bytes are invisible to it until replicated; a
 * follower (LOG_END) counts them at once. Owned by the ReplicaManager's fetch purgatory.
 */
export class DelayedFetch extends DelayedOperation {
  constructor(
    maxWaitMs: number,
    private readonly minBytes: number,
    private readonly bytesAlreadyFound: number,
    private readonly watched: readonly WatchedPartition[],
    private readonly isGone: (partition: Partition) => boolean,
    private readonly complete: () => void,
    private readonly isolation: FetchIsolation = 'HIGH_WATERMARK',
  ) {
    super(maxWaitMs);
  }

  override tryComplete(): boolean {
    let accumulated = this.bytesAlreadyFound;
    for (const { partition, bytesAppendedMark, highWatermarkMark } of this.watched) {
      if (this.isGone(partition)) return this.forceComplete();
      if (this.isolation === 'HIGH_WATERMARK' && partition.highWatermark <= highWatermarkMark) continue;
      accumulated += partition.bytesAppended - bytesAppendedMark;
    }
    return accumulated >= this.minBytes ? this.forceComplete() : false;
  }

  protected override onComplete(): void {
    this.complete();
  }
}
