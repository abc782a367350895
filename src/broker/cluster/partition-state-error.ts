import { errorInfo } from '../protocol/error-codes.js';

/**
 * A request a partition refuses because of its replication state, with Kafka's code: NOT_LEADER_OR_FOLLOWER,
 * NOT_ENOUGH_REPLICAS, FENCED_LEADER_EPOCH, … `retriable` follows Kafka's table (all of these are: the client
 * refreshes metadata or waits for the ISR and tries again). Thrown by Partition, mapped to a per-partition error
 * code by ReplicaManager; nothing is appended when it is thrown.
 */
export class PartitionStateError extends Error {
  override readonly name = 'PartitionStateError';

  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  get retriable(): boolean {
    return errorInfo(this.code).retriable;
  }
}
