import { randomUUID } from 'node:crypto';
import { ErrorCode } from '../protocol/error-codes.js';
import type { DescribeGroupsRequest } from '../protocol/describe-groups/request.js';
import type { DescribeGroupsResponse, DescribedGroup } from '../protocol/describe-groups/response.js';
import type { FindCoordinatorRequest } from '../protocol/find-coordinator/request.js';
import type { FindCoordinatorResponse } from '../protocol/find-coordinator/response.js';
import type { HeartbeatRequest } from '../protocol/heartbeat/request.js';
import type { HeartbeatResponse } from '../protocol/heartbeat/response.js';
import type { JoinGroupRequest, JoinGroupRequestProtocol } from '../protocol/join-group/request.js';
import type { JoinGroupResponse } from '../protocol/join-group/response.js';
import type { LeaveGroupRequest } from '../protocol/leave-group/request.js';
import type { LeaveGroupResponse, LeaveGroupResponseMember } from '../protocol/leave-group/response.js';
import type { ListGroupsRequest } from '../protocol/list-groups/request.js';
import type { ListGroupsResponse } from '../protocol/list-groups/response.js';
import type { OffsetCommitRequest } from '../protocol/offset-commit/request.js';
import type { OffsetCommitResponse } from '../protocol/offset-commit/response.js';
import type { OffsetFetchRequest } from '../protocol/offset-fetch/request.js';
import type { OffsetFetchResponse } from '../protocol/offset-fetch/response.js';
import type { SyncGroupRequest } from '../protocol/sync-group/request.js';
import type { SyncGroupResponse } from '../protocol/sync-group/response.js';
import { decodeAssignment } from './consumer-protocol.js';
import { DelayedJoin } from './delayed-join.js';
import { DEFAULT_GROUP_CONFIG, type GroupConfig } from './group-config.js';
import type { GroupEvent, GroupEventListener } from './group-events.js';
import { GroupMetadata } from './group-metadata.js';
import { snapshotOf, type EndOffsetLookup, type GroupSnapshot } from './group-snapshot.js';
import { GroupMetadataManager, writeErrorCode, type OffsetsTopicLogs } from './group-metadata-manager.js';
import { MemberMetadata } from './member-metadata.js';
import { OffsetMetadataManager, offsetCommitError } from './offset-metadata-manager.js';
import { KafkaScheduler, type ScheduledTask, type Scheduler } from './scheduler.js';

/** Who sent a group request: the API version decides a few semantics (MEMBER_ID_REQUIRED from v4, LeaveGroup v3 batches). */
export interface GroupRequestContext {
  apiVersion: number;
  clientId: string;
  clientHost: string;
}

/** This broker as FindCoordinator names it. */
export interface CoordinatorNode {
  nodeId: number;
  host: string;
  port: number;
}

/**
 * Where a group's coordinator is: the broker leading its `__consumer_offsets` partition, or why none can be named
 * yet (the topic is being created, the partition has no leader): COORDINATOR_NOT_AVAILABLE, which clients retry.
 */
export type CoordinatorLookup = CoordinatorNode | { errorCode: number; errorMessage: string };

export interface GroupCoordinatorOptions {
  /** Settings by Kafka's names; unset ones take Kafka's defaults. */
  config?: Partial<GroupConfig>;
  /** The `__consumer_offsets` partitions this broker hosts. */
  logs: OffsetsTopicLogs;
  /** Real timers by default; tests pass a mock to drive time. */
  scheduler?: Scheduler;
  /** Whether a topic partition exists; commits for others get UNKNOWN_TOPIC_OR_PARTITION. Default: all exist. */
  partitionExists?: (topic: string, partition: number) => boolean;
}

/** What `startup` replayed from `__consumer_offsets`. */
export interface LoadSummary {
  groups: number;
  offsets: number;
  recordsRead: number;
  /** Records replay could not read (not written by a coordinator: a client produced to the topic) and skipped. */
  recordsSkipped: number;
}

const EMPTY = Buffer.alloc(0);
/** Kafka's JoinGroupRequest.UNKNOWN_MEMBER_ID: a first join carries no member id. */
const UNKNOWN_MEMBER_ID = '';
/** ListGroups v5's group type: kq runs Kafka's classic group protocol only (no KIP-848 `consumer` groups). */
const CLASSIC_GROUP_TYPE = 'classic';

/** Transaction coordinators (FindCoordinator key type 1) are not part of this broker. */
const GROUP_KEY_TYPE = 0;

