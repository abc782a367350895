import type { PartitionChangeRecord } from '../metadata/metadata-records.js';
import { NO_LEADER_CHANGE } from '../metadata/metadata-records.js';
import type { PartitionRegistration, TopicId } from '../metadata/partition-registration.js';
import { NO_LEADER } from '../metadata/partition-registration.js';

/** What a controller operation wants for one partition (Kafka's `PartitionChangeBuilder` inputs). */
export interface PartitionChangeTarget {
  /** The ISR asked for (AlterPartition); default: the current ISR. */
  readonly isr?: readonly number[];
  /**
   * A broker leaving every ISR (fenced, or in controlled shutdown). As Kafka does, the last ISR member is kept:
   * the ISR then still names who has every acknowledged record, and the partition waits for it (leader -1)
   * rather than electing an out-of-sync replica (unclean election is off).
   */
  readonly removeFromIsr?: number;
}

/**
 * The PartitionChangeRecord that moves `current` to `target`, or undefined when nothing changes (Kafka's
 * `PartitionChangeBuilder.build`). Leader election is the clean one (issue 11 item 7): the current leader stays
 * if it is still in the ISR and acceptable; otherwise the first replica in assignment order that is in the ISR
 * and acceptable (`isAcceptableLeader`: registered, unfenced, not in controlled shutdown) leads; none → -1.
 * A new leader bumps the leader epoch when the record is replayed; every record bumps the partition epoch.
 */
export function buildPartitionChange(
  topicId: TopicId,
  partition: number,
  current: PartitionRegistration,
  target: PartitionChangeTarget,
  isAcceptableLeader: (brokerId: number) => boolean,
): PartitionChangeRecord | undefined {
  let isr = [...(target.isr ?? current.isr)];
  const removed = target.removeFromIsr;
  if (removed !== undefined && isr.includes(removed)) {
    const without = isr.filter((id) => id !== removed);
    if (without.length > 0) isr = without;
  }
  const acceptable = (id: number) => id !== removed && isr.includes(id) && isAcceptableLeader(id);
  const leader = acceptable(current.leader)
    ? current.leader
    : (current.replicas.find((id) => acceptable(id)) ?? NO_LEADER);
  const isrChanged = !sameMembers(isr, current.isr);
  const leaderChanged = leader !== current.leader;
  if (!isrChanged && !leaderChanged) return undefined;
  return {
    type: 'PartitionChangeRecord',
    topicId,
    partitionId: partition,
    isr: isrChanged ? isr : null,
    leader: leaderChanged ? leader : NO_LEADER_CHANGE,
  };
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
