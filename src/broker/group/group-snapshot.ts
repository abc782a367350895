import { decodeAssignment, decodeSubscriptionTopics, type TopicPartitions } from './consumer-protocol.js';
import type { GroupMetadata, GroupState } from './group-metadata.js';

// What the programmatic API (KafkaBroker.groups(), demos, `kq` commands) shows of a group: a plain, immutable copy
// taken on the event loop, so a caller can keep it without seeing it change or changing the group.

/** Lag needs the partition's end: callers pass the high watermark (what a consumer can reach). */
export type EndOffsetLookup = (topic: string, partition: number) => bigint | undefined;

/** A group as the programmatic API shows it. */
export interface GroupSnapshot {
  groupId: string;
  state: GroupState;
  protocolType: string | null;
  protocolName: string | null;
  generationId: number;
  leaderId: string | null;
  members: MemberSnapshot[];
  /** Every partition the group committed to or is assigned, with its lag when the end offset is known. */
  offsets: PartitionOffsetSnapshot[];
}

export interface MemberSnapshot {
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /** Decoded consumer subscription (null for non-consumer protocols or before a protocol is chosen). */
  subscribedTopics: string[] | null;
  assignment: TopicPartitions[] | null;
  lastHeartbeatMs: number;
}

export interface PartitionOffsetSnapshot {
  topic: string;
  partition: number;
  /** null: assigned but nothing committed yet. */
  committedOffset: bigint | null;
  metadata: string | null;
  commitTimestamp: number | null;
  /** Member currently assigned this partition, if any. */
  assignedTo: string | null;
  endOffset: bigint | null;
  /** endOffset − committedOffset: how far the group is behind. null when either is unknown. */
  lag: bigint | null;
}

/** The programmatic view of one group; lag is filled in where `endOffset` knows the partition's end. */
export function snapshotOf(group: GroupMetadata, endOffset?: EndOffsetLookup): GroupSnapshot {
  const consumer = group.protocolType === 'consumer';
  const protocol = group.protocolName;
  const members = [...group.members.values()].map((m): MemberSnapshot => ({
    memberId: m.memberId,
    clientId: m.clientId,
    clientHost: m.clientHost,
    sessionTimeoutMs: m.sessionTimeoutMs,
    rebalanceTimeoutMs: m.rebalanceTimeoutMs,
    subscribedTopics: consumer && protocol !== null ? decodeSubscriptionTopics(m.metadata(protocol)) : null,
    assignment: consumer && group.is('Stable') ? decodeAssignment(m.assignment) : null,
    lastHeartbeatMs: m.lastHeartbeatMs,
  }));
  const owner = new Map<string, string>();
  for (const m of members)
    for (const tp of m.assignment ?? []) for (const p of tp.partitions) owner.set(`${tp.topic}\u0000${p}`, m.memberId);
  const rows = new Map<string, PartitionOffsetSnapshot>();
  const row = (topic: string, partition: number): PartitionOffsetSnapshot => {
    const key = `${topic}\u0000${partition}`;
    let found = rows.get(key);
    if (!found) {
      const end = endOffset?.(topic, partition) ?? null;
      found = {
        topic,
        partition,
        committedOffset: null,
        metadata: null,
        commitTimestamp: null,
        assignedTo: owner.get(key) ?? null,
        endOffset: end,
        lag: null,
      };
      rows.set(key, found);
    }
    return found;
  };
  for (const { topic, partition, offset } of group.allOffsets()) {
    const r = row(topic, partition);
    r.committedOffset = offset.offset;
    r.metadata = offset.metadata;
    r.commitTimestamp = offset.commitTimestamp;
    if (r.endOffset !== null) r.lag = r.endOffset > offset.offset ? r.endOffset - offset.offset : 0n;
  }
  for (const key of owner.keys()) {
    const [topic, partition] = key.split('\u0000') as [string, string];
    row(topic, Number(partition));
  }
  return {
    groupId: group.groupId,
    state: group.state,
    protocolType: group.protocolType,
    protocolName: group.protocolName,
    generationId: group.generationId,
    leaderId: group.leaderId,
    members,
    offsets: [...rows.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition),
  };
}
