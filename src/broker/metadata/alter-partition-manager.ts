import type { LeaderAndIsr, TopicId } from './partition-registration.js';

/** One ISR change a partition leader proposes (one partition of Kafka's AlterPartition request). */
export interface AlterPartitionItem {
  readonly topicId: TopicId;
  /** For messages and logs only; the controller goes by topicId. */
  readonly topic: string;
  readonly partition: number;
  /**
   * The leader's proposal: itself as leader, the leader epoch and partition epoch it currently holds (so the
   * controller can refuse a stale one) and the new ISR.
   */
  readonly proposed: LeaderAndIsr;
}

/**
 * The controller's answer for one item. Accepted: the committed state, with its bumped partition epoch, which
 * the leader applies at once (the same change also arrives later through the metadata log, with the same
 * partition epoch, and is then a no-op). Refused with Kafka's codes:
 * - INVALID_UPDATE_VERSION (95): the partition epoch is stale — a newer registration is on its way to the leader.
 * - FENCED_LEADER_EPOCH (74): the leader epoch is stale — this broker is no longer leader at that epoch.
 * - NOT_LEADER_OR_FOLLOWER (6): the sender is not the partition's leader.
 * - INELIGIBLE_REPLICA (107): the new ISR names a fenced broker or one not assigned to the partition.
 * - UNKNOWN_TOPIC_ID (100), NOT_CONTROLLER (41, retry), REQUEST_TIMED_OUT (7, retry), STALE_BROKER_EPOCH (77).
 */
export type AlterPartitionResult =
  | { readonly errorCode: 0; readonly leaderAndIsr: LeaderAndIsr }
  | { readonly errorCode: number; readonly message: string };

/**
 * The channel a partition leader uses to ask the controller for an ISR change (Kafka's `AlterPartitionManager`,
 * which sends AlterPartition to the active controller). Kafka's rule, kept by Partition: at most one proposal in
 * flight per partition; until it is answered the leader acts on the larger of the two ISRs (the "maximal ISR")
 * for the high watermark, so a shrink never advances the HW before it is committed.
 *
 * Implemented by cluster-raft (over the network, with retries on NOT_CONTROLLER); unit tests use a double.
 * `submit` never rejects: failures are results.
 */
export interface AlterPartitionManager {
  submit(item: AlterPartitionItem): Promise<AlterPartitionResult>;
}
