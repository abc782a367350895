import { ErrorCode } from '../protocol/error-codes.js';
import type { EpochState } from './quorum-state.js';
import type { LeaderChangeRecord } from './leader-change-message.js';
import type { ElectionState, QuorumStateStore } from './quorum-state-store.js';
import type { OutboundMessage, RaftMessage } from './raft-messages.js';
import { batchLastOffset, truncationOffset, type ReplicatedLog } from './replicated-log.js';

export interface RaftConfig {
  readonly nodeId: number;
  /**
   * `controller.quorum.voters`: the ids of every voter. A node not among them is an **observer** (a broker that
   * is not a controller): it never votes or runs, it only finds the leader and fetches the log.
   */
  readonly voters: readonly number[];
  /** `controller.quorum.election.timeout.ms` (Kafka: 1000); each wait is this plus up to this again, at random. */
  readonly electionTimeoutMs?: number;
  /** `controller.quorum.fetch.timeout.ms` (Kafka: 2000): a follower that hears nothing this long runs. */
  readonly fetchTimeoutMs?: number;
  /** `controller.quorum.request.timeout.ms` (Kafka: 2000): when an unanswered Fetch/BeginQuorumEpoch is resent. */
  readonly requestTimeoutMs?: number;
  /** `controller.quorum.retry.backoff.ms` (Kafka: 20): the wait before resending a request that failed. */
  readonly retryBackoffMs?: number;
  /** Random numbers in [0, 1): inject a seeded one (`seededRandom`) so elections replay exactly. */
  readonly random: () => number;
  readonly store: QuorumStateStore;
  readonly log: ReplicatedLog;
}

/** DescribeQuorum's partition data, as the leader knows it. */
export interface QuorumDescription {
  readonly leaderId: number;
  readonly leaderEpoch: number;
  readonly highWatermark: number;
  readonly currentVoters: ReplicaDescription[];
  readonly observers: ReplicaDescription[];
}

export interface ReplicaDescription {
  readonly replicaId: number;
  readonly logEndOffset: number;
  /** -1 for the leader itself and for a replica not heard from. */
  readonly lastFetchTimestamp: number;
  /** The last fetch that reached the leader's log end offset; -1 for the leader itself and when never. */
  readonly lastCaughtUpTimestamp: number;
}

const MAX_FETCH_BATCHES = 100;

/**
 * A KRaft voter's Raft state machine (Kafka's `KafkaRaftClient` + `QuorumState`, KIP-595): elections
 * with Vote, BeginQuorumEpoch and EndQuorumEpoch, each preceded by a pre-vote (KIP-996), the metadata log
 * replicated by followers' Fetch with divergence detection, and the high watermark on a majority. Pure: no sockets, no timers, no wall
 * clock. The caller passes `now` to `poll` and `handle` and delivers the messages they return; so
 * one test can run five voters, drop and reorder messages, and replay a seed. Owns its log and its
 * quorum-state store; nothing else may write them.
 */
export class KafkaRaftClient {
  readonly nodeId: number;
  readonly voters: readonly number[];
  readonly #electionTimeoutMs: number;
  readonly #fetchTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #retryBackoffMs: number;
  readonly #random: () => number;
  readonly #store: QuorumStateStore;
  readonly log: ReplicatedLog;
  #state: EpochState;
  #highWatermark = 0;
  /** When the follower's outstanding Fetch was sent; undefined when none is outstanding. */
  #fetchSentAt: number | undefined;
  /** An observer without a leader asks the voters in turn; this is whose turn it is. */
  #discoveryIndex = 0;
  /** When a message (request or answer) last arrived from each node: proof its process was alive then. */
  readonly #lastHeard = new Map<number, number>();

  constructor(config: RaftConfig, now: number) {
    this.nodeId = config.nodeId;
    this.voters = [...config.voters];
    if (this.voters.length === 0) throw new Error('controller.quorum.voters names no voter');
    this.#electionTimeoutMs = config.electionTimeoutMs ?? 1000;
    this.#fetchTimeoutMs = config.fetchTimeoutMs ?? 2000;
    this.#requestTimeoutMs = config.requestTimeoutMs ?? 2000;
    this.#retryBackoffMs = config.retryBackoffMs ?? 20;
    this.#random = config.random;
    this.#store = config.store;
    this.log = config.log;
    this.#state = this.#recover(config.store.read(), now);
  }

