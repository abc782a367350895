import type { JoinGroupRequestProtocol } from '../protocol/join-group/request.js';
import type { MemberMetadata } from './member-metadata.js';

/**
 * The states of a classic group (Kafka's `GroupState`):
 *
 *   Empty               no members; may still hold committed offsets (expire after offsets.retention.minutes)
 *   PreparingRebalance  a join phase is open: members (re)send JoinGroup; it ends when all known members have
 *                       rejoined or the rebalance timeout expires
 *   CompletingRebalance JoinGroup responses sent; waiting for the leader's SyncGroup with the assignment
 *   Stable              every member has its assignment; heartbeats keep the sessions alive
 *   Dead                removed (no members, no offsets); a late request sees COORDINATOR_NOT_AVAILABLE
 */
export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** Kafka's `validPreviousStates`: a transition from anywhere else is a coordinator bug, not a client error. */
const VALID_PREVIOUS_STATES: Record<GroupState, readonly GroupState[]> = {
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  Empty: ['PreparingRebalance'],
};

export class IllegalGroupStateTransitionError extends Error {
  constructor(groupId: string, from: GroupState, to: GroupState) {
    super(
      `group ${groupId} cannot go from ${from} to ${to}; it may only enter ${to} from ${VALID_PREVIOUS_STATES[to].join(', ')}`,
    );
    this.name = 'IllegalGroupStateTransitionError';
  }
}

/** One committed offset (Kafka's `OffsetAndMetadata` with the commit time used for expiry). */
export interface OffsetAndMetadata {
  offset: bigint;
  /** The leader epoch the consumer saw at that offset, -1 if unknown. */
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: number;
}

/** `topic → partition → committed offset`. */
export type CommittedOffsets = Map<string, Map<number, OffsetAndMetadata>>;

/**
 * One group's state, as in Kafka's `GroupMetadata` (classic protocol): the state machine, the members in join
 * order, members that were handed an id by MEMBER_ID_REQUIRED but have not rejoined yet ("pending"), the
 * generation, the chosen protocol, the leader, and the group's committed offsets.
 *
 * It decides nothing about requests; it answers questions (have all members joined? which protocol wins?) and
 * keeps its invariants (the leader is a member; the protocol is supported by every member).
 *
 * Concurrency: owned by the GroupMetadataManager's group map; only the GroupCoordinator (request handlers and its
 * timer tasks, all on the event loop) mutates it, so no request ever sees a half-made change.
 */
export class GroupMetadata {
  private _state: GroupState;
  /** When the group entered its current state; Empty's timestamp starts the offset-expiry clock. */
  currentStateTimestamp: number;
  protocolType: string | null = null;
  protocolName: string | null = null;
  generationId = 0;
  leaderId: string | null = null;
  /** Members in join order: Map keeps insertion order, which is how "the first member to join leads" is kept. */
  readonly members = new Map<string, MemberMetadata>();
  /** Ids handed out with MEMBER_ID_REQUIRED whose owners have not rejoined yet; a rebalance waits for them. */
  readonly pendingMembers = new Set<string>();
  /** A member joined during the initial rebalance delay, so the delay is extended once more. */
  newMemberAdded = false;
  readonly offsets: CommittedOffsets = new Map();

  constructor(
    readonly groupId: string,
    initialState: GroupState,
    now: number,
  ) {
    this._state = initialState;
    this.currentStateTimestamp = now;
  }

  get state(): GroupState {
    return this._state;
  }

  is(state: GroupState): boolean {
    return this._state === state;
  }

  transitionTo(state: GroupState, now: number): void {
    if (!VALID_PREVIOUS_STATES[state].includes(this._state)) {
      throw new IllegalGroupStateTransitionError(this.groupId, this._state, state);
    }
    this._state = state;
    this.currentStateTimestamp = now;
  }

