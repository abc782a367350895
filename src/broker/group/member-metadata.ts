import type { JoinGroupRequestProtocol } from '../protocol/join-group/request.js';
import type { JoinGroupResponse } from '../protocol/join-group/response.js';
import type { ScheduledTask } from './scheduler.js';

/**
 * One member of a classic group, as in Kafka's `MemberMetadata`: who it is, the protocols it supports (with the
 * subscription metadata for each), its timeouts, its current assignment, and the JoinGroup / SyncGroup response
 * it is waiting for, if any. A member with a pending JoinGroup is "awaiting join": the rebalance waits for it, and
 * its session does not expire while it waits.
 *
 * Concurrency: owned by its GroupMetadata; only the GroupCoordinator mutates it, on the event loop.
 */
export class MemberMetadata {
  /** The chosen protocol's assignment bytes, set when the leader's SyncGroup arrives. */
  assignment: Buffer = Buffer.alloc(0);
  /** Resolves this member's pending JoinGroup; set while it waits for the join phase to end. */
  awaitingJoin: ((response: JoinGroupResponse) => void) | null = null;
  /** Resolves this member's pending SyncGroup; set while it waits for the leader's assignment. */
  awaitingSync: ((assignment: Buffer, errorCode: number) => void) | null = null;
  /** Joined during the current rebalance and has not yet received a JoinGroup response. */
  isNew = false;
  /** The session-timeout timer (Kafka's DelayedHeartbeat); replaced on every heartbeat. */
  heartbeatTimer: ScheduledTask | null = null;
  /** When the last heartbeat (or join/sync/commit, which count as one) arrived. */
  lastHeartbeatMs = 0;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    public rebalanceTimeoutMs: number,
    public sessionTimeoutMs: number,
    readonly protocolType: string,
    public supportedProtocols: JoinGroupRequestProtocol[],
  ) {}

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== null;
  }

  protocolNames(): string[] {
    return this.supportedProtocols.map((p) => p.name);
  }

  /** The subscription metadata this member sent for `protocol`. */
  metadata(protocol: string): Buffer {
    const found = this.supportedProtocols.find((p) => p.name === protocol);
    if (!found) throw new Error(`member ${this.memberId} does not support protocol ${protocol}`);
    return found.metadata;
  }

  /** Whether a rejoin carries exactly what the member sent before (then it needs no new rebalance). */
  matches(protocols: readonly JoinGroupRequestProtocol[]): boolean {
    if (protocols.length !== this.supportedProtocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.supportedProtocols[i];
      return mine !== undefined && mine.name === p.name && mine.metadata.equals(p.metadata);
    });
  }

  /** The member's most preferred protocol among `candidates` (its list is in preference order). */
  vote(candidates: ReadonlySet<string>): string {
    const choice = this.supportedProtocols.find((p) => candidates.has(p.name));
    if (!choice) throw new Error(`member ${this.memberId} supports none of ${[...candidates].join(', ')}`);
    return choice.name;
  }

  /** Answers the pending JoinGroup, if any. Returns whether there was one. */
  completeJoin(response: JoinGroupResponse): boolean {
    const callback = this.awaitingJoin;
    if (!callback) return false;
    this.awaitingJoin = null;
    callback(response);
    return true;
  }

  /** Answers the pending SyncGroup, if any. Returns whether there was one. */
  completeSync(assignment: Buffer, errorCode: number): boolean {
    const callback = this.awaitingSync;
    if (!callback) return false;
    this.awaitingSync = null;
    callback(assignment, errorCode);
    return true;
  }

  cancelHeartbeat(): void {
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = null;
  }
}
