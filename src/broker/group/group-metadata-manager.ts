import type { UnifiedLog } from '../log/unified-log.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { buildRecordBatch, type RecordSpec } from '../record/record-batch-builder.js';
import { batchesIn } from '../record/record-batch.js';
import { decodeRecords, type DecodedRecord } from '../record/record-decoder.js';
import type { GroupConfig } from './group-config.js';
import { GroupMetadata } from './group-metadata.js';
import { MemberMetadata } from './member-metadata.js';
import {
  decodeGroupMetadataValue,
  decodeOffsetsTopicKey,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  OffsetsTopicRecordError,
  type StoredGroup,
} from './offsets-topic-records.js';

/** What the manager needs of one `__consumer_offsets` partition: a UnifiedLog, or anything shaped like one. */
export type OffsetsTopicPartitionLog = Pick<
  UnifiedLog,
  'append' | 'read' | 'logStartOffset' | 'logEndOffset' | 'updateHighWatermark'
>;

/**
 * The `__consumer_offsets` partitions, by number. Kafka creates the topic only when groups first need it, so a
 * broker that never saw a group has no such topic: replay reads only what exists, a write may create it.
 */
export interface OffsetsTopicLogs {
  /** The partition's log if the topic exists. */
  existing(partition: number): OffsetsTopicPartitionLog | undefined;
  /** The partition's log, creating the topic first if needed; undefined if it cannot be created. */
  forWrite(partition: number): OffsetsTopicPartitionLog | undefined;
  /**
   * Replicated cluster: appends one batch as the partition's leader (Kafka's `ReplicaManager.appendRecords` with
   * acks=-1) and resolves once every in-sync replica has it, or rejects with an OffsetsTopicWriteError. Absent
   * (one broker): `forWrite`'s log is appended to and the record is committed at once.
   */
  appendReplicated?(partition: number, batch: Buffer): Promise<void>;
}

/**
 * A replicated write to `__consumer_offsets` failed: `code` is the coordinator's answer for it, mapped from the
 * produce error as Kafka's GroupMetadataManager maps it (lost leadership is NOT_COORDINATOR, so the client looks
 * the coordinator up again; too few replicas or a timeout is COORDINATOR_NOT_AVAILABLE, so it retries).
 */
export class OffsetsTopicWriteError extends Error {
  readonly code: number;
  constructor(produceErrorCode: number, message: string) {
    super(message);
    this.name = 'OffsetsTopicWriteError';
    this.code = coordinatorErrorFor(produceErrorCode);
  }
}

/** Kafka's mapping of a failed `__consumer_offsets` append to what the group client is told. */
export function coordinatorErrorFor(produceErrorCode: number): number {
  switch (produceErrorCode) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return produceErrorCode;
  }
}

/** The coordinator's error code for a failed write (a thrown standalone append is COORDINATOR_NOT_AVAILABLE). */
export function writeErrorCode(error: unknown): number {
  return error instanceof OffsetsTopicWriteError ? error.code : ErrorCode.COORDINATOR_NOT_AVAILABLE;
}

/** What a replay of `__consumer_offsets` read. */
export interface LoadSummary {
  recordsRead: number;
  /** Records replay could not read (not written by a coordinator: a client produced to the topic) and skipped. */
  recordsSkipped: number;
}

/** Receives each OffsetCommit record during `loadGroups` (a null value is a tombstone); throws on a bad value. */
export type OffsetRecordReplay = (groupId: string, topic: string, partition: number, value: Buffer | null) => void;

/** A `__consumer_offsets` partition this broker does not host (the broker failed to create the topic). */
export class OffsetsTopicUnavailableError extends Error {
  constructor(partition: number) {
    super(
      `__consumer_offsets partition ${partition} is not available on this broker and could not be created; check the broker log and its data dir`,
    );
    this.name = 'OffsetsTopicUnavailableError';
  }
}

const REPLAY_READ_BYTES = 1024 * 1024;