/**
 * The classic group coordinator (Kafka's `GroupCoordinator`, pre-KIP-848 protocol): JoinGroup, SyncGroup,
 * Heartbeat, LeaveGroup, DescribeGroups, ListGroups, OffsetCommit and OffsetFetch, plus the timers that drive
 * a group without requests (session timeouts, rebalance timeouts, the initial rebalance delay, offset expiry).
 *
 * A rebalance: the first JoinGroup (or a departure, a timeout, a changed subscription) moves the group to
 * PreparingRebalance; JoinGroup responses are held back (pending promises) until every known member has rejoined
 * or the rebalance timeout expires; then the next generation starts, the protocol all members support is chosen,
 * and everyone gets a JoinGroup response — the leader (first to join) with all members' subscriptions. The leader
 * computes the assignment and sends it in SyncGroup; followers' SyncGroups wait for it. Heartbeats then keep each
 * session alive; a heartbeat answered REBALANCE_IN_PROGRESS is how a member learns it must rejoin.
 *
 * Every state change is a GroupEvent for `onEvent` listeners. Group snapshots are written to `__consumer_offsets`
 * through the GroupMetadataManager, committed offsets (OffsetCommit, OffsetFetch, expiry) through the
 * OffsetMetadataManager; both are replayed by `startup`. This class keeps membership, rebalances and timers.
 *
 * Concurrency: everything runs on the event loop: handlers run to completion, timer tasks run between requests,
 * so a group is never seen half-changed. Owned by the broker (KafkaBroker starts and stops it); KafkaApis calls
 * the handlers. It must not be shared between brokers.
 */

export class GroupCoordinator {
  readonly config: GroupConfig;
  private readonly manager: GroupMetadataManager;
  private readonly offsets: OffsetMetadataManager;
  private readonly scheduler: Scheduler;
  private readonly joins = new Map<string, DelayedJoin>();
  private readonly pendingMemberTimers = new Map<string, ScheduledTask>();
  private readonly listeners = new Set<GroupEventListener>();
  private expiryTask: ScheduledTask | null = null;
  private active = false;
  /**
   * The `__consumer_offsets` partitions this coordinator leads, in a replicated cluster (Kafka's `onElection` /
   * `onResignation`); null on one broker, which coordinates every group.
   */
  private owned: Set<number> | null = null;

  constructor(options: GroupCoordinatorOptions) {
    this.config = Object.freeze({ ...DEFAULT_GROUP_CONFIG, ...options.config });
    if (this.config.groupMinSessionTimeoutMs > this.config.groupMaxSessionTimeoutMs) {
      throw new RangeError(
        `group.min.session.timeout.ms (${this.config.groupMinSessionTimeoutMs}) is above group.max.session.timeout.ms ` +
          `(${this.config.groupMaxSessionTimeoutMs}); lower the minimum or raise the maximum`,
      );
    }
    this.manager = new GroupMetadataManager(this.config, options.logs);
    const scheduler = (this.scheduler = options.scheduler ?? new KafkaScheduler());
    this.offsets = new OffsetMetadataManager({
      config: this.config,
      groups: this.manager,
      now: () => scheduler.now(),
      partitionExists: options.partitionExists ?? (() => true),
      onMemberCommit: (group, member) => this.completeAndScheduleNextHeartbeatExpiration(group, member),
      emit: (event) => this.emit(event),
    });
  }

  // ------------------------------------------------------------------ lifecycle and events

  /**
   * Replays `__consumer_offsets`, restarts the sessions of loaded members, and starts the offset-expiry sweep.
   * `elected`: a broker of a replicated cluster, which coordinates only the groups of the partitions it is elected
   * leader of (`onElection`), so it loads nothing yet.
   */
  startup(options: { elected?: boolean } = {}): LoadSummary {
    this.owned = options.elected ? new Set() : null;
    const summary = options.elected
      ? { groups: 0, offsets: 0, recordsRead: 0, recordsSkipped: 0 }
      : this.load(undefined);
    this.active = true;
    this.scheduleOffsetExpiry();
    return summary;
  }

  /**
   * Kafka's `onElection`: this broker now leads `__consumer_offsets` partition `partition`, so it coordinates the
   * groups stored there: they are replayed from its replica of the partition (which holds every committed record:
   * a new leader has all of them) and their members get a fresh session. Already led: nothing to do.
   */
  onElection(partition: number): void {
    if (this.owned === null || this.owned.has(partition)) return;
    this.owned.add(partition);
    this.load([partition]);
  }

  /**
   * Kafka's `onResignation`: another broker leads `partition` now. Its groups are forgotten here; members waiting
   * in JoinGroup or SyncGroup are told NOT_COORDINATOR, so they look the coordinator up again and rejoin there.
   */
  onResignation(partition: number): void {
    if (this.owned === null || !this.owned.delete(partition)) return;
    for (const group of this.manager.unloadPartition(partition)) this.cancelGroup(group);
  }

  /** The partitions this coordinator leads (replicated), or null when it coordinates every group (one broker). */
  get ownedPartitions(): readonly number[] | null {
    return this.owned === null ? null : [...this.owned].sort((a, b) => a - b);
  }

  private load(partitions: readonly number[] | undefined): LoadSummary {
    const now = this.scheduler.now();
    const { recordsRead, recordsSkipped } = this.manager.loadGroups(
      now,
      (groupId, topic, partition, value) => this.offsets.replay(groupId, topic, partition, value),
      partitions,
    );
    const offsets = this.offsets.completeLoad(now);
    const loaded = this.manager
      .currentGroups()
      .filter((g) => partitions === undefined || partitions.includes(this.partitionFor(g.groupId)));
    const summary = { groups: loaded.length, offsets, recordsRead, recordsSkipped };
    for (const group of loaded) {
      for (const member of group.members.values()) this.completeAndScheduleNextHeartbeatExpiration(group, member);
    }
    this.emit({ type: 'groups-loaded', ...summary, at: now });
    return summary;
  }

