import type { PartitionChangeRecord } from '../metadata/metadata-records.js';
import { NO_LEADER_CHANGE } from '../metadata/metadata-records.js';
import type { PartitionRegistration, TopicId } from '../metadata/partition-registration.js';
import { electLeader } from './leader-election.js';
import { completeReassignment } from './partition-reassignment.js';
import type { Election, ElectionResult } from './leader-election.js';

/** What a controller operation wants for one partition (Kafka's `PartitionChangeBuilder` inputs). */
export interface PartitionChangeTarget {
  /** The ISR asked for (AlterPartition); default: the current ISR. */
  readonly isr?: readonly number[];
  /**
   * A broker leaving every ISR (fenced, or in controlled shutdown). As Kafka does, the last ISR member is kept:
   * the ISR then still names who has every acknowledged record, and the partition waits for it (leader -1)
   * unless the election is UNCLEAN.
   */
  readonly removeFromIsr?: number;
  /** Which leaders the election may pick (Kafka's `setElection`); default ONLINE, the clean election. */
  readonly election?: Election;
  /** The assigned replicas asked for (a reassignment starting or reverted); default: the current ones. */
  readonly replicas?: readonly number[];
  /** Replicas being added by a reassignment; default: the current ones. */
  readonly addingReplicas?: readonly number[];
  /** Replicas being removed by a reassignment; default: the current ones. */
  readonly removingReplicas?: readonly number[];
}

/** A PartitionChangeRecord with the election that decided its leader and the registration it changes. */
export interface PartitionChange {
  readonly record: PartitionChangeRecord;
  /** The election that ran (ONLINE, UNCLEAN, PREFERRED) and what it decided. */
  readonly kind: Election;
  readonly election: ElectionResult;
  readonly before: PartitionRegistration;
  /** Set when this change completes a reassignment: the removed replicas left the assignment and the ISR. */
  readonly completedReassignment?: { readonly replicas: readonly number[]; readonly removed: readonly number[] };
}

/**
 * The change that moves `current` to `target`, or undefined when nothing changes (Kafka's
 * `PartitionChangeBuilder.build`, in its order):
 * 1. a reassignment completes when every target replica is in the ISR (`completeReassignment`): the removing
 *    replicas leave the replicas and the ISR;
 * 2. the leader is chosen by `electLeader` (leader-election.ts) over the target replicas and ISR: the current
 *    leader stays if it is still in the ISR and acceptable (`isAcceptableLeader`: registered, unfenced, not in
 *    controlled shutdown); otherwise the election's rule picks one, or -1. An unclean leader makes the ISR [leader]
 *    (Kafka sets it so: nobody else is known to hold what the new leader has);
 * 3. a replica set that loses a member bumps the leader epoch even if the leader stays (Kafka's
 *    `triggerLeaderEpochBumpForReplicaReassignmentIfNeeded`: the record names the same leader), so a removed
 *    replica's fetches at the old epoch are fenced.
 * A new leader bumps the leader epoch when the record is replayed; every record bumps the partition epoch.
 */
export function buildPartitionChange(
  topicId: TopicId,
  partition: number,
  current: PartitionRegistration,
  target: PartitionChangeTarget,
  isAcceptableLeader: (brokerId: number) => boolean,
): PartitionChange | undefined {
  const removed = target.removeFromIsr;
  let targetIsr = (target.isr ?? current.isr).filter((id) => id !== removed);
  let replicas = target.replicas ?? current.replicas;
  let adding = target.addingReplicas ?? current.addingReplicas ?? [];
  let removing = target.removingReplicas ?? current.removingReplicas ?? [];
  const completed = completeReassignment({ replicas, adding, removing }, targetIsr);
  const leaving = removing;
  if (completed) {
    targetIsr = [...completed.isr];
    replicas = completed.replicas;
    adding = [];
    removing = [];
  }
  const acceptable = (id: number) => id !== removed && isAcceptableLeader(id);
  const kind = target.election ?? 'ONLINE';
  const election = electLeader({
    election: kind,
    replicas,
    isr: targetIsr,
    currentLeader: current.leader,
    isAcceptableLeader: acceptable,
  });
  // Kafka writes an empty ISR only with ELR; without it the last member stays, naming who has every record.
  let isr = targetIsr.length > 0 ? targetIsr : [...(target.isr ?? current.isr)];
  if (election.unclean) isr = [election.node];
  const isrChanged = !sameMembers(isr, current.isr);
  const replicasChanged = !sameMembers(replicas, current.replicas);
  const addingChanged = !sameMembers(adding, current.addingReplicas ?? []);
  const removingChanged = !sameMembers(removing, current.removingReplicas ?? []);
  const leaderChanged = election.node !== current.leader;
  const replicaLeft = current.replicas.some((id) => !replicas.includes(id));
  if (!isrChanged && !leaderChanged && !replicasChanged && !addingChanged && !removingChanged) return undefined;
  return {
    record: {
      type: 'PartitionChangeRecord',
      topicId,
      partitionId: partition,
      isr: isrChanged ? isr : null,
      leader: leaderChanged || replicaLeft ? election.node : NO_LEADER_CHANGE,
      ...(replicasChanged ? { replicas: [...replicas] } : {}),
      ...(addingChanged ? { addingReplicas: [...adding] } : {}),
      ...(removingChanged ? { removingReplicas: [...removing] } : {}),
    },
    kind,
    election,
    before: current,
    ...(completed ? { completedReassignment: { replicas: completed.replicas, removed: [...leaving] } } : {}),
  };
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
