import type { ControllerApis } from '../metadata/controller-apis.js';
import type {
  AlterPartitionItem,
  AlterPartitionManager,
  AlterPartitionResult,
} from '../metadata/alter-partition-manager.js';
import type { MetadataImage } from '../metadata/metadata-image.js';
import { ErrorCode, errorInfo } from '../protocol/error-codes.js';

export interface ControllerAlterPartitionManagerOptions {
  readonly brokerId: number;
  /** This broker's current broker epoch (from its BrokerLifecycleManager). */
  readonly brokerEpoch: () => bigint;
  /** The broker's metadata image, for the broker epochs of the proposed ISR members (KIP-903). */
  readonly image: () => MetadataImage;
  readonly controller: ControllerApis;
  /** Wait between retries of NOT_CONTROLLER / REQUEST_TIMED_OUT; default 50 ms. */
  readonly retryBackoffMs?: number;
}

/** Answers the controller may give only for a while (no active controller yet, a failover): ask again. */
const RETRIABLE = new Set<number>([ErrorCode.NOT_CONTROLLER, ErrorCode.REQUEST_TIMED_OUT]);

/**
 * A partition leader's channel for ISR changes (Kafka's `DefaultAlterPartitionManager`): each proposal becomes an
 * AlterPartition (v3: topic id, the ISR with each member's broker epoch) to the active controller, retried while
 * the answer is NOT_CONTROLLER or REQUEST_TIMED_OUT (a controller failover), and handed back to the Partition as
 * the committed LeaderAndIsr or Kafka's refusal code. Kafka batches proposals; kq sends one per partition (the
 * Partition keeps one in flight anyway).
 *
 * Owned by the node; `close()` ends the retries (pending proposals answer REQUEST_TIMED_OUT).
 */
export class ControllerAlterPartitionManager implements AlterPartitionManager {
  private closed = false;

  constructor(private readonly options: ControllerAlterPartitionManagerOptions) {}

  close(): void {
    this.closed = true;
  }

  async submit(item: AlterPartitionItem): Promise<AlterPartitionResult> {
    for (;;) {
      const image = this.options.image();
      if (this.closed) return { errorCode: ErrorCode.REQUEST_TIMED_OUT, message: 'the broker is shutting down' };
      const response = await this.options.controller.alterPartition({
        brokerId: this.options.brokerId,
        brokerEpoch: this.options.brokerEpoch(),
        topics: [
          {
            topicId: item.topicId,
            partitions: [
              {
                partitionIndex: item.partition,
                leaderEpoch: item.proposed.leaderEpoch,
                newIsrWithEpochs: item.proposed.isr.map((brokerId) => ({
                  brokerId,
                  brokerEpoch: image.broker(brokerId)?.epoch ?? -1n,
                })),
                partitionEpoch: item.proposed.partitionEpoch,
              },
            ],
          },
        ],
      });
      const partition = response.topics[0]?.partitions[0];
      const errorCode = response.errorCode !== ErrorCode.NONE ? response.errorCode : (partition?.errorCode ?? -1);
      if (RETRIABLE.has(errorCode)) {
        await new Promise((resolve) => setTimeout(resolve, this.options.retryBackoffMs ?? 50));
        continue;
      }
      if (errorCode !== ErrorCode.NONE || !partition)
        return {
          errorCode,
          message: `AlterPartition ${item.topic}-${item.partition}: ${errorCode === -1 ? 'no answer for the partition' : errorInfo(errorCode).name}`,
        };
      return {
        errorCode: ErrorCode.NONE,
        leaderAndIsr: {
          leader: partition.leaderId,
          leaderEpoch: partition.leaderEpoch,
          isr: partition.isr,
          partitionEpoch: partition.partitionEpoch,
        },
      };
    }
  }
}