  /** Stops a group's timers and answers its held JoinGroup/SyncGroup requests NOT_COORDINATOR. */
  private cancelGroup(group: GroupMetadata): void {
    this.joins.get(group.groupId)?.cancel();
    this.joins.delete(group.groupId);
    for (const [key, timer] of this.pendingMemberTimers) {
      if (!key.startsWith(`${group.groupId}\u0000`)) continue;
      timer.cancel();
      this.pendingMemberTimers.delete(key);
    }
    for (const member of group.members.values()) {
      member.cancelHeartbeat();
      member.completeJoin(joinError(member.memberId, ErrorCode.NOT_COORDINATOR));
      member.completeSync(EMPTY, ErrorCode.NOT_COORDINATOR);
    }
  }

  /** Stops every timer and answers every held JoinGroup/SyncGroup with NOT_COORDINATOR, so clients look again. */
  shutdown(): void {
    this.active = false;
    this.expiryTask?.cancel();
    this.expiryTask = null;
    for (const join of this.joins.values()) join.cancel();
    this.joins.clear();
    for (const timer of this.pendingMemberTimers.values()) timer.cancel();
    this.pendingMemberTimers.clear();
    for (const group of this.manager.currentGroups()) {
      for (const member of group.members.values()) {
        member.cancelHeartbeat();
        member.completeJoin(joinError(member.memberId, ErrorCode.NOT_COORDINATOR));
        member.completeSync(EMPTY, ErrorCode.NOT_COORDINATOR);
      }
    }
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Subscribes to group events; returns the unsubscribe function. */
  onEvent(listener: GroupEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The `__consumer_offsets` partition a group's records go to (and whose leader coordinates it). */
  partitionFor(groupId: string): number {
    return this.manager.partitionFor(groupId);
  }

  // ------------------------------------------------------------------ FindCoordinator

  /**
   * The coordinator of each group asked: `coordinatorFor` names it (one broker: itself; a replicated cluster: the
   * leader of the group's `__consumer_offsets` partition). Transaction coordinators do not exist here.
   */
  handleFindCoordinator(
    request: FindCoordinatorRequest,
    coordinatorFor: (groupId: string) => CoordinatorLookup,
  ): FindCoordinatorResponse {
    // v4+ (KIP-699) asks about several keys at once: the same answer per key, in a list.
    if (request.coordinatorKeys !== undefined && request.coordinatorKeys.length > 0) {
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        nodeId: -1,
        host: '',
        port: -1,
        coordinators: request.coordinatorKeys.map((key) => {
          const { errorCode, errorMessage, nodeId, host, port } = this.handleFindCoordinator(
            { key, keyType: request.keyType },
            coordinatorFor,
          );
          return { key, nodeId, host, port, errorCode, errorMessage };
        }),
      };
    }
    const fail = (errorCode: number, errorMessage: string): FindCoordinatorResponse => ({
      throttleTimeMs: 0,
      errorCode,
      errorMessage,
      nodeId: -1,
      host: '',
      port: -1,
    });
    if (request.keyType !== GROUP_KEY_TYPE) {
      return fail(
        ErrorCode.COORDINATOR_NOT_AVAILABLE,
        'This broker has no transaction coordinator; only group coordinators (key type 0).',
      );
    }
    if (!this.active)
      return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The group coordinator is not running; retry shortly.');
    const found = coordinatorFor(request.key);
    if ('errorCode' in found) return fail(found.errorCode, found.errorMessage);
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      // Kafka's answer carries its error's message even on success: Errors.NONE's, "NONE" (v1+; v0 has no field)
      errorMessage: 'NONE',
      nodeId: found.nodeId,
      host: found.host,
      port: found.port,
    };
  }

  // ------------------------------------------------------------------ JoinGroup

  /** Resolves when the join phase ends (or at once for an error, MEMBER_ID_REQUIRED, or an unchanged member). */
  handleJoinGroup(request: JoinGroupRequest, context: GroupRequestContext): Promise<JoinGroupResponse> {
    // From v7 an error answer carries null protocol type and name, as Kafka's; before, ''.
    if (context.apiVersion < 7) return this.joinGroup(request, context);
    return this.joinGroup(request, context).then((response) =>
      response.errorCode === ErrorCode.NONE ? response : { ...response, protocolType: null, protocolName: null },
    );
  }

