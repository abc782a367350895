import type { Partition } from './partition.js';

/** What a leader knows about one follower, as data. */
export interface FollowerSnapshot {
  readonly brokerId: number;
  /** -1 until the follower fetched in this leader epoch. */
  readonly logEndOffset: bigint;
  readonly lastCaughtUpTimeMs: number;
}

/**
 * One replica of one partition as its broker sees it, as plain data: role, leader and epochs, AR/ISR/OSR, the
 * log end offset and high watermark, and (on the leader) each follower's LEO. What `KafkaCluster.describe()`
 * returns per node, what demos print and what the live view will draw; safe to keep, compare and serialise
 * (offsets are bigints: `snapshotToJson` / `snapshotFromJson` carry them across a process boundary).
 */
export interface PartitionSnapshot {
  readonly topic: string;
  readonly partition: number;
  readonly role: 'leader' | 'follower' | 'offline';
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  /** AR: assigned replicas in assignment order. */
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /** KIP-966 Eligible Leader Replicas (empty without ELR, or while the ISR is at least min.insync.replicas). */
  readonly elr: readonly number[];
  /** OSR = AR − ISR. */
  readonly outOfSync: readonly number[];
  readonly logStartOffset: bigint;
  readonly logEndOffset: bigint;
  readonly highWatermark: bigint;
  readonly followers: readonly FollowerSnapshot[];
}

export function snapshotPartition(p: Partition): PartitionSnapshot {
  return {
    topic: p.topic,
    partition: p.partitionIndex,
    role: p.isOffline ? 'offline' : p.isLeader ? 'leader' : 'follower',
    leader: p.leaderId,
    leaderEpoch: p.leaderEpoch,
    partitionEpoch: p.partitionEpoch,
    replicas: [...p.assignedReplicas],
    isr: [...p.isr],
    elr: [...p.eligibleLeaderReplicas],
    outOfSync: p.assignedReplicas.filter((id) => !p.isr.includes(id)),
    logStartOffset: p.logStartOffset,
    logEndOffset: p.logEndOffset,
    highWatermark: p.highWatermark,
    followers: [...p.followerStates().values()].map((r) => ({
      brokerId: r.brokerId,
      logEndOffset: r.logEndOffset,
      lastCaughtUpTimeMs: r.lastCaughtUpTimeMs,
    })),
  };
}

const OFFSET_KEYS = new Set(['logStartOffset', 'logEndOffset', 'highWatermark']);

/** JSON text of snapshots, bigints as decimal strings (JSON has no 64-bit integers). */
export function snapshotToJson(snapshots: readonly PartitionSnapshot[]): string {
  return JSON.stringify(snapshots, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/** The reverse of `snapshotToJson`. */
export function snapshotFromJson(json: string): PartitionSnapshot[] {
  return JSON.parse(json, (key, value: unknown) =>
    OFFSET_KEYS.has(key) && typeof value === 'string' ? BigInt(value) : value,
  ) as PartitionSnapshot[];
}