  /** A rebalance can start from a settled or settling group, never while one is already preparing. */
  canRebalance(): boolean {
    return VALID_PREVIOUS_STATES.PreparingRebalance.includes(this._state);
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): MemberMetadata {
    const member = this.members.get(memberId);
    if (!member) throw new Error(`group ${this.groupId} has no member ${memberId}`);
    return member;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: MemberMetadata): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
  }

  /** Removes a member; if it led, the next member in join order leads (Kafka: `members.keys.headOption`). */
  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (!member) return;
    member.cancelHeartbeat();
    this.members.delete(memberId);
    if (this.isLeader(memberId)) this.leaderId = this.members.keys().next().value ?? null;
  }

  addPendingMember(memberId: string): void {
    this.pendingMembers.add(memberId);
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId);
  }

  removePendingMember(memberId: string): boolean {
    return this.pendingMembers.delete(memberId);
  }

  /** All known members have a JoinGroup waiting and nobody holding a MEMBER_ID_REQUIRED id is still to come. */
  hasAllMembersJoined(): boolean {
    return this.pendingMembers.size === 0 && [...this.members.values()].every((m) => m.isAwaitingJoin);
  }

  notYetRejoinedMembers(): MemberMetadata[] {
    return [...this.members.values()].filter((m) => !m.isAwaitingJoin);
  }

  /** The longest rebalance timeout of any member: how long a join phase may wait for stragglers. */
  rebalanceTimeoutMs(): number {
    return Math.max(0, ...[...this.members.values()].map((m) => m.rebalanceTimeoutMs));
  }

  /** Protocols every current member supports. */
  candidateProtocols(): Set<string> {
    const members = [...this.members.values()];
    const [first, ...rest] = members;
    if (!first) return new Set();
    return new Set(first.protocolNames().filter((name) => rest.every((m) => m.protocolNames().includes(name))));
  }

  /**
   * Whether a member with these protocols may join: an empty group accepts any non-empty list; otherwise the
   * protocol type must match and at least one protocol must be supported by every current member too.
   */
  supportsProtocols(protocolType: string, protocols: readonly JoinGroupRequestProtocol[]): boolean {
    if (this.is('Empty')) return protocolType.length > 0 && protocols.length > 0;
    if (this.protocolType !== protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocols.some((p) => candidates.has(p.name));
  }

  /**
   * Kafka's `selectProtocol`: among protocols all members support, each member votes for its most preferred one;
   * the most votes win, ties going to the candidate that comes first in the first member's list.
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    if (candidates.size === 0) throw new Error(`group ${this.groupId} has no protocol all members support`);
    const votes = new Map<string, number>([...candidates].map((name) => [name, 0]));
    for (const member of this.members.values()) {
      const choice = member.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best = '';
    let bestVotes = -1;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    return best;
  }

  /** Ends a join phase: the next generation, with a protocol if anyone is left, else an Empty group. */
  initNextGeneration(now: number): void {
    this.generationId += 1;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = null;
      this.transitionTo('Empty', now);
    }
  }

  /** What the leader needs to compute an assignment: every member's subscription for the chosen protocol. */
  currentMemberMetadata(): Array<{ memberId: string; groupInstanceId: string | null; metadata: Buffer }> {
    const protocol = this.protocolName;
    if (protocol === null) throw new Error(`group ${this.groupId} has no protocol in state ${this._state}`);
    return [...this.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadata(protocol),
    }));
  }

  // ------------------------------------------------------------ committed offsets

  offset(topic: string, partition: number): OffsetAndMetadata | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  setOffset(topic: string, partition: number, offset: OffsetAndMetadata): void {
    let partitions = this.offsets.get(topic);
    if (!partitions) {
      partitions = new Map();
      this.offsets.set(topic, partitions);
    }
    partitions.set(partition, offset);
  }

  removeOffset(topic: string, partition: number): void {
    const partitions = this.offsets.get(topic);
    if (!partitions) return;
    partitions.delete(partition);
    if (partitions.size === 0) this.offsets.delete(topic);
  }

  hasOffsets(): boolean {
    return this.offsets.size > 0;
  }

  /** Every committed offset as a flat list, topics and partitions in order. */
  allOffsets(): Array<{ topic: string; partition: number; offset: OffsetAndMetadata }> {
    return [...this.offsets.keys()].sort().flatMap((topic) => {
      const partitions = this.offsets.get(topic) as Map<number, OffsetAndMetadata>;
      return [...partitions.keys()]
        .sort((a, b) => a - b)
        .map((partition) => ({
          topic,
          partition,
          offset: partitions.get(partition) as OffsetAndMetadata,
        }));
    });
  }
}