  get state(): EpochState {
    return this.#state;
  }
  get epoch(): number {
    return this.#state.epoch;
  }
  get highWatermark(): number {
    return this.#highWatermark;
  }
  /** Where the leader's epoch starts (its leader-change record); undefined unless this node leads. */
  get epochStartOffset(): number | undefined {
    return this.#state.name === 'Leader' ? this.#state.epochStartOffset : undefined;
  }
  /** A voter takes part in elections; an observer only follows. */
  get isVoter(): boolean {
    return this.voters.includes(this.nodeId);
  }
  /** The leader this node knows for its epoch (a prospective: the one it suspects), or -1. */
  get leaderId(): number {
    if (this.#state.name === 'Leader') return this.nodeId;
    return this.#state.name === 'Follower' || this.#state.name === 'Prospective' ? this.#state.leaderId : -1;
  }

  /** A restarted voter resumes its epoch and vote; it never resumes leadership (its followers may have moved). */
  #recover(stored: ElectionState | undefined, now: number): EpochState {
    if (!stored) return { name: 'Unattached', epoch: 0, electionDeadline: this.#randomElectionDeadline(now) };
    if (stored.leaderId === this.nodeId) {
      return { name: 'Resigned', epoch: stored.epoch, electionDeadline: this.#randomElectionDeadline(now) };
    }
    if (stored.leaderId >= 0) {
      return {
        name: 'Follower',
        epoch: stored.epoch,
        leaderId: stored.leaderId,
        fetchDeadline: now + this.#fetchTimeoutMs,
        fetchedFromLeader: false,
      };
    }
    if (stored.votedId >= 0) {
      return {
        name: 'Voted',
        epoch: stored.epoch,
        votedId: stored.votedId,
        electionDeadline: this.#randomElectionDeadline(now),
      };
    }
    return { name: 'Unattached', epoch: stored.epoch, electionDeadline: this.#randomElectionDeadline(now) };
  }

  #randomElectionDeadline(now: number): number {
    return now + this.#electionTimeoutMs + Math.floor(this.#random() * this.#electionTimeoutMs);
  }

  get #majority(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  get #others(): number[] {
    return this.voters.filter((id) => id !== this.nodeId);
  }

  /** Every state change goes through here, so the quorum-state file is written before anyone is told. */
  #transition(next: EpochState): void {
    const votedId =
      next.name === 'Voted' || next.name === 'Prospective'
        ? next.votedId
        : next.name === 'Candidate'
          ? this.nodeId
          : -1;
    const leaderId =
      next.name === 'Leader' || next.name === 'Resigned'
        ? this.nodeId
        : next.name === 'Follower' || next.name === 'Prospective'
          ? next.leaderId
          : -1;
    this.#store.write({ epoch: next.epoch, leaderId, votedId, voters: this.voters });
    this.#state = next;
    this.#fetchSentAt = undefined;
  }

