import type { PartitionChangeRecord } from '../metadata/metadata-records.js';
import { NO_LEADER_CHANGE } from '../metadata/metadata-records.js';
import { NO_LEADER } from '../metadata/partition-registration.js';
import type { PartitionRegistration, TopicId } from '../metadata/partition-registration.js';
import { electLeader } from './leader-election.js';
import { completeReassignment } from './partition-reassignment.js';
import type { Election, ElectionResult } from './leader-election.js';

/** What a controller operation wants for one partition (Kafka's `PartitionChangeBuilder` inputs). */
export interface PartitionChangeTarget {
  /** The ISR asked for (AlterPartition); default: the current ISR. */
  readonly isr?: readonly number[];
  /**
   * A broker leaving every ISR (fenced, or in controlled shutdown). Without ELR the last ISR member is kept, as
   * Kafka does: the ISR then still names who has every acknowledged record, and the partition waits for it
   * (leader -1) unless the election is UNCLEAN. With ELR the ISR may become empty: the ELR names them instead.
   */
  readonly removeFromIsr?: number;
  /**
   * KIP-966 `uncleanShutdownReplicas`: a broker that came back from an unclean shutdown (a new incarnation that did
   * not present its previous broker epoch) may have lost an unflushed tail: it leaves the ISR and the ELR, and may
   * not lead this change.
   */
  readonly uncleanShutdownReplica?: number;
  /** Which leaders the election may pick (Kafka's `setElection`); default ONLINE, the clean election. */
  readonly election?: Election;
  /** The assigned replicas asked for (a reassignment starting or reverted); default: the current ones. */
  readonly replicas?: readonly number[];
  /** Replicas being added by a reassignment; default: the current ones. */
  readonly addingReplicas?: readonly number[];
  /** Replicas being removed by a reassignment; default: the current ones. */
  readonly removingReplicas?: readonly number[];
}

