/** A Kafka topic id (KIP-516) in Kafka's printed form: the 16-byte UUID as URL-safe base64 without padding. */
export type TopicId = string;

/** `leader` when no replica can lead (every ISR member offline): the partition is offline. */
export const NO_LEADER = -1;

/**
 * The leader, leader epoch, ISR and partition epoch of one partition — Kafka's `LeaderAndIsr`. It is both what a
 * leader proposes in AlterPartition (with the epochs it currently knows, so the controller can reject a stale
 * proposal) and what the controller answers with (the committed state, its partition epoch bumped).
 */
export interface LeaderAndIsr {
  readonly leader: number;
  /** Bumped by every leader change (election, controlled shutdown); never by an ISR change alone. */
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  /** Bumped by every change to this partition's registration (Kafka's `partitionEpoch`, the ZK-era zkVersion). */
  readonly partitionEpoch: number;
}

/**
 * One partition as the controller registered it in the metadata log (Kafka's `PartitionRegistration`, built from
 * PartitionRecord and PartitionChangeRecord): who holds it, who is in sync, who leads, and the two epochs.
 * Immutable; a change is a new object with a bumped `partitionEpoch`.
 *
 * Written only by the controller (cluster-raft's QuorumController, through the metadata log); brokers read it
 * from their MetadataImage and never edit it — a leader asks for ISR changes through the AlterPartitionManager.
 */
export interface PartitionRegistration extends LeaderAndIsr {
  readonly topicId: TopicId;
  /**
   * Assigned replicas in assignment order: the first is the preferred leader, clean election scans in order. While
   * a reassignment runs it is the target replicas followed by those being removed (Kafka's
   * `PartitionReassignmentReplicas`).
   */
  readonly replicas: readonly number[];
  /** Replicas a reassignment is adding (they catch up as followers); empty or absent: none. */
  readonly addingReplicas?: readonly number[];
  /** Replicas a reassignment will remove once the adding ones are in the ISR; empty or absent: none. */
  readonly removingReplicas?: readonly number[];
  /**
   * KIP-966 Eligible Leader Replicas: replicas that left an ISR smaller than `min.insync.replicas` (fenced, shut
   * down, or dropped by the leader) and still hold every record committed while they were in it, so an empty ISR
   * can elect one of them cleanly. Only with `eligible.leader.replicas.version` ≥ 1; empty or absent: none.
   */
  readonly elr?: readonly number[];
  /**
   * KIP-966 last known ELR: with Kafka's default (`useLastKnownLeaderInBalancedRecovery`), the leader the
   * partition had when its ISR became empty. Empty or absent: none.
   */
  readonly lastKnownElr?: readonly number[];
}

/** True when `brokerId` is assigned a replica of the partition. */
export function isReplica(registration: PartitionRegistration, brokerId: number): boolean {
  return registration.replicas.includes(brokerId);
}

/** The `isr-ar-osr` view: assigned replicas outside the ISR (out-of-sync replicas), in assignment order. */
export function outOfSyncReplicas(registration: PartitionRegistration): number[] {
  return registration.replicas.filter((id) => !registration.isr.includes(id));
}

/** Whether two registrations describe the same leadership (same leader and leader epoch). */
export function sameLeadership(a: LeaderAndIsr, b: LeaderAndIsr): boolean {
  return a.leader === b.leader && a.leaderEpoch === b.leaderEpoch;
}

/** Kafka's `isReassignmentInProgress`: some replica is being added or removed. */
export function isReassignmentInProgress(registration: PartitionRegistration): boolean {
  return (registration.addingReplicas?.length ?? 0) > 0 || (registration.removingReplicas?.length ?? 0) > 0;
}