/**
 * Owns every group's metadata and its persistence in `__consumer_offsets` (Kafka's `GroupMetadataManager`): the
 * map of groups, which offsets-topic partition a group lives in, writing group snapshots as records, and
 * replaying the topic at start-up. Committed offsets are the OffsetMetadataManager's; they share this class's
 * write path (`append`) and replay loop, so the topic has one writer and one reader.
 *
 * A write is acknowledged only after the record is in the log (here: appended to the page cache, as Kafka's
 * acks=-1 on one broker), so a committed offset that a client was told about survives a restart, even a SIGKILL.
 *
 * Concurrency: one event-loop thread. Only the GroupCoordinator and its OffsetMetadataManager call it; nothing
 * else writes `__consumer_offsets`.
 */
export class GroupMetadataManager {
  private readonly groups = new Map<string, GroupMetadata>();

  constructor(
    private readonly config: GroupConfig,
    private readonly logs: OffsetsTopicLogs,
  ) {}

  /** Kafka's `partitionFor`: `Utils.abs(groupId.hashCode) % offsets.topic.num.partitions`. */
  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.config.offsetsTopicNumPartitions);
  }

  getGroup(groupId: string): GroupMetadata | undefined {
    return this.groups.get(groupId);
  }

  addGroup(group: GroupMetadata): GroupMetadata {
    const existing = this.groups.get(group.groupId);
    if (existing) return existing;
    this.groups.set(group.groupId, group);
    return group;
  }

  /** Forgets `group` if it is still the one registered under its id. */
  removeGroup(group: GroupMetadata): void {
    if (this.groups.get(group.groupId) === group) this.groups.delete(group.groupId);
  }

  currentGroups(): GroupMetadata[] {
    return [...this.groups.values()];
  }

  /**
   * Writes the group's membership and assignment, as Kafka does when a generation completes or the group empties.
   * Replicated: a promise of the write (see `append`).
   */
  storeGroup(group: GroupMetadata, now: number): Promise<void> | undefined {
    return this.append(
      group.groupId,
      [{ key: encodeGroupMetadataKey(group.groupId), value: encodeGroupMetadataValue(toStoredGroup(group)) }],
      now,
    );
  }

  /**
   * Rebuilds the group map from every `__consumer_offsets` partition, oldest record first; later records win and
   * tombstones delete. Groups with stored members come back Stable with those members (they keep their session
   * by heartbeating, or expire like any member); groups without come back Empty. Offset records go to
   * `replayOffset` (the OffsetMetadataManager), which puts them on the groups once this returns.
   */
  loadGroups(now: number, replayOffset: OffsetRecordReplay, partitions?: readonly number[]): LoadSummary {
    const loading = partitions ?? Array.from({ length: this.config.offsetsTopicNumPartitions }, (_, p) => p);
    if (partitions === undefined) this.groups.clear();
    else for (const p of partitions) this.unloadPartition(p);
    const stored = new Map<string, StoredGroup | null>();
    let recordsRead = 0;
    let recordsSkipped = 0;
    for (const partition of loading) {
      const log = this.logs.existing(partition);
      if (!log) continue;
      for (const record of readAllRecords(log, () => (recordsSkipped += 1))) {
        recordsRead += 1;
        try {
          if (!record.key) throw new OffsetsTopicRecordError('a record without a key');
          const key = decodeOffsetsTopicKey(record.key);
          if (key.kind === 'group') stored.set(key.group, record.value ? decodeGroupMetadataValue(record.value) : null);
          else replayOffset(key.group, key.topic, key.partition, record.value);
        } catch {
          // A record this coordinator never wrote must not keep the broker from starting; it is counted instead.
          recordsSkipped += 1;
        }
      }
    }
    for (const [groupId, value] of stored) if (value) this.groups.set(groupId, fromStoredGroup(groupId, value, now));
    return { recordsRead, recordsSkipped };
  }

  /** Forgets the groups whose records live in `partition` (its leadership moved away); returns them. */
  unloadPartition(partition: number): GroupMetadata[] {
    const unloaded = [...this.groups.values()].filter((g) => this.partitionFor(g.groupId) === partition);
    for (const group of unloaded) this.groups.delete(group.groupId);
    return unloaded;
  }

  /**
   * The one write path to `__consumer_offsets` (group snapshots here, commits and tombstones from the
   * OffsetMetadataManager): one batch, in the group's partition. One broker: written at once, and throws if the
   * partition is unavailable or the append fails. Replicated: returns a promise that resolves once the ISR has the
   * batch and rejects with an OffsetsTopicWriteError. Either way the caller changes memory only after success.
   */
  append(groupId: string, records: RecordSpec[], now: number): Promise<void> | undefined {
    const partition = this.partitionFor(groupId);
    if (this.logs.appendReplicated) return this.logs.appendReplicated(partition, buildRecordBatch({ records, now }));
    const log = this.logs.forWrite(partition);
    if (!log) throw new OffsetsTopicUnavailableError(partition);
    log.append(buildRecordBatch({ records, now }), { leaderEpoch: 0, now });
    // One replica: the record is committed as soon as it is appended.
    log.updateHighWatermark(log.logEndOffset);
    return undefined;
  }
}