  #becomeUnattached(epoch: number, now: number): void {
    this.#transition({ name: 'Unattached', epoch, electionDeadline: this.#randomElectionDeadline(now) });
  }

  #becomeFollower(epoch: number, leaderId: number, now: number): void {
    this.#transition({
      name: 'Follower',
      epoch,
      leaderId,
      fetchDeadline: now + this.#fetchTimeoutMs,
      fetchedFromLeader: false,
    });
  }

  /**
   * KIP-996: before bumping the epoch, ask every other voter whether it would vote for this node in the next
   * one. A voter still fetching from a live leader says no, so a node that was frozen (SIGSTOP, a long GC pause)
   * or cut off and runs its timers before it reads the leader's answers never unseats that leader; a majority of
   * yeses makes it a Candidate. Without this, one thawed follower cost the cluster its controller.
   */
  #becomeProspective(now: number, out: OutboundMessage[]): void {
    const state = this.#state;
    const leaderId = state.name === 'Follower' || state.name === 'Prospective' ? state.leaderId : -1;
    const votedId =
      state.name === 'Voted' || state.name === 'Prospective'
        ? state.votedId
        : state.name === 'Candidate'
          ? this.nodeId
          : -1;
    const granted = new Set([this.nodeId]);
    this.#transition({
      name: 'Prospective',
      epoch: state.epoch,
      leaderId,
      votedId,
      granted,
      rejected: new Set(),
      electionDeadline: this.#randomElectionDeadline(now),
    });
    if (granted.size >= this.#majority) return this.#becomeCandidate(now, out);
    for (const to of this.#others) {
      out.push({
        to,
        message: {
          type: 'Vote',
          candidateEpoch: state.epoch + 1,
          candidateId: this.nodeId,
          lastOffsetEpoch: this.log.lastFetchedEpoch,
          lastOffset: this.log.endOffset,
          preVote: true,
        },
      });
    }
  }

  /**
   * A majority said no to the pre-vote: a leader is alive for them. Back to following the leader this node
   * knew (its next fetch tells), or to waiting in this epoch with the vote it cast still binding.
   */
  #prospectiveLost(now: number): void {
    const state = this.#state;
    if (state.name !== 'Prospective') return;
    if (state.leaderId >= 0) this.#becomeFollower(state.epoch, state.leaderId, now);
    else if (state.votedId >= 0)
      this.#transition({
        name: 'Voted',
        epoch: state.epoch,
        votedId: state.votedId,
        electionDeadline: this.#randomElectionDeadline(now),
      });
    else this.#becomeUnattached(state.epoch, now);
  }

  #becomeCandidate(now: number, out: OutboundMessage[]): void {
    const epoch = this.#state.epoch + 1;
    this.#transition({
      name: 'Candidate',
      epoch,
      granted: new Set([this.nodeId]),
      rejected: new Set(),
      electionDeadline: this.#randomElectionDeadline(now),
    });
    if (this.voters.length === 1) return this.#becomeLeader(now, out);
    for (const to of this.#others) {
      out.push({
        to,
        message: {
          type: 'Vote',
          candidateEpoch: epoch,
          candidateId: this.nodeId,
          lastOffsetEpoch: this.log.lastFetchedEpoch,
          lastOffset: this.log.endOffset,
          preVote: false,
        },
      });
    }
  }

  #becomeLeader(now: number, out: OutboundMessage[]): void {
    const epoch = this.#state.epoch;
    const grantingVoters = this.#state.name === 'Candidate' ? [...this.#state.granted].sort((a, b) => a - b) : [];
    const epochStartOffset = this.log.endOffset;
    const unacknowledged = new Map(this.#others.map((id) => [id, now]));
    this.#transition({
      name: 'Leader',
      epoch,
      epochStartOffset,
      endOffsets: new Map(this.voters.map((id) => [id, id === this.nodeId ? epochStartOffset : -1])),
      electedAt: now,
      lastFetchTimes: new Map(),
      lastCaughtUpTimes: new Map(),
      unacknowledged,
      observers: new Map(),
    });
    // Raft commits an earlier epoch's entries only through one of its own (§5.4.2): this record is it.
    const record: LeaderChangeRecord = {
      type: 'leader-change',
      leaderId: this.nodeId,
      voters: this.voters,
      grantingVoters,
    };
    this.log.appendAsLeader(epoch, [record], { control: true, timestamp: now });
    this.#updateLeaderEndOffset();
    for (const to of unacknowledged.keys())
      out.push({ to, message: { type: 'BeginQuorumEpoch', leaderId: this.nodeId, leaderEpoch: epoch } });
  }

  /**
   * Appends `records` as leader, as one batch (all or nothing), and returns the offset of the last one; they are
   * committed once the high watermark passes it.
   */
  appendAsLeader(records: readonly unknown[], now: number): number {
    if (this.#state.name !== 'Leader') throw new Error(`node ${this.nodeId} is ${this.#state.name}, not the leader`);
    const batch = this.log.appendAsLeader(this.#state.epoch, records, { timestamp: now });
    this.#updateLeaderEndOffset();
    return batchLastOffset(batch);
  }

  /**
   * A request to `to` failed without an answer (connection refused or lost). A follower's Fetch to its leader is
   * resent after the retry backoff rather than after the request timeout, so one broken connection does not
   * cost a fetch timeout and an election.
   */
  requestFailed(to: number, type: RaftMessage['type'], now: number): void {
    const state = this.#state;
    if (type !== 'Fetch' || state.name !== 'Follower' || state.leaderId !== to || this.#fetchSentAt === undefined)
      return;
    this.#fetchSentAt = Math.min(this.#fetchSentAt, now - this.#requestTimeoutMs + this.#retryBackoffMs);
  }

  /**
   * Graceful step-down (Kafka's `resign` on shutdown): tells the followers with EndQuorumEpoch, naming
   * successors in order of how far their logs reach, so the best-placed one runs first.
   */
  resign(now: number): OutboundMessage[] {
    const state = this.#state;
    if (state.name !== 'Leader') return [];
    const preferredSuccessors = this.#others.sort(
      (a, b) => (state.endOffsets.get(b) ?? -1) - (state.endOffsets.get(a) ?? -1),
    );
    this.#transition({ name: 'Resigned', epoch: state.epoch, electionDeadline: this.#randomElectionDeadline(now) });
    return this.#others.map((to) => ({
      to,
      message: { type: 'EndQuorumEpoch', leaderId: this.nodeId, leaderEpoch: state.epoch, preferredSuccessors },
    }));
  }

  /** Timers: elections, follower fetches, resending BeginQuorumEpoch, the leader's check-quorum. */
  poll(now: number): OutboundMessage[] {
    const out: OutboundMessage[] = [];
    const state = this.#state;
    switch (state.name) {
      case 'Unattached':
      case 'Voted':
      case 'Prospective':
      case 'Candidate':
      case 'Resigned':
        // An election that timed out (a lost one, or a pre-vote round without a majority either way) starts
        // again with a pre-vote, in the same epoch.
        if (!this.isVoter) this.#discoverLeader(now, out);
        else if (now >= state.electionDeadline) this.#becomeProspective(now, out);
        break;
      case 'Follower':
        if (now >= state.fetchDeadline) {
          // An observer cannot run: it forgets the leader and asks the voters who leads now.
          if (this.isVoter) this.#becomeProspective(now, out);
          else this.#becomeUnattached(state.epoch, now);
        } else if (this.#fetchSentAt === undefined || now - this.#fetchSentAt >= this.#requestTimeoutMs) {
          this.#fetchSentAt = now;
          out.push({
            to: state.leaderId,
            message: {
              type: 'Fetch',
              replicaId: this.nodeId,
              currentLeaderEpoch: state.epoch,
              fetchOffset: this.log.endOffset,
              lastFetchedEpoch: this.log.lastFetchedEpoch,
            },
          });
        }
        break;
      case 'Leader': {
        // Check quorum (Kafka ≥ 3.7): a leader cut off from a majority steps down instead of
        // believing it still leads; its followers' fetches are how it knows they are there.
        const heard = this.voters.filter(
          (id) =>
            id === this.nodeId || now - (state.lastFetchTimes.get(id) ?? state.electedAt) <= this.#fetchTimeoutMs * 1.5,
        );
        if (heard.length < this.#majority) {
          this.#transition({
            name: 'Resigned',
            epoch: state.epoch,
            electionDeadline: this.#randomElectionDeadline(now),
          });
          break;
        }
        for (const [to, sentAt] of state.unacknowledged) {
          if (now - sentAt >= this.#requestTimeoutMs) {
            state.unacknowledged.set(to, now);
            out.push({ to, message: { type: 'BeginQuorumEpoch', leaderId: this.nodeId, leaderEpoch: state.epoch } });
          }
        }
        break;
      }
    }
    return out;
  }

  /**
   * An observer that knows no leader sends a Fetch to one voter at a time (Kafka's observers do the same): any
   * voter's answer names the leader and epoch it knows, and the observer then follows that leader.
   */
  #discoverLeader(now: number, out: OutboundMessage[]): void {
    if (this.#fetchSentAt !== undefined && now - this.#fetchSentAt < this.#requestTimeoutMs) return;
    this.#fetchSentAt = now;
    const to = this.voters[this.#discoveryIndex++ % this.voters.length]!;
    out.push({
      to,
      message: {
        type: 'Fetch',
        replicaId: this.nodeId,
        currentLeaderEpoch: this.#state.epoch,
        fetchOffset: this.log.endOffset,
        lastFetchedEpoch: this.log.lastFetchedEpoch,
      },
    });
  }

  /**
   * When a message from node `from` last arrived, or undefined if never since this client started. A follower
   * hears from its leader at every fetch answer, so for the node that led before it is the moment it went quiet.
   */
  lastHeardFrom(from: number): number | undefined {
    return this.#lastHeard.get(from);
  }

  /** Handles one message from node `from`; returns what to send in answer (responses and follow-ups). */
  handle(from: number, message: RaftMessage, now: number): OutboundMessage[] {
    const out: OutboundMessage[] = [];
    this.#lastHeard.set(from, now);
    switch (message.type) {
      case 'Vote':
        out.push({ to: from, message: this.#handleVote(message, now) });
        break;
      case 'VoteResponse':
        this.#handleVoteResponse(from, message, now, out);
        break;
      case 'BeginQuorumEpoch':
        out.push({ to: from, message: this.#handleBeginQuorumEpoch(message, now) });
        break;
      case 'BeginQuorumEpochResponse':
        if (
          !this.#maybeFollowNewerEpoch(message.leaderEpoch, message.leaderId, now, from) &&
          this.#state.name === 'Leader'
        ) {
          if (message.errorCode === ErrorCode.NONE && message.leaderEpoch === this.#state.epoch)
            this.#state.unacknowledged.delete(from);
        }
        break;
      case 'EndQuorumEpoch':
        out.push({ to: from, message: this.#handleEndQuorumEpoch(message, now) });
        break;
      case 'EndQuorumEpochResponse':
        this.#maybeFollowNewerEpoch(message.leaderEpoch, message.leaderId, now, from);
        break;
      case 'Fetch':
        out.push({ to: from, message: this.#handleFetch(from, message, now) });
        break;
      case 'FetchResponse':
        this.#handleFetchResponse(from, message, now);
        break;
    }
    return out;
  }

  /**
   * Any message showing a newer epoch moves this node to it: following the leader it names, or
   * Unattached if none. This is what fences a stale leader. Returns whether it moved.
   */
  #maybeFollowNewerEpoch(epoch: number, leaderId: number, now: number, from: number): boolean {
    const state = this.#state;
    if (epoch < state.epoch) return false;
    if (epoch === state.epoch) {
      // A prospective suspects the leader it followed: only that leader's own answer shows it alive (another
      // voter naming it may just not have timed out yet).
      if (state.name === 'Prospective' && leaderId === state.leaderId && from !== leaderId) return false;
      // Same epoch, leader newly learned (a candidate or a voter that lost the race), or found alive again.
      if (leaderId >= 0 && leaderId !== this.nodeId && state.name !== 'Follower' && state.name !== 'Leader') {
        this.#becomeFollower(epoch, leaderId, now);
        return true;
      }
      return false;
    }
    if (leaderId >= 0 && leaderId !== this.nodeId) this.#becomeFollower(epoch, leaderId, now);
    else this.#becomeUnattached(epoch, now);
    return true;
  }

  #handleVote(request: Extract<RaftMessage, { type: 'Vote' }>, now: number): RaftMessage {
    const reply = (errorCode: number, voteGranted: boolean): RaftMessage => ({
      type: 'VoteResponse',
      errorCode,
      leaderId: this.leaderId,
      leaderEpoch: this.#state.epoch,
      voteGranted,
    });
    if (!this.voters.includes(request.candidateId)) return reply(ErrorCode.INCONSISTENT_VOTER_SET, false);
    if (request.candidateEpoch < this.#state.epoch) return reply(ErrorCode.FENCED_LEADER_EPOCH, false);
    // The candidate's log must be at least as up to date as ours: later last epoch, or same epoch and no shorter.
    const logOk =
      request.lastOffsetEpoch > this.log.lastFetchedEpoch ||
      (request.lastOffsetEpoch === this.log.lastFetchedEpoch && request.lastOffset >= this.log.endOffset);
    if (request.preVote) {
      const wouldGrant = this.#wouldGrantPreVote(request.candidateEpoch, logOk, now);
      if (!wouldGrant) this.#maybeRunNext(request, logOk, now);
      return reply(ErrorCode.NONE, wouldGrant);
    }
    if (request.candidateEpoch > this.#state.epoch) this.#becomeUnattached(request.candidateEpoch, now);
    const state = this.#state;
    let granted = false;
    if (state.name === 'Voted') granted = state.votedId === request.candidateId;
    else if (state.name === 'Prospective' && state.votedId >= 0) granted = state.votedId === request.candidateId;
    else if ((state.name === 'Unattached' || (state.name === 'Prospective' && state.leaderId < 0)) && logOk) {
      this.#transition({
        name: 'Voted',
        epoch: state.epoch,
        votedId: request.candidateId,
        electionDeadline: this.#randomElectionDeadline(now),
      });
      granted = true;
    } else this.#maybeRunNext(request, logOk, now);
    return reply(ErrorCode.NONE, granted);
  }

  /**
   * KIP-996: would this voter vote for a candidate in `candidateEpoch` (the asker's epoch + 1)? Answered without
   * any change of state. Not while it leads, has resigned, or fetches from a leader that has answered it within
   * the fetch timeout (Kafka's FollowerState: `hasFetchedFromLeader`): that leader is alive, and the asker is the
   * one that lost touch. Not for an asker whose epoch is
   * behind ours (our answer's epoch tells it), nor one whose log is behind ours.
   */
  #wouldGrantPreVote(candidateEpoch: number, logOk: boolean, now: number): boolean {
    const state = this.#state;
    if (candidateEpoch <= state.epoch || !logOk) return false;
    switch (state.name) {
      case 'Leader':
      case 'Resigned':
        return false;
      case 'Follower':
        return !state.fetchedFromLeader || now >= state.fetchDeadline;
      case 'Unattached':
      case 'Voted':
      case 'Prospective':
      case 'Candidate':
        return true;
    }
  }

  /**
   * A refused vote in an epoch without a leader means this epoch may elect nobody: two candidates that timed out
   * together each voted for themselves (a split vote, the usual case after a leader dies, since both followers'
   * fetch timers started at the same answer), or the candidate's log is behind ours and it cannot win. Kafka then
   * waits out a random election timeout (up to twice `controller.quorum.election.timeout.ms`). kq breaks the tie
   * instead: the voter that would win it — the longer log, or on equal logs the lower id — runs again after the
   * retry backoff, and the other keeps its random deadline, so its vote is free when the next epoch's request
   * comes. Starting an election early never risks safety (votes and epochs are still persisted first); it only
   * saves the wait, and both sides apply the same rule, so they never both hurry.
   */
  #maybeRunNext(request: Extract<RaftMessage, { type: 'Vote' }>, candidateLogOk: boolean, now: number): void {
    const state = this.#state;
    if (!this.isVoter || (state.name !== 'Candidate' && state.name !== 'Unattached' && state.name !== 'Prospective'))
      return;
    const ours = { epoch: this.log.lastFetchedEpoch, offset: this.log.endOffset };
    const theirLogIsLonger =
      request.lastOffsetEpoch > ours.epoch ||
      (request.lastOffsetEpoch === ours.epoch && request.lastOffset > ours.offset);
    const oursIsLonger = !candidateLogOk;
    const winsTie = oursIsLonger || (!theirLogIsLonger && this.nodeId < request.candidateId);
    if (!winsTie) return;
    const soon = now + this.#retryBackoffMs;
    if (state.electionDeadline > soon) this.#state = { ...state, electionDeadline: soon };
  }

  #handleVoteResponse(
    from: number,
    response: Extract<RaftMessage, { type: 'VoteResponse' }>,
    now: number,
    out: OutboundMessage[],
  ): void {
    if (this.#maybeFollowNewerEpoch(response.leaderEpoch, response.leaderId, now, from)) return;
    const state = this.#state;
    if (response.errorCode !== ErrorCode.NONE || response.leaderEpoch !== state.epoch) return;
    if (state.name === 'Prospective') {
      (response.voteGranted ? state.granted : state.rejected).add(from);
      if (state.granted.size >= this.#majority) this.#becomeCandidate(now, out);
      else if (state.rejected.size >= this.#majority) this.#prospectiveLost(now);
      return;
    }
    if (state.name !== 'Candidate') return;
    (response.voteGranted ? state.granted : state.rejected).add(from);
    if (state.granted.size >= this.#majority) this.#becomeLeader(now, out);
    // A lost election just waits out its randomised deadline; the next epoch's candidate is whoever wakes first.
  }

  #handleBeginQuorumEpoch(request: Extract<RaftMessage, { type: 'BeginQuorumEpoch' }>, now: number): RaftMessage {
    const reply = (errorCode: number): RaftMessage => ({
      type: 'BeginQuorumEpochResponse',
      errorCode,
      leaderId: this.leaderId,
      leaderEpoch: this.#state.epoch,
    });
    if (request.leaderEpoch < this.#state.epoch) return reply(ErrorCode.FENCED_LEADER_EPOCH);
    const state = this.#state;
    if (request.leaderEpoch > state.epoch || state.name !== 'Follower') {
      if (state.name === 'Leader' && request.leaderEpoch === state.epoch)
        return reply(ErrorCode.INCONSISTENT_VOTER_SET);
      this.#becomeFollower(request.leaderEpoch, request.leaderId, now);
    }
    return reply(ErrorCode.NONE);
  }

  #handleEndQuorumEpoch(request: Extract<RaftMessage, { type: 'EndQuorumEpoch' }>, now: number): RaftMessage {
    if (request.leaderEpoch >= this.#state.epoch) {
      if (request.leaderEpoch > this.#state.epoch) this.#becomeUnattached(request.leaderEpoch, now);
      const state = this.#state;
      if (
        ((state.name === 'Follower' || state.name === 'Prospective') && state.leaderId === request.leaderId) ||
        state.name === 'Unattached'
      ) {
        // Run soon, the preferred successors first: position 0 at once, each later one a backoff behind.
        const position = request.preferredSuccessors.indexOf(this.nodeId);
        const delay = position < 0 ? this.#electionTimeoutMs : Math.floor(position * this.#electionTimeoutMs * 0.1);
        this.#transition({ name: 'Unattached', epoch: state.epoch, electionDeadline: now + delay });
      }
    }
    return {
      type: 'EndQuorumEpochResponse',
      errorCode: ErrorCode.NONE,
      leaderId: this.leaderId,
      leaderEpoch: this.#state.epoch,
    };
  }

  #handleFetch(from: number, request: Extract<RaftMessage, { type: 'Fetch' }>, now: number): RaftMessage {
    const reply = (
      errorCode: number,
      fields: Partial<Extract<RaftMessage, { type: 'FetchResponse' }>> = {},
    ): RaftMessage => ({
      type: 'FetchResponse',
      errorCode,
      leaderId: this.leaderId,
      leaderEpoch: this.#state.epoch,
      highWatermark: this.#highWatermark,
      divergingEpoch: null,
      records: [],
      ...fields,
    });
    if (request.currentLeaderEpoch < this.#state.epoch) return reply(ErrorCode.FENCED_LEADER_EPOCH);
    if (request.currentLeaderEpoch > this.#state.epoch) return reply(ErrorCode.UNKNOWN_LEADER_EPOCH);
    const state = this.#state;
    if (state.name !== 'Leader') return reply(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    const isVoter = state.endOffsets.has(from);
    if (isVoter) {
      state.lastFetchTimes.set(from, now);
      state.unacknowledged.delete(from);
    }
    // KIP-595 divergence check: does our log hold the fetcher's last epoch up to where the fetcher's ends?
    if (request.fetchOffset > 0) {
      const ours = this.log.endOffsetForEpoch(request.lastFetchedEpoch);
      if (ours.epoch !== request.lastFetchedEpoch || ours.offset < request.fetchOffset) {
        return reply(ErrorCode.NONE, { divergingEpoch: ours });
      }
    }
    if (request.fetchOffset >= this.log.endOffset) state.lastCaughtUpTimes.set(from, now);
    // The offset a follower fetches from is its log end offset: everything below it matches ours. Only voters'
    // offsets count towards the high watermark; an observer's are kept for DescribeQuorum.
    if (isVoter) {
      state.endOffsets.set(from, request.fetchOffset);
      this.#maybeAdvanceHighWatermark();
    } else {
      state.observers.set(from, { endOffset: request.fetchOffset, lastFetchTime: now });
    }
    return reply(ErrorCode.NONE, {
      records: this.log.read(request.fetchOffset, MAX_FETCH_BATCHES),
      highWatermark: this.#highWatermark,
    });
  }

  #handleFetchResponse(from: number, response: Extract<RaftMessage, { type: 'FetchResponse' }>, now: number): void {
    // A prospective whose leader answers follows it again and takes this answer; an answer for an older fetch
    // from a leader of a newer epoch carries an error (FENCED_LEADER_EPOCH) and only moves the epoch.
    this.#maybeFollowNewerEpoch(response.leaderEpoch, response.leaderId, now, from);
    const state = this.#state;
    if (state.name !== 'Follower' || from !== state.leaderId || response.leaderEpoch !== state.epoch) return;
    this.#fetchSentAt = undefined;
    if (response.errorCode !== ErrorCode.NONE) return;
    // Hearing from the leader only moves the timer: nothing durable changed, so no quorum-state write.
    this.#state = { ...state, fetchDeadline: now + this.#fetchTimeoutMs, fetchedFromLeader: true };
    if (response.divergingEpoch) {
      const truncateTo = truncationOffset(this.log, response.divergingEpoch);
      // Committed entries never diverge (Raft's leader completeness); if they seem to, the quorum is broken.
      if (truncateTo < this.#highWatermark) {
        throw new Error(
          `node ${this.nodeId}: truncation to ${truncateTo} below the high watermark ${this.#highWatermark}`,
        );
      }
      this.log.truncateTo(truncateTo);
      return;
    }
    if (response.records.length > 0 && response.records[0]!.baseOffset !== this.log.endOffset) return; // an old answer
    this.log.appendAsFollower(response.records);
    // The high watermark never goes back, and never past what this follower holds.
    this.#highWatermark = Math.max(this.#highWatermark, Math.min(response.highWatermark, this.log.endOffset));
  }

  #updateLeaderEndOffset(): void {
    if (this.#state.name !== 'Leader') return;
    this.#state.endOffsets.set(this.nodeId, this.log.endOffset);
    this.#maybeAdvanceHighWatermark();
  }

  /** The high watermark is the offset a majority of voters have reached, once it covers this epoch's start. */
  #maybeAdvanceHighWatermark(): void {
    const state = this.#state;
    if (state.name !== 'Leader') return;
    const reached = [...state.endOffsets.values()].sort((a, b) => b - a)[this.#majority - 1] ?? -1;
    if (reached > state.epochStartOffset && reached > this.#highWatermark) this.#highWatermark = reached;
  }

  /** DescribeQuorum's answer; only the leader knows the voters' positions (others answer NOT_LEADER_OR_FOLLOWER). */
  describeQuorum(): QuorumDescription | undefined {
    const state = this.#state;
    if (state.name !== 'Leader') return undefined;
    return {
      leaderId: this.nodeId,
      leaderEpoch: state.epoch,
      highWatermark: this.#highWatermark,
      currentVoters: this.voters.map((replicaId) => ({
        replicaId,
        logEndOffset: state.endOffsets.get(replicaId) ?? -1,
        lastFetchTimestamp: replicaId === this.nodeId ? -1 : (state.lastFetchTimes.get(replicaId) ?? -1),
        lastCaughtUpTimestamp: replicaId === this.nodeId ? -1 : (state.lastCaughtUpTimes.get(replicaId) ?? -1),
      })),
      observers: [...state.observers].map(([replicaId, o]) => ({
        replicaId,
        logEndOffset: o.endOffset,
        lastFetchTimestamp: o.lastFetchTime,
        lastCaughtUpTimestamp: state.lastCaughtUpTimes.get(replicaId) ?? -1,
      })),
    };
  }
}

/** Re-exported: the seeded generator elections use lives with the broker's utils (tests import it from here). */
export { seededRandom } from '../utils/seeded-random.js';