  private joinGroup(request: JoinGroupRequest, context: GroupRequestContext): Promise<JoinGroupResponse> {
    const { groupId, memberId, sessionTimeoutMs } = request;
    const statusError = this.validateGroupStatus(groupId);
    if (statusError !== null) return Promise.resolve(joinError(memberId, statusError));
    if (
      sessionTimeoutMs < this.config.groupMinSessionTimeoutMs ||
      sessionTimeoutMs > this.config.groupMaxSessionTimeoutMs
    ) {
      return Promise.resolve(joinError(memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    // JoinGroup v0 has no rebalance timeout; Kafka uses the session timeout for it.
    const rebalanceTimeoutMs = request.rebalanceTimeoutMs < 0 ? sessionTimeoutMs : request.rebalanceTimeoutMs;
    const isUnknownMember = memberId === UNKNOWN_MEMBER_ID;
    let group = this.manager.getGroup(groupId);
    if (!group) {
      // Only a first join may create a group; a member id for a group we do not know is stale.
      if (!isUnknownMember) return Promise.resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      group = this.manager.addGroup(new GroupMetadata(groupId, 'Empty', this.scheduler.now()));
    }
    const joining: Joining = { request, context, rebalanceTimeoutMs };
    const target = group;
    return new Promise<JoinGroupResponse>((resolve) => {
      if (isUnknownMember) this.doUnknownJoinGroup(target, joining, resolve);
      else this.doCurrentMemberJoinGroup(target, joining, resolve);
    }).then((response) => {
      this.removeGroupIfUnused(target);
      return response;
    });
  }

  private doUnknownJoinGroup(group: GroupMetadata, joining: Joining, resolve: (r: JoinGroupResponse) => void): void {
    const { request, context } = joining;
    if (group.is('Dead')) return resolve(joinError(UNKNOWN_MEMBER_ID, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(request.protocolType, request.protocols)) {
      return resolve(joinError(UNKNOWN_MEMBER_ID, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const newMemberId = `${context.clientId}-${randomUUID()}`;
    if (context.apiVersion >= 4) {
      // KIP-394: hand out the id first, so a client that times out and retries does not leave a ghost member.
      group.addPendingMember(newMemberId);
      this.schedulePendingMemberExpiration(group, newMemberId, request.sessionTimeoutMs);
      return resolve(joinError(newMemberId, ErrorCode.MEMBER_ID_REQUIRED));
    }
    this.addMemberAndRebalance(group, newMemberId, joining, resolve);
  }

  private doCurrentMemberJoinGroup(
    group: GroupMetadata,
    joining: Joining,
    resolve: (r: JoinGroupResponse) => void,
  ): void {
    const { request } = joining;
    const memberId = request.memberId;
    if (group.is('Dead')) return resolve(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(request.protocolType, request.protocols)) {
      return resolve(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (group.isPendingMember(memberId)) {
      group.removePendingMember(memberId);
      this.pendingMemberTimers.get(pendingKey(group.groupId, memberId))?.cancel();
      this.pendingMemberTimers.delete(pendingKey(group.groupId, memberId));
      return this.addMemberAndRebalance(group, memberId, joining, resolve);
    }
    const member = group.members.get(memberId);
    if (!member) return resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, joining, resolve, `member ${memberId} rejoined`);
      case 'CompletingRebalance':
        // Same metadata: it probably lost our JoinGroup response; resend it instead of rebalancing again.
        if (member.matches(request.protocols)) return resolve(this.currentGenerationResponse(group, member));
        return this.updateMemberAndRebalance(
          group,
          member,
          joining,
          resolve,
          `member ${memberId} changed its subscription`,
        );
      case 'Stable':
        // A leader rejoining means it wants a new assignment (e.g. it saw new partitions); a follower with
        // unchanged metadata just gets the current generation back.
        if (group.isLeader(memberId) || !member.matches(request.protocols)) {
          const why = group.isLeader(memberId)
            ? `leader ${memberId} rejoined`
            : `member ${memberId} changed its subscription`;
          return this.updateMemberAndRebalance(group, member, joining, resolve, why);
        }
        return resolve(this.currentGenerationResponse(group, member));
      case 'Empty':
      case 'Dead':
        return resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private addMemberAndRebalance(
    group: GroupMetadata,
    memberId: string,
    joining: Joining,
    resolve: (r: JoinGroupResponse) => void,
  ): void {
    const { request, context, rebalanceTimeoutMs } = joining;
    const member = new MemberMetadata(
      memberId,
      request.groupInstanceId,
      context.clientId,
      context.clientHost,
      rebalanceTimeoutMs,
      request.sessionTimeoutMs,
      request.protocolType,
      copyProtocols(request.protocols),
    );
    member.isNew = true;
    // During the initial delay every newcomer buys the group one more delay step.
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member);
    member.awaitingJoin = resolve;
    this.emit({
      type: 'member-joined',
      groupId: group.groupId,
      memberId,
      clientId: context.clientId,
      at: this.scheduler.now(),
    });
    this.completeAndScheduleNextHeartbeatExpiration(group, member);
    this.maybePrepareRebalance(group, `member ${memberId} joined`);
    this.tryCompleteJoin(group);
  }

  private updateMemberAndRebalance(
    group: GroupMetadata,
    member: MemberMetadata,
    joining: Joining,
    resolve: (r: JoinGroupResponse) => void,
    reason: string,
  ): void {
    member.supportedProtocols = copyProtocols(joining.request.protocols);
    member.rebalanceTimeoutMs = joining.rebalanceTimeoutMs;
    member.sessionTimeoutMs = joining.request.sessionTimeoutMs;
    // A duplicate JoinGroup replaces the earlier one; the earlier caller is told to rejoin.
    member.completeJoin(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    member.awaitingJoin = resolve;
    this.completeAndScheduleNextHeartbeatExpiration(group, member);
    this.maybePrepareRebalance(group, reason);
    this.tryCompleteJoin(group);
  }

  private currentGenerationResponse(group: GroupMetadata, member: MemberMetadata): JoinGroupResponse {
    return {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType ?? null,
      protocolName: group.protocolName ?? '',
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: group.isLeader(member.memberId) ? group.currentMemberMetadata() : [],
    };
  }

  private maybePrepareRebalance(group: GroupMetadata, reason: string): void {
    if (group.canRebalance()) this.prepareRebalance(group, reason);
  }

  private prepareRebalance(group: GroupMetadata, reason: string): void {
    // Members waiting for an assignment of the generation being abandoned must rejoin instead.
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    const wasEmpty = group.is('Empty');
    const now = this.scheduler.now();
    group.transitionTo('PreparingRebalance', now);
    this.emit({ type: 'rebalance-started', groupId: group.groupId, generationId: group.generationId, reason, at: now });
    const onComplete = () => this.onCompleteJoin(group);
    const join = wasEmpty
      ? DelayedJoin.initial(
          this.scheduler,
          group,
          this.config.groupInitialRebalanceDelayMs,
          group.rebalanceTimeoutMs(),
          onComplete,
        )
      : DelayedJoin.rebalance(this.scheduler, group, group.rebalanceTimeoutMs(), onComplete);
    this.joins.get(group.groupId)?.cancel();
    this.joins.set(group.groupId, join);
    // Kafka's tryCompleteElseWatch: a phase nobody needs to wait for (the last member just left) ends now.
    join.tryComplete();
  }

  private tryCompleteJoin(group: GroupMetadata): void {
    if (group.is('PreparingRebalance')) this.joins.get(group.groupId)?.tryComplete();
  }

  /** The join phase is over: drop members that did not rejoin, start the next generation, answer every JoinGroup. */
  private onCompleteJoin(group: GroupMetadata): void {
    this.joins.delete(group.groupId);
    for (const member of group.notYetRejoinedMembers()) {
      group.remove(member.memberId);
      member.completeSync(EMPTY, ErrorCode.UNKNOWN_MEMBER_ID);
      this.emit({
        type: 'member-removed',
        groupId: group.groupId,
        memberId: member.memberId,
        reason: 'rebalance-timeout',
        at: this.scheduler.now(),
      });
    }
    if (group.is('Dead')) return;
    const now = this.scheduler.now();
    group.initNextGeneration(now);
    if (group.is('Empty')) {
      this.emit({ type: 'group-emptied', groupId: group.groupId, generationId: group.generationId, at: now });
      this.tryStoreGroup(group, now);
      this.removeGroupIfUnused(group);
      return;
    }
    for (const member of group.members.values()) {
      member.completeJoin(this.currentGenerationResponse(group, member));
      member.isNew = false;
      this.completeAndScheduleNextHeartbeatExpiration(group, member);
    }
  }

  // ------------------------------------------------------------------ SyncGroup

  /** Resolves with the member's assignment once the leader has sent it (at once for the leader and in errors). */
  handleSyncGroup(request: SyncGroupRequest, _context: GroupRequestContext): Promise<SyncGroupResponse> {
    const group = this.manager.getGroup(request.groupId);
    // v5+ names the group's protocol type and name in the answer (null in errors, as Kafka's).
    const respond = (errorCode: number, assignment: Buffer = EMPTY): SyncGroupResponse => ({
      throttleTimeMs: 0,
      errorCode,
      protocolType: errorCode === ErrorCode.NONE ? (group?.protocolType ?? null) : null,
      protocolName: errorCode === ErrorCode.NONE ? (group?.protocolName ?? null) : null,
      assignment,
    });
    const statusError = this.validateGroupStatus(request.groupId);
    if (statusError !== null) return Promise.resolve(respond(statusError));
    if (!group) return Promise.resolve(respond(ErrorCode.UNKNOWN_MEMBER_ID));
    // v5+: a member that joined with another protocol than the group chose is refused (Kafka's
    // isProtocolTypeConsistent / protocol name check); null (older versions) is not checked.
    if (
      (request.protocolType != null && request.protocolType !== group.protocolType) ||
      (request.protocolName != null && request.protocolName !== group.protocolName)
    )
      return Promise.resolve(respond(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    if (group.is('Dead')) return Promise.resolve(respond(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const member = group.members.get(request.memberId);
    if (!member) return Promise.resolve(respond(ErrorCode.UNKNOWN_MEMBER_ID));
    if (request.generationId !== group.generationId) return Promise.resolve(respond(ErrorCode.ILLEGAL_GENERATION));
    switch (group.state) {
      case 'Empty':
        return Promise.resolve(respond(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return Promise.resolve(respond(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'Stable':
        this.completeAndScheduleNextHeartbeatExpiration(group, member);
        return Promise.resolve(respond(ErrorCode.NONE, member.assignment));
      case 'CompletingRebalance': {
        const response = new Promise<SyncGroupResponse>((resolve) => {
          member.completeSync(EMPTY, ErrorCode.REBALANCE_IN_PROGRESS);
          member.awaitingSync = (assignment, errorCode) => resolve(respond(errorCode, assignment));
        });
        this.completeAndScheduleNextHeartbeatExpiration(group, member);
        if (group.isLeader(member.memberId)) this.completeGeneration(group, request);
        return response;
      }
      case 'Dead':
        return Promise.resolve(respond(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    }
  }

  /** The leader's SyncGroup: store the assignment, then hand every member its part and become Stable. */
  private completeGeneration(group: GroupMetadata, request: SyncGroupRequest): void {
    const given = new Map(request.assignments.map((a) => [a.memberId, Buffer.from(a.assignment)]));
    // Members the leader forgot get an empty assignment, as in Kafka, rather than waiting forever.
    for (const member of group.members.values()) member.assignment = given.get(member.memberId) ?? EMPTY;
    const now = this.scheduler.now();
    // The assignment could not be made durable: abandon this generation so every member rejoins.
    const failed = (errorCode: number) => {
      this.resetAndPropagateAssignmentError(group, errorCode);
      this.maybePrepareRebalance(group, 'storing the assignment failed');
    };
    let pending: Promise<void> | undefined;
    try {
      pending = this.manager.storeGroup(group, now);
    } catch (error) {
      return failed(writeErrorCode(error));
    }
    if (!pending) return this.completeStoredGeneration(group, now);
    // Replicated: the members get their assignment once the ISR has it (Kafka's storeGroup callback), and only if
    // the group is still in this generation and still coordinated here.
    const generationId = group.generationId;
    pending.then(
      () => {
        if (this.isCurrent(group, generationId)) this.completeStoredGeneration(group, this.scheduler.now());
      },
      (error: unknown) => {
        if (this.isCurrent(group, generationId)) failed(writeErrorCode(error));
      },
    );
  }

  /** The group is still coordinated here, waiting for its assignment in generation `generationId`. */
  private isCurrent(group: GroupMetadata, generationId: number): boolean {
    return (
      this.active &&
      this.manager.getGroup(group.groupId) === group &&
      group.generationId === generationId &&
      group.is('CompletingRebalance')
    );
  }

  private completeStoredGeneration(group: GroupMetadata, now: number): void {
    group.transitionTo('Stable', now);
    for (const member of group.members.values()) member.completeSync(member.assignment, ErrorCode.NONE);
    this.emit({
      type: 'generation-completed',
      groupId: group.groupId,
      generationId: group.generationId,
      protocolName: group.protocolName,
      leaderId: group.leaderId,
      assignment: [...group.members.values()].map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        partitions: group.protocolType === 'consumer' ? decodeAssignment(m.assignment) : null,
      })),
      at: now,
    });
  }

  private resetAndPropagateAssignmentError(group: GroupMetadata, errorCode: number): void {
    for (const member of group.members.values()) {
      member.assignment = EMPTY;
      member.completeSync(EMPTY, errorCode);
    }
  }

  // ------------------------------------------------------------------ Heartbeat and LeaveGroup

  handleHeartbeat(request: HeartbeatRequest): HeartbeatResponse {
    const respond = (errorCode: number): HeartbeatResponse => ({ throttleTimeMs: 0, errorCode });
    const statusError = this.validateGroupStatus(request.groupId);
    if (statusError !== null) return respond(statusError);
    const group = this.manager.getGroup(request.groupId);
    if (!group) return respond(ErrorCode.UNKNOWN_MEMBER_ID);
    if (group.is('Dead')) return respond(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const member = group.members.get(request.memberId);
    if (!member) return respond(ErrorCode.UNKNOWN_MEMBER_ID);
    if (request.generationId !== group.generationId) return respond(ErrorCode.ILLEGAL_GENERATION);
    switch (group.state) {
      case 'Empty':
      case 'Dead':
        return respond(ErrorCode.UNKNOWN_MEMBER_ID);
      case 'PreparingRebalance':
        // Still alive, but it must rejoin: this answer is how a follower learns of the rebalance.
        this.completeAndScheduleNextHeartbeatExpiration(group, member);
        return respond(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'CompletingRebalance':
      case 'Stable':
        this.completeAndScheduleNextHeartbeatExpiration(group, member);
        return respond(ErrorCode.NONE);
    }
  }

  /** v0–2 name one member (its error is the top-level error); v3 names several, each with its own error. */
  handleLeaveGroup(request: LeaveGroupRequest, context: GroupRequestContext): LeaveGroupResponse {
    const batched = context.apiVersion >= 3;
    const leaving = batched ? request.members : [{ memberId: request.memberId, groupInstanceId: null }];
    const respond = (errorCode: number, members: LeaveGroupResponseMember[]): LeaveGroupResponse => {
      if (batched) return { throttleTimeMs: 0, errorCode, members };
      return {
        throttleTimeMs: 0,
        errorCode: errorCode !== ErrorCode.NONE ? errorCode : (members[0]?.errorCode ?? ErrorCode.NONE),
        members: [],
      };
    };
    const statusError = this.validateGroupStatus(request.groupId);
    if (statusError !== null) return respond(statusError, []);
    const group = this.manager.getGroup(request.groupId);
    if (group?.is('Dead')) return respond(ErrorCode.COORDINATOR_NOT_AVAILABLE, []);
    const results = leaving.map(({ memberId, groupInstanceId }) => ({
      memberId,
      groupInstanceId,
      errorCode: group ? this.removeLeavingMember(group, memberId) : ErrorCode.UNKNOWN_MEMBER_ID,
    }));
    if (group) this.removeGroupIfUnused(group);
    return respond(ErrorCode.NONE, results);
  }

  private removeLeavingMember(group: GroupMetadata, memberId: string): number {
    if (group.removePendingMember(memberId)) {
      this.tryCompleteJoin(group);
      return ErrorCode.NONE;
    }
    const member = group.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.removeMemberAndUpdateGroup(group, member, null);
    return ErrorCode.NONE;
  }

  /** Removes a member that left (reason null) or expired, and moves the group on. */
  private removeMemberAndUpdateGroup(
    group: GroupMetadata,
    member: MemberMetadata,
    reason: 'session-timeout' | null,
  ): void {
    member.completeJoin(joinError(member.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    member.completeSync(EMPTY, ErrorCode.UNKNOWN_MEMBER_ID);
    group.remove(member.memberId);
    const at = this.scheduler.now();
    if (reason === null) this.emit({ type: 'member-left', groupId: group.groupId, memberId: member.memberId, at });
    else this.emit({ type: 'member-removed', groupId: group.groupId, memberId: member.memberId, reason, at });
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(
          group,
          reason === null ? `member ${member.memberId} left` : `member ${member.memberId} timed out`,
        );
        break;
      case 'PreparingRebalance':
        this.tryCompleteJoin(group);
        break;
      case 'Empty':
      case 'Dead':
        break;
    }
  }

  // ------------------------------------------------------------------ sessions

  /** A sign of life (heartbeat, join, sync, commit): restart the member's session timer. */
  private completeAndScheduleNextHeartbeatExpiration(group: GroupMetadata, member: MemberMetadata): void {
    member.lastHeartbeatMs = this.scheduler.now();
    member.cancelHeartbeat();
    member.heartbeatTimer = this.scheduler.schedule(member.sessionTimeoutMs, () =>
      this.onExpireHeartbeat(group, member),
    );
  }

  private onExpireHeartbeat(group: GroupMetadata, member: MemberMetadata): void {
    member.heartbeatTimer = null;
    if (group.members.get(member.memberId) !== member) return;
    // A member waiting in JoinGroup or SyncGroup cannot heartbeat; the rebalance timeout bounds it instead.
    if (member.isAwaitingJoin || member.isAwaitingSync) {
      this.completeAndScheduleNextHeartbeatExpiration(group, member);
      return;
    }
    this.removeMemberAndUpdateGroup(group, member, 'session-timeout');
  }

  private schedulePendingMemberExpiration(group: GroupMetadata, memberId: string, sessionTimeoutMs: number): void {
    const key = pendingKey(group.groupId, memberId);
    this.pendingMemberTimers.set(
      key,
      this.scheduler.schedule(sessionTimeoutMs, () => {
        this.pendingMemberTimers.delete(key);
        if (!group.removePendingMember(memberId)) return;
        this.emit({
          type: 'member-removed',
          groupId: group.groupId,
          memberId,
          reason: 'pending-timeout',
          at: this.scheduler.now(),
        });
        this.tryCompleteJoin(group);
        this.removeGroupIfUnused(group);
      }),
    );
  }

  // ------------------------------------------------------------------ offsets (the OffsetMetadataManager's)

  /** OffsetCommit: see OffsetMetadataManager.commitOffsets. A group the commit created and left unused is forgotten. */
  handleCommitOffsets(
    request: OffsetCommitRequest,
    _context: GroupRequestContext,
  ): OffsetCommitResponse | Promise<OffsetCommitResponse> {
    const statusError = this.validateGroupStatus(request.groupId);
    if (statusError !== null) return offsetCommitError(request, statusError);
    const { response, group } = this.offsets.commitOffsets(request);
    if (!group) return response;
    if (!(response instanceof Promise)) {
      this.removeGroupIfUnused(group);
      return response;
    }
    return response.then((answer) => {
      this.removeGroupIfUnused(group);
      return answer;
    });
  }

  /**
   * Committed offsets for the partitions asked (-1 where none), or all of the group's when `topics` is null.
   * v8+ (KIP-709) asks for several groups: each is answered as a one-group request would be.
   */
  handleFetchOffsets(request: OffsetFetchRequest, context: GroupRequestContext): OffsetFetchResponse {
    if (context.apiVersion < 8) return this.offsets.fetchOffsets(request, this.validateGroupStatus(request.groupId));
    return {
      throttleTimeMs: 0,
      topics: [],
      errorCode: ErrorCode.NONE,
      groups: (request.groups ?? []).map(({ groupId, topics }) => {
        const one = this.offsets.fetchOffsets({ groupId, topics }, this.validateGroupStatus(groupId));
        return { groupId, topics: one.topics, errorCode: one.errorCode };
      }),
    };
  }

  /** Expires offsets of groups empty for `offsets.retention.minutes` now, instead of at the next sweep. */
  cleanupGroupMetadata(): void {
    this.offsets.cleanupExpiredOffsets();
  }

  private scheduleOffsetExpiry(): void {
    this.expiryTask = this.scheduler.schedule(this.config.offsetsRetentionCheckIntervalMs, () => {
      if (!this.active) return;
      this.cleanupGroupMetadata();
      this.scheduleOffsetExpiry();
    });
  }

  // ------------------------------------------------------------------ DescribeGroups, ListGroups

  /** From v6 (KIP-1043) a group that does not exist is GROUP_ID_NOT_FOUND; before, it is described as Dead. */
  handleDescribeGroups(request: DescribeGroupsRequest, version = 0): DescribeGroupsResponse {
    return {
      throttleTimeMs: 0,
      groups: request.groups.map((groupId): DescribedGroup => {
        const describe = (errorCode: number, group?: GroupMetadata): DescribedGroup => {
          // Kafka shows metadata and assignments only for a Stable group; otherwise they are being replaced.
          const stable = group?.is('Stable') === true;
          const protocol = group?.protocolName ?? null;
          return {
            errorCode,
            groupId,
            // An unknown group is described as Dead with no error, as Kafka does.
            groupState: group?.state ?? 'Dead',
            protocolType: group?.protocolType ?? '',
            protocolData: stable ? (protocol ?? '') : '',
            members: [...(group?.members.values() ?? [])].map((m) => ({
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId,
              clientId: m.clientId,
              clientHost: m.clientHost,
              memberMetadata: stable && protocol !== null ? m.metadata(protocol) : EMPTY,
              memberAssignment: stable ? m.assignment : EMPTY,
            })),
            authorizedOperations: -2147483648,
          };
        };
        const statusError = this.active ? null : ErrorCode.COORDINATOR_NOT_AVAILABLE;
        if (statusError !== null) return describe(statusError);
        if (!this.coordinates(groupId)) return describe(ErrorCode.NOT_COORDINATOR);
        const group = this.manager.getGroup(groupId);
        if (!group && version >= 6)
          return { ...describe(ErrorCode.GROUP_ID_NOT_FOUND), errorMessage: `Group ${groupId} not found.` };
        return describe(ErrorCode.NONE, group);
      }),
    };
  }

  /** v4+ filters by state (case-insensitive, KIP-518), v5+ by type: every group here is `classic` (KIP-848). */
  handleListGroups(request: ListGroupsRequest): ListGroupsResponse {
    if (!this.active) return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const states = new Set((request.statesFilter ?? []).map((s) => s.toLowerCase()));
    const types = new Set((request.typesFilter ?? []).map((t) => t.toLowerCase()));
    const groups = this.manager
      .currentGroups()
      .filter((g) => !g.is('Dead'))
      .filter((g) => states.size === 0 || states.has(g.state.toLowerCase()))
      .filter(() => types.size === 0 || types.has(CLASSIC_GROUP_TYPE))
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType ?? '',
        groupState: g.state,
        groupType: CLASSIC_GROUP_TYPE,
      }))
      .sort((a, b) => a.groupId.localeCompare(b.groupId));
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups };
  }

  // ------------------------------------------------------------------ programmatic API

  /** A group's members, generation, assignment and committed offsets (with lag when `endOffset` is given). */
  describeGroup(groupId: string, endOffset?: EndOffsetLookup): GroupSnapshot | undefined {
    const group = this.manager.getGroup(groupId);
    return group ? snapshotOf(group, endOffset) : undefined;
  }

  /** Every group, by id. */
  groupSnapshots(endOffset?: EndOffsetLookup): GroupSnapshot[] {
    return this.manager
      .currentGroups()
      .map((g) => snapshotOf(g, endOffset))
      .sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  // ------------------------------------------------------------------ helpers

  /** Kafka's `validateGroupStatus`: the coordinator must be running and the group id non-empty. */
  private validateGroupStatus(groupId: string): number | null {
    if (!this.active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    if (!this.coordinates(groupId)) return ErrorCode.NOT_COORDINATOR;
    return null;
  }

  /** Whether this broker coordinates the group (it leads the group's `__consumer_offsets` partition). */
  private coordinates(groupId: string): boolean {
    return this.owned === null || this.owned.has(this.partitionFor(groupId));
  }

  /** A group created by a request that failed, or emptied of everything, is forgotten (Kafka marks it Dead). */
  private removeGroupIfUnused(group: GroupMetadata): void {
    if (!group.is('Empty') || group.members.size > 0 || group.pendingMembers.size > 0 || group.hasOffsets()) return;
    if (group.generationId > 0) return; // it has history in __consumer_offsets: leave it to offset expiry
    if (this.manager.getGroup(group.groupId) !== group) return; // already replaced or removed
    group.transitionTo('Dead', this.scheduler.now());
    this.manager.removeGroup(group);
  }

  private tryStoreGroup(group: GroupMetadata, now: number): void {
    try {
      this.manager.storeGroup(group, now)?.catch(() => undefined);
    } catch {
      // The in-memory group is right; only a restart would see the previous snapshot. Nothing a client can do.
    }
  }

  private emit(event: GroupEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

interface Joining {
  request: JoinGroupRequest;
  context: GroupRequestContext;
  rebalanceTimeoutMs: number;
}

function joinError(memberId: string, errorCode: number): JoinGroupResponse {
  return { throttleTimeMs: 0, errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}

function pendingKey(groupId: string, memberId: string): string {
  return `${groupId}\u0000${memberId}`;
}

/** Request buffers may be views of a network frame: keep our own copies of what we hold on to. */
function copyProtocols(protocols: readonly JoinGroupRequestProtocol[]): JoinGroupRequestProtocol[] {
  return protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
}