/** Java's `String.hashCode` (over UTF-16 code units, as JS strings are) and Kafka's `Utils.abs`, modulo n. */
export function partitionForGroup(groupId: string, numPartitions: number): number {
  let hash = 0;
  for (let i = 0; i < groupId.length; i++) hash = (Math.imul(hash, 31) + groupId.charCodeAt(i)) | 0;
  const abs = hash === -2147483648 ? 0 : Math.abs(hash);
  return abs % numPartitions;
}

/** Every record of the log from its start, in offset order; batches that cannot be decoded are reported to `skip`. */
function* readAllRecords(log: OffsetsTopicPartitionLog, skip: () => void) {
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, REPLAY_READ_BYTES);
    if (records.length === 0) return;
    for (const batch of batchesIn(records)) {
      let decoded: DecodedRecord[];
      try {
        decoded = decodeRecords(batch);
      } catch {
        decoded = []; // e.g. a compressed batch a client produced: the coordinator writes uncompressed ones
        skip();
      }
      for (const record of decoded) if (record.offset >= offset) yield record;
      offset = batch.nextOffset;
    }
  }
}

function toStoredGroup(group: GroupMetadata): StoredGroup {
  const protocol = group.protocolName;
  return {
    protocolType: group.protocolType ?? '',
    generationId: group.generationId,
    protocolName: protocol,
    leaderId: group.leaderId,
    currentStateTimestamp: group.currentStateTimestamp,
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      sessionTimeoutMs: m.sessionTimeoutMs,
      subscription: protocol === null ? Buffer.alloc(0) : m.metadata(protocol),
      assignment: m.assignment,
    })),
  };
}

function fromStoredGroup(groupId: string, stored: StoredGroup, now: number): GroupMetadata {
  const protocol = stored.protocolName;
  const state = stored.members.length > 0 && protocol !== null ? 'Stable' : 'Empty';
  const group = new GroupMetadata(groupId, state, stored.currentStateTimestamp);
  group.protocolType = stored.protocolType === '' ? null : stored.protocolType;
  group.generationId = stored.generationId;
  group.protocolName = state === 'Stable' ? protocol : null;
  if (state === 'Stable' && protocol !== null) {
    for (const m of stored.members) {
      const member = new MemberMetadata(
        m.memberId,
        m.groupInstanceId,
        m.clientId,
        m.clientHost,
        m.rebalanceTimeoutMs,
        m.sessionTimeoutMs,
        stored.protocolType,
        [{ name: protocol, metadata: m.subscription }],
      );
      member.assignment = m.assignment;
      member.lastHeartbeatMs = now;
      group.add(member);
    }
    group.leaderId = stored.leaderId !== null && group.has(stored.leaderId) ? stored.leaderId : group.leaderId;
  }
  return group;
}
