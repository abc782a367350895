import { NO_LEADER } from '../metadata/partition-registration.js';

/**
 * Kafka's `PartitionChangeBuilder.Election`: which leaders an election may pick.
 * - `PREFERRED`: the first assigned replica if it is in the ISR and acceptable, else as `ONLINE`
 *   (ElectLeaders PREFERRED, `auto.leader.rebalance.enable`).
 * - `ONLINE`: keep the partition online from the ISR only (the clean election of every fencing, controlled
 *   shutdown and ISR change).
 * - `UNCLEAN`: as `ONLINE`, but when no ISR member is acceptable, elect the first acceptable replica in assignment
 *   order although it is out of sync (`unclean.leader.election.enable`, ElectLeaders UNCLEAN): acknowledged
 *   records it lacks are lost.
 */
export type Election = 'PREFERRED' | 'ONLINE' | 'UNCLEAN';

/**
 * The rule that chose a leader, for the "why" log: each names the config or KIP behind it.
 * - `current-leader`: the leader is still in the ISR and acceptable; nothing to elect.
 * - `preferred-replica`: the first assigned replica (the preferred leader), in the ISR.
 * - `first-isr-in-assignment-order`: the offline-partition election, first ISR member in assignment order.
 * - `eligible-leader-replica`: the ISR is empty; the first live Eligible Leader Replica in assignment order (KIP-966):
 *   it left the ISR below min.insync.replicas holding every committed record, so nothing is lost.
 * - `last-known-leader`: ISR and ELR are empty; the partition's last leader is live again (KIP-966's balanced
 *   recovery): it had every record the partition committed, but as Kafka does it counts as unclean (ISR [leader]).
 * - `unclean-first-live-replica`: no ISR member is live; the first live replica, out of sync.
 * - `no-eligible-leader`: nobody may lead; the partition is offline (leader -1).
 */
export type ElectionRule =
  | 'current-leader'
  | 'preferred-replica'
  | 'first-isr-in-assignment-order'
  | 'eligible-leader-replica'
  | 'last-known-leader'
  | 'unclean-first-live-replica'
  | 'no-eligible-leader';

/** Kafka's `PartitionChangeBuilder.ElectionResult`, with the rule that decided it. */
export interface ElectionResult {
  /** The elected broker, or NO_LEADER (-1). */
  readonly node: number;
  /** True when the leader is not in the ISR: the ISR becomes [node] and unreplicated records are lost. */
  readonly unclean: boolean;
  readonly rule: ElectionRule;
}

/** What an election looks at: the target replicas and ISR (after the change being built), and who may lead. */
export interface ElectionInput {
  readonly election: Election;
  /** Assigned replicas in assignment order (the first is the preferred leader). */
  readonly replicas: readonly number[];
  /** The ISR the change leaves (a fenced broker already removed). */
  readonly isr: readonly number[];
  /** KIP-966: the ELR the change leaves; its members may lead when `isr` is empty. Default: none. */
  readonly elr?: readonly number[];
  /**
   * KIP-966: the partition's last-known ELR before the change; with ELR enabled and ISR and ELR empty, a single
   * member that is acceptable is elected (Kafka's `canElectLastKnownLeader`). Default: none (ELR disabled).
   */
  readonly lastKnownElr?: readonly number[];
  readonly currentLeader: number;
  /** Registered, unfenced, not shutting down (and not the broker being removed). */
  readonly isAcceptableLeader: (brokerId: number) => boolean;
}

/**
 * Kafka's `PartitionChangeBuilder.electLeader`, the election rules in one pure function. A valid clean leader is
 * acceptable and in the ISR, or, when the ISR is empty, in the ELR (KIP-966's `isValidNewLeader`).
 */
export function electLeader(input: ElectionInput): ElectionResult {
  return input.election === 'PREFERRED' ? electPreferredLeader(input) : electAnyLeader(input);
}

/** Kafka's `electPreferredLeader`: the preferred replica if valid, else keep the leader, else any valid replica. */
function electPreferredLeader(input: ElectionInput): ElectionResult {
  const valid = isValidNewLeader(input);
  const preferred = input.replicas[0];
  if (preferred !== undefined && valid(preferred))
    return { node: preferred, unclean: false, rule: 'preferred-replica' };
  if (valid(input.currentLeader)) return { node: input.currentLeader, unclean: false, rule: 'current-leader' };
  const online = input.replicas.slice(1).find(valid);
  if (online !== undefined) return { node: online, unclean: false, rule: cleanRule(input) };
  const lastKnown = lastKnownLeader(input);
  if (lastKnown !== undefined) return { node: lastKnown, unclean: true, rule: 'last-known-leader' };
  return { node: NO_LEADER, unclean: false, rule: 'no-eligible-leader' };
}

/** Kafka's `electAnyLeader` (ONLINE and UNCLEAN). */
function electAnyLeader(input: ElectionInput): ElectionResult {
  const valid = isValidNewLeader(input);
  if (valid(input.currentLeader)) return { node: input.currentLeader, unclean: false, rule: 'current-leader' };
  const online = input.replicas.find(valid);
  if (online !== undefined) return { node: online, unclean: false, rule: cleanRule(input) };
  const lastKnown = lastKnownLeader(input);
  if (lastKnown !== undefined) return { node: lastKnown, unclean: true, rule: 'last-known-leader' };
  if (input.election === 'UNCLEAN') {
    const unclean = input.replicas.find((id) => input.isAcceptableLeader(id));
    if (unclean !== undefined) return { node: unclean, unclean: true, rule: 'unclean-first-live-replica' };
  }
  return { node: NO_LEADER, unclean: false, rule: 'no-eligible-leader' };
}

/** Kafka's `isValidNewLeader`: in the ISR, or in the ELR when the ISR is empty; and acceptable. */
function isValidNewLeader(input: ElectionInput): (id: number) => boolean {
  const elr = input.isr.length === 0 ? (input.elr ?? []) : [];
  return (id) => id !== NO_LEADER && (input.isr.includes(id) || elr.includes(id)) && input.isAcceptableLeader(id);
}

/** A clean election found a leader: from the ISR, or from the ELR when the ISR is empty. */
function cleanRule(input: ElectionInput): ElectionRule {
  return input.isr.length === 0 ? 'eligible-leader-replica' : 'first-isr-in-assignment-order';
}

/**
 * Kafka's `canElectLastKnownLeader` (ELR enabled, `useLastKnownLeaderInBalancedRecovery` as by default): ISR and
 * ELR empty, the last-known ELR one broker, and that broker acceptable.
 */
function lastKnownLeader(input: ElectionInput): number | undefined {
  const last = input.lastKnownElr ?? [];
  if (input.isr.length > 0 || (input.elr ?? []).length > 0 || last.length !== 1) return undefined;
  const [leader] = last;
  return leader !== undefined && input.isAcceptableLeader(leader) ? leader : undefined;
}
