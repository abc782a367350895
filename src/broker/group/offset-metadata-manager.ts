import { ErrorCode } from '../protocol/error-codes.js';
import type { OffsetCommitRequest } from '../protocol/offset-commit/request.js';
import type { OffsetCommitResponse, OffsetCommitResponseTopic } from '../protocol/offset-commit/response.js';
import type { OffsetFetchRequest } from '../protocol/offset-fetch/request.js';
import type { OffsetFetchResponse, OffsetFetchResponseTopic } from '../protocol/offset-fetch/response.js';
import type { RecordSpec } from '../record/record-batch-builder.js';
import type { GroupConfig } from './group-config.js';
import type { GroupEvent } from './group-events.js';
import { GroupMetadata, type OffsetAndMetadata } from './group-metadata.js';
import { writeErrorCode, type GroupMetadataManager } from './group-metadata-manager.js';
import type { MemberMetadata } from './member-metadata.js';
import {
  decodeOffsetCommitValue,
  encodeGroupMetadataKey,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from './offsets-topic-records.js';

export interface OffsetCommit {
  topic: string;
  partition: number;
  offset: OffsetAndMetadata;
}

export interface OffsetMetadataManagerOptions {
  config: GroupConfig;
  /** The group map and the one write path to `__consumer_offsets`. */
  groups: GroupMetadataManager;
  /** The coordinator's clock (the Scheduler's `now`), so tests drive commit timestamps and expiry. */
  now: () => number;
  /** Whether a topic partition exists; commits for others get UNKNOWN_TOPIC_OR_PARTITION. */
  partitionExists: (topic: string, partition: number) => boolean;
  /** A member's commit is a sign of life: the coordinator restarts its session timer. */
  onMemberCommit: (group: GroupMetadata, member: MemberMetadata) => void;
  /** The coordinator's event stream (`offsets-committed`, `offsets-expired`, `group-removed`). */
  emit: (event: GroupEvent) => void;
}

/**
 * Committed offsets (Kafka's `OffsetMetadataManager`, from the group-coordinator module): OffsetCommit and
 * OffsetFetch, writing commits to `__consumer_offsets` as OffsetCommitKey/Value records, replaying those records at
 * start-up, and expiring the offsets of groups that have been empty for `offsets.retention.minutes`.
 *
 * The offsets themselves live on each group's GroupMetadata (a group that only stores offsets is an Empty group
 * with no members), found through the GroupMetadataManager, whose `append` is the single write path to the topic:
 * a commit is acknowledged only once its records are in the log.
 *
 * Concurrency: one event-loop thread. Only the GroupCoordinator calls it, after checking that it is active and
 * the group id is valid (Kafka's `validateGroupStatus`).
 */
export class OffsetMetadataManager {
  private readonly config: GroupConfig;
  private readonly groups: GroupMetadataManager;
  private readonly now: () => number;
  private readonly partitionExists: (topic: string, partition: number) => boolean;
  private readonly onMemberCommit: (group: GroupMetadata, member: MemberMetadata) => void;
  private readonly emit: (event: GroupEvent) => void;
  /** Offsets replayed by `replay`, by group, until `completeLoad` puts them on their groups. */
  private readonly loading = new Map<string, Map<string, OffsetCommit>>();

  constructor(options: OffsetMetadataManagerOptions) {
    this.config = options.config;
    this.groups = options.groups;
    this.now = options.now;
    this.partitionExists = options.partitionExists;
    this.onMemberCommit = options.onMemberCommit;
    this.emit = options.emit;
  }

  // ------------------------------------------------------------------ OffsetCommit

  /**
   * Stores offsets for a member of the current generation (or for anyone, with generation -1, if the group has no
   * members: a consumer that assigns partitions itself, or an admin resetting offsets). A refused commit changes
   * nothing: every partition gets the same error and nothing is written. Returns the group a validated commit went
   * to (possibly created by it), so the coordinator can forget it again if it stays unused.
   */
  commitOffsets(request: OffsetCommitRequest): {
    response: OffsetCommitResponse | Promise<OffsetCommitResponse>;
    group?: GroupMetadata;
  } {
    const everyPartition = (errorCode: number) => ({ response: offsetCommitError(request, errorCode) });
    const { groupId, generationId, memberId } = request;
    let group = this.groups.getGroup(groupId);
    if (!group) {
      // Generation -1: a group that only stores offsets. Any other generation is from a group we no longer know.
      if (generationId >= 0) return everyPartition(ErrorCode.ILLEGAL_GENERATION);
      group = this.groups.addGroup(new GroupMetadata(groupId, 'Empty', this.now()));
    }
    if (group.is('Dead')) return everyPartition(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    if (!(generationId < 0 && group.is('Empty'))) {
      const member = group.members.get(memberId);
      if (!member) return everyPartition(ErrorCode.UNKNOWN_MEMBER_ID);
      if (generationId !== group.generationId) return everyPartition(ErrorCode.ILLEGAL_GENERATION);
      // The member has its JoinGroup response but not its assignment yet: it cannot own what it commits.
      if (group.is('CompletingRebalance')) return everyPartition(ErrorCode.REBALANCE_IN_PROGRESS);
      this.onMemberCommit(group, member);
    }
    return { response: this.storeOffsets(group, request), group };
  }

  /** Validates each partition, writes the valid ones in one batch, and applies them once written. */
  private storeOffsets(
    group: GroupMetadata,
    request: OffsetCommitRequest,
  ): OffsetCommitResponse | Promise<OffsetCommitResponse> {
    const now = this.now();
    const commits: OffsetCommit[] = [];
    const topics: OffsetCommitResponseTopic[] = request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => {
        const metadata = p.committedMetadata ?? '';
        if (Buffer.byteLength(metadata, 'utf8') > this.config.offsetMetadataMaxBytes) {
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE };
        }
        if (!this.partitionExists(topic.name, p.partitionIndex)) {
          return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        }
        commits.push({
          topic: topic.name,
          partition: p.partitionIndex,
          offset: { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata, commitTimestamp: now },
        });
        return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE };
      }),
    }));
    const failed = (errorCode: number): OffsetCommitResponse => {
      const stored = new Set(commits.map((c) => `${c.topic}\u0000${c.partition}`));
      for (const topic of topics) {
        for (const p of topic.partitions)
          if (stored.has(`${topic.name}\u0000${p.partitionIndex}`)) p.errorCode = errorCode;
      }
      return { throttleTimeMs: 0, topics };
    };
    const written = (): OffsetCommitResponse => {
      for (const c of commits) group.setOffset(c.topic, c.partition, c.offset);
      if (commits.length > 0) {
        this.emit({
          type: 'offsets-committed',
          groupId: group.groupId,
          memberId: request.memberId,
          generationId: request.generationId,
          offsets: commits.map((c) => ({ topic: c.topic, partition: c.partition, offset: c.offset.offset })),
          at: now,
        });
      }
      return { throttleTimeMs: 0, topics };
    };
    let pending: Promise<void> | undefined;
    try {
      pending = this.appendCommits(group.groupId, commits, now);
    } catch (error) {
      return failed(writeErrorCode(error));
    }
    // Replicated: answered (and applied) only once every in-sync replica has the commit, as Kafka's acks=-1 write.
    if (pending) return pending.then(written, (error: unknown) => failed(writeErrorCode(error)));
    return written();
  }

  /** Appends one batch of offset commits (all in the group's partition). Throws (or rejects) if the write fails. */
  private appendCommits(groupId: string, commits: readonly OffsetCommit[], now: number): Promise<void> | undefined {
    if (commits.length === 0) return undefined;
    return this.groups.append(
      groupId,
      commits.map((c) => ({
        key: encodeOffsetCommitKey(groupId, c.topic, c.partition),
        value: encodeOffsetCommitValue(c.offset),
      })),
      now,
    );
  }

  // ------------------------------------------------------------------ OffsetFetch

  /**
   * Committed offsets for the partitions asked (-1 where none), or all of the group's when `topics` is null.
   * `statusError` is the coordinator's verdict on the request (not running, empty group id): every partition
   * carries it, with no offsets.
   */
  fetchOffsets(request: OffsetFetchRequest, statusError: number | null): OffsetFetchResponse {
    const group = statusError === null ? this.groups.getGroup(request.groupId) : undefined;
    const partitionError = statusError ?? ErrorCode.NONE;
    let topics: OffsetFetchResponseTopic[];
    if (request.topics === null) {
      const byTopic = new Map<string, OffsetFetchResponseTopic>();
      for (const { topic, partition, offset } of group?.allOffsets() ?? []) {
        let entry = byTopic.get(topic);
        if (!entry) byTopic.set(topic, (entry = { name: topic, partitions: [] }));
        entry.partitions.push({
          partitionIndex: partition,
          committedOffset: offset.offset,
          committedLeaderEpoch: offset.leaderEpoch,
          metadata: offset.metadata,
          errorCode: ErrorCode.NONE,
        });
      }
      topics = [...byTopic.values()];
    } else {
      topics = request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          const offset = group?.offset(t.name, partitionIndex);
          return {
            partitionIndex,
            committedOffset: offset?.offset ?? -1n,
            committedLeaderEpoch: offset?.leaderEpoch ?? -1,
            metadata: offset?.metadata ?? '',
            errorCode: partitionError,
          };
        }),
      }));
    }
    return { throttleTimeMs: 0, topics, errorCode: partitionError };
  }

  // ------------------------------------------------------------------ expiry

  /**
   * Kafka's `cleanupGroupMetadata`: offsets of a group with no members expire `offsets.retention.minutes` after it
   * became empty (after their commit, for groups that only store offsets and never had members); a group left
   * with neither members nor offsets is removed (its GroupMetadata tombstone goes in the same batch). Groups with
   * members keep every offset. If the tombstones cannot be written, nothing changes and the next sweep tries again.
   */
  cleanupExpiredOffsets(): void {
    const now = this.now();
    const retentionMs = this.config.offsetsRetentionMinutes * 60_000;
    const results: Array<{
      groupId: string;
      offsets: Array<{ topic: string; partition: number }>;
      groupRemoved: boolean;
    }> = [];
    try {
      for (const group of this.groups.currentGroups()) {
        if (!group.is('Empty')) continue;
        const expired = group
          .allOffsets()
          .filter(
            ({ offset }) =>
              now - (group.protocolType === null ? offset.commitTimestamp : group.currentStateTimestamp) >= retentionMs,
          );
        const records: RecordSpec[] = expired.map(({ topic, partition }) => ({
          key: encodeOffsetCommitKey(group.groupId, topic, partition),
          value: null,
        }));
        const groupRemoved = !group.hasOffsets() || expired.length === group.allOffsets().length;
        if (groupRemoved) records.push({ key: encodeGroupMetadataKey(group.groupId), value: null });
        if (records.length === 0) continue;
        // Replicated, the tombstones are applied once the leader has appended them, without waiting for the ISR:
        // an expiry that a leader change loses only means the next coordinator expires the offsets again.
        this.groups.append(group.groupId, records, now)?.catch(() => undefined);
        for (const { topic, partition } of expired) group.removeOffset(topic, partition);
        if (groupRemoved) {
          group.transitionTo('Dead', now);
          this.groups.removeGroup(group);
        }
        results.push({
          groupId: group.groupId,
          offsets: expired.map(({ topic, partition }) => ({ topic, partition })),
          groupRemoved,
        });
      }
    } catch {
      return; // the tombstones could not be written; the next sweep tries again
    }
    // Events only once the whole sweep is written, as before the split: a failed sweep reports nothing.
    for (const { groupId, offsets, groupRemoved } of results) {
      if (offsets.length > 0) this.emit({ type: 'offsets-expired', groupId, offsets, at: now });
      if (groupRemoved) this.emit({ type: 'group-removed', groupId, at: now });
    }
  }

  // ------------------------------------------------------------------ replay

  /** Kafka's `replay` for an OffsetCommit record: later records win, a null value (tombstone) deletes. */
  replay(groupId: string, topic: string, partition: number, value: Buffer | null): void {
    // Decode first: a value that cannot be read changes nothing (the loader counts it as skipped).
    const offset = value ? decodeOffsetCommitValue(value) : null;
    let groupOffsets = this.loading.get(groupId);
    if (!groupOffsets) this.loading.set(groupId, (groupOffsets = new Map<string, OffsetCommit>()));
    const tp = `${topic}\u0000${partition}`;
    if (offset) groupOffsets.set(tp, { topic, partition, offset });
    else groupOffsets.delete(tp);
  }

  /**
   * Puts the replayed offsets on their groups, after the GroupMetadataManager has rebuilt the groups; a group
   * that only stores offsets comes back Empty. Returns how many offsets were loaded.
   */
  completeLoad(now: number): number {
    let offsetCount = 0;
    for (const [groupId, commits] of this.loading) {
      if (commits.size === 0) continue;
      const group = this.groups.getGroup(groupId) ?? this.groups.addGroup(new GroupMetadata(groupId, 'Empty', now));
      for (const c of commits.values()) group.setOffset(c.topic, c.partition, c.offset);
      offsetCount += commits.size;
    }
    this.loading.clear();
    return offsetCount;
  }
}

/** The OffsetCommit response for a refused commit: every partition asked, the same error. */
export function offsetCommitError(request: OffsetCommitRequest, errorCode: number): OffsetCommitResponse {
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
    })),
  };
}