/** The partition's rules beside the target: KIP-966's switch and the topic's effective min ISR. */
export interface PartitionChangeRules {
  /** Kafka's `isElrEnabled`: `eligible.leader.replicas.version` ≥ 1. Default false. */
  readonly eligibleLeaderReplicasEnabled?: boolean;
  /**
   * Kafka's `getTopicEffectiveMinIsr`: the topic's `min.insync.replicas` (topic, cluster, broker default), at most
   * the replication factor. Default 1.
   */
  readonly minIsr?: number;
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
 * 2. with ELR enabled (KIP-966, `maybePopulateTargetElr`): an ISR of at least min ISR clears the ELR and last-known
 *    ELR; a smaller one moves the replicas that leave the ISR into the ELR (not one that shut down uncleanly);
 * 3. the leader is chosen by `electLeader` (leader-election.ts) over the target replicas, ISR and ELR: the current
 *    leader stays if it is still valid; otherwise the election's rule picks one, or -1. A leader from the ELR
 *    makes the ISR [leader] and leaves the ELR; an unclean leader makes the ISR [leader] (nobody else is known to
 *    hold what it has) and clears the ELR;
 * 4. a replica set that loses a member bumps the leader epoch even if the leader stays (Kafka's
 *    `triggerLeaderEpochBumpForReplicaReassignmentIfNeeded`: the record names the same leader), so a removed
 *    replica's fetches at the old epoch are fenced;
 * 5. the ELR goes into the record when it changed; the ISR when it changed (with ELR it may become empty, without
 *    it the last member stays); the last-known ELR becomes [the leader] the first time the ISR empties and is
 *    cleared once the partition has a leader again (`maybeUpdateLastKnownLeader`).
 * A new leader bumps the leader epoch when the record is replayed; every record bumps the partition epoch.
 */
export function buildPartitionChange(
  topicId: TopicId,
  partition: number,
  current: PartitionRegistration,
  target: PartitionChangeTarget,
  isAcceptableLeader: (brokerId: number) => boolean,
  rules: PartitionChangeRules = {},
): PartitionChange | undefined {
  const elrEnabled = rules.eligibleLeaderReplicasEnabled ?? false;
  const removed = target.removeFromIsr;
  const uncleanShutdown = target.uncleanShutdownReplica;
  let targetIsr = (target.isr ?? current.isr).filter((id) => id !== removed && id !== uncleanShutdown);
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
  let targetElr: readonly number[] = current.elr ?? [];
  if (elrEnabled) targetElr = populateTargetElr(current, targetIsr, targetElr, rules.minIsr ?? 1, uncleanShutdown);
  const acceptable = (id: number) => id !== removed && id !== uncleanShutdown && isAcceptableLeader(id);
  const kind = target.election ?? 'ONLINE';
  const election = electLeader({
    election: kind,
    replicas,
    isr: targetIsr,
    elr: targetElr,
    ...(elrEnabled ? { lastKnownElr: current.lastKnownElr ?? [] } : {}),
    currentLeader: current.leader,
    isAcceptableLeader: acceptable,
  });
  const leaderChanged = election.node !== current.leader;
  if (leaderChanged && targetElr.includes(election.node)) {
    targetIsr = [election.node];
    targetElr = targetElr.filter((id) => id !== election.node);
  }
  // An unclean leader (or no ELR at all) leaves no ELR (Kafka's maybeUpdateRecordElr).
  if ((leaderChanged && election.unclean) || !elrEnabled) targetElr = [];
  let isr: readonly number[];
  if (leaderChanged && election.unclean) isr = [election.node];
  // Without ELR Kafka never writes an empty ISR: the last member stays, naming who has every record.
  else if (targetIsr.length > 0 || elrEnabled) isr = targetIsr;
  else isr = [...(target.isr ?? current.isr)];
  const isrChanged = !sameMembers(isr, current.isr);
  const elrChanged = !sameMembers(targetElr, current.elr ?? []);
  const replicasChanged = !sameMembers(replicas, current.replicas);
  const addingChanged = !sameMembers(adding, current.addingReplicas ?? []);
  const removingChanged = !sameMembers(removing, current.removingReplicas ?? []);
  const replicaLeft = current.replicas.some((id) => !replicas.includes(id));
  const recordLeader = leaderChanged || replicaLeft ? election.node : NO_LEADER_CHANGE;
  // Without ELR Kafka leaves the last-known ELR as it is (maybeUpdateLastKnownLeader returns at once).
  const lastKnownElr = elrEnabled ? updateLastKnownLeader(current, isrChanged ? isr : null, recordLeader) : null;
  if (
    !isrChanged &&
    !elrChanged &&
    lastKnownElr === null &&
    !leaderChanged &&
    !replicasChanged &&
    !addingChanged &&
    !removingChanged
  )
    return undefined;
  return {
    record: {
      type: 'PartitionChangeRecord',
      topicId,
      partitionId: partition,
      isr: isrChanged ? [...isr] : null,
      leader: recordLeader,
      ...(replicasChanged ? { replicas: [...replicas] } : {}),
      ...(addingChanged ? { addingReplicas: [...adding] } : {}),
      ...(removingChanged ? { removingReplicas: [...removing] } : {}),
      ...(elrChanged ? { eligibleLeaderReplicas: [...targetElr] } : {}),
      ...(lastKnownElr !== null ? { lastKnownElr } : {}),
    },
    kind,
    election,
    before: current,
    ...(completed ? { completedReassignment: { replicas: completed.replicas, removed: [...leaving] } } : {}),
  };
}

/**
 * Kafka's `maybePopulateTargetElr`: an ISR of at least min ISR needs no ELR; a smaller one keeps the current ELR
 * and adds the current ISR's members, less the target ISR and a replica that shut down uncleanly. Sorted (Kafka's
 * HashSet of small broker ids iterates in ascending order).
 */
function populateTargetElr(
  current: PartitionRegistration,
  targetIsr: readonly number[],
  currentElr: readonly number[],
  minIsr: number,
  uncleanShutdown: number | undefined,
): number[] {
  if (targetIsr.length >= minIsr) return [];
  const candidates = new Set([...currentElr, ...current.isr]);
  return [...candidates].filter((id) => !targetIsr.includes(id) && id !== uncleanShutdown).sort((a, b) => a - b);
}

/**
 * Kafka's `maybeUpdateLastKnownLeader` (with `useLastKnownLeaderInBalancedRecovery`, its default): the first time
 * the ISR becomes empty the last-known ELR becomes [current leader]; once the partition will have (or keeps) a
 * leader, a non-empty last-known ELR is cleared. Null: unchanged.
 */
function updateLastKnownLeader(
  current: PartitionRegistration,
  recordIsr: readonly number[] | null,
  recordLeader: number,
): number[] | null {
  const last = current.lastKnownElr ?? [];
  if (recordIsr !== null && recordIsr.length === 0 && (last.length !== 1 || last[0] !== current.leader))
    return [current.leader];
  const willHaveLeader = recordLeader >= 0 || (current.leader !== NO_LEADER && recordLeader !== NO_LEADER);
  if (willHaveLeader && last.length > 0) return [];
  return null;
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
