import type { PartitionRegistration } from '../metadata/partition-registration.js';

/**
 * A partition's replica sets while a reassignment runs (Kafka's `PartitionReassignmentReplicas`): `replicas` is
 * the target in its order followed by the replicas being removed, `adding` are in the target but not the current
 * assignment, `removing` the other way round (both sorted, as Kafka's TreeSet leaves them).
 */
export interface ReassignmentReplicas {
  readonly replicas: readonly number[];
  readonly adding: readonly number[];
  readonly removing: readonly number[];
}

/** The replicas and ISR once a reassignment is done (Kafka's `CompletedReassignment`). */
export interface CompletedReassignment {
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
}

/** The state a cancelled reassignment goes back to (Kafka's `PartitionReassignmentRevert`). */
export interface ReassignmentRevert {
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  /**
   * Every ISR member was a replica being added: the first original replica becomes the ISR, an unclean election
   * the topic must allow (`unclean.leader.election.enable`).
   */
  readonly unclean: boolean;
}

/**
 * The replica sets that move a partition from `current` to `target` (the AlterPartitionReassignments step 1):
 * the target replicas are written at once, those leaving stay in `replicas` (and in `removing`) until the ones
 * arriving have caught up.
 */
export function reassignmentReplicas(current: readonly number[], target: readonly number[]): ReassignmentReplicas {
  const removing = difference(current, target);
  return { replicas: [...target, ...removing], adding: difference(target, current), removing };
}

/**
 * Kafka's `maybeCompleteReassignment`: once every replica of the target is in the ISR (the adding ones caught up),
 * the removing replicas leave both the replicas and the ISR. Undefined when no reassignment runs, when the adding
 * replicas are not all in sync yet, or when nothing of the ISR would be left.
 */
export function completeReassignment(
  reassignment: ReassignmentReplicas,
  isr: readonly number[],
): CompletedReassignment | undefined {
  if (reassignment.adding.length === 0 && reassignment.removing.length === 0) return undefined;
  const stays = (id: number) => !reassignment.removing.includes(id);
  const newIsr = isr.filter(stays);
  const newReplicas = reassignment.replicas.filter(stays);
  if (newIsr.length === 0 || newReplicas.length === 0) return undefined;
  if (!newReplicas.every((id) => newIsr.includes(id))) return undefined;
  return { replicas: newReplicas, isr: newIsr };
}

/**
 * Kafka's `PartitionReassignmentRevert` (AlterPartitionReassignments with null replicas): the adding replicas
 * leave the replicas and the ISR, the removing ones stay. If the ISR held only adding replicas, the first original
 * replica is put in it alone: `unclean`.
 */
export function revertReassignment(registration: PartitionRegistration): ReassignmentRevert {
  const adding = registration.addingReplicas ?? [];
  const replicas = registration.replicas.filter((id) => !adding.includes(id));
  const isr = registration.isr.filter((id) => !adding.includes(id));
  const first = replicas[0];
  if (isr.length > 0 || first === undefined) return { replicas, isr, unclean: false };
  return { replicas, isr: [first], unclean: true };
}

function difference(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set(a.filter((id) => !b.includes(id)))].sort((x, y) => x - y);
}

/**
 * Kafka's `validateManualPartitionAssignment`, its texts: an empty list, a broker that is not registered, a broker
 * named twice. Returns the message of the INVALID_REPLICA_ASSIGNMENT to answer, or undefined when it is valid.
 */
export function manualAssignmentError(
  replicas: readonly number[],
  isRegistered: (brokerId: number) => boolean,
): string | undefined {
  if (replicas.length === 0) return 'The manual partition assignment includes an empty replica list.';
  const sorted = [...replicas].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    const id = sorted[i] as number;
    if (!isRegistered(id))
      return `The manual partition assignment includes broker ${id}, but no such broker is registered.`;
    if (i > 0 && sorted[i - 1] === id)
      return `The manual partition assignment includes the broker ${id} more than once.`;
  }
  return undefined;
}
