import { ByteReader } from '../protocol/primitives/byte-reader.js';
import { ByteWriter } from '../protocol/primitives/byte-writer.js';
import { MessageCodec } from '../protocol/schema/message-codec.js';
import type { MessageSchema } from '../protocol/schema/message-schema.js';
import type { OffsetAndMetadata } from './group-metadata.js';

// The records of `__consumer_offsets`, generated from message tables as Kafka generates them from its JSON specs
// (group-coordinator/src/main/resources/common/message/{OffsetCommit,GroupMetadata}{Key,Value}.json), with the
// codec engine the protocol uses (../protocol/schema). The record key says what the value is about; a null value
// is a tombstone (the offset expired, the group was removed). Replaying the log in order, later records win.
//
// A key is an int16 record type followed by the key message (Kafka's CoordinatorRecordType: 0 and 1 are offset
// commits, 0 being the legacy type, 2 is group metadata; before Kafka 3.7 the same int16 was called the key
// version). A value is an int16 version followed by the value message at that version. kq writes the versions
// Kafka 2.3+ writes (OffsetCommitValue v3, GroupMetadataValue v3) and reads every version in the tables,
// including the flexible v4 of newer brokers.
//
// OffsetCommitKey (Version: 0) => group topic partition
//   group => STRING
//   topic => STRING
//   partition => INT32
//
// OffsetCommitValue (Version: 3) => offset leader_epoch metadata commit_timestamp
//   offset => INT64
//   leader_epoch => INT32
//   metadata => STRING
//   commit_timestamp => INT64
//
// GroupMetadataKey (Version: 0) => group
//   group => STRING
//
// GroupMetadataValue (Version: 3) => protocol_type generation protocol leader current_state_timestamp [members]
//   protocol_type => STRING
//   generation => INT32
//   protocol => NULLABLE_STRING
//   leader => NULLABLE_STRING
//   current_state_timestamp => INT64
//   members => member_id group_instance_id client_id client_host rebalance_timeout session_timeout subscription assignment
//     member_id => STRING
//     group_instance_id => NULLABLE_STRING
//     client_id => STRING
//     client_host => STRING
//     rebalance_timeout => INT32
//     session_timeout => INT32
//     subscription => BYTES
//     assignment => BYTES

const OFFSET_COMMIT_KEY: MessageSchema = {
  name: 'OffsetCommitKey',
  apiKey: 1,
  versions: '0',
  flexibleVersions: 'none',
  fields: [
    { name: 'group', type: 'string', versions: '0' },
    { name: 'topic', type: 'string', versions: '0' },
    { name: 'partition', type: 'int32', versions: '0' },
  ],
};

const OFFSET_COMMIT_VALUE: MessageSchema = {
  name: 'OffsetCommitValue',
  versions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'offset', type: 'int64', versions: '0+' },
    { name: 'leaderEpoch', type: 'int32', versions: '3+', default: -1 },
    { name: 'metadata', type: 'string', versions: '0+' },
    { name: 'commitTimestamp', type: 'int64', versions: '0+' },
    { name: 'expireTimestamp', type: 'int64', versions: '1', default: -1n },
  ],
};

const GROUP_METADATA_KEY: MessageSchema = {
  name: 'GroupMetadataKey',
  apiKey: 2,
  versions: '0',
  flexibleVersions: 'none',
  fields: [{ name: 'group', type: 'string', versions: '0' }],
};

const GROUP_METADATA_VALUE: MessageSchema = {
  name: 'GroupMetadataValue',
  versions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'protocolType', type: 'string', versions: '0+' },
    { name: 'generation', type: 'int32', versions: '0+' },
    { name: 'protocol', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'leader', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'currentStateTimestamp', type: 'int64', versions: '2+', default: -1n },
    {
      name: 'members',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
        { name: 'clientId', type: 'string', versions: '0+' },
        { name: 'clientHost', type: 'string', versions: '0+' },
        { name: 'rebalanceTimeout', type: 'int32', versions: '1+' },
        { name: 'sessionTimeout', type: 'int32', versions: '0+' },
        { name: 'subscription', type: 'bytes', versions: '0+' },
        { name: 'assignment', type: 'bytes', versions: '0+' },
      ],
    },
  ],
};

/** The messages as the tables describe them (Kafka's field names). */
interface OffsetCommitKey {
  group: string;
  topic: string;
  partition: number;
}
interface OffsetCommitValue {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestamp: bigint;
  expireTimestamp: bigint;
}
interface GroupMetadataKey {
  group: string;
}
interface GroupMetadataValue {
  protocolType: string;
  generation: number;
  protocol: string | null;
  leader: string | null;
  currentStateTimestamp: bigint;
  members: Array<{
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    rebalanceTimeout: number;
    sessionTimeout: number;
    subscription: Buffer;
    assignment: Buffer;
  }>;
}

/** The codecs, exported for tests that print their grammar; the functions below are the API. */
export const OFFSETS_TOPIC_CODECS = {
  offsetCommitKey: new MessageCodec<OffsetCommitKey>(OFFSET_COMMIT_KEY),
  offsetCommitValue: new MessageCodec<OffsetCommitValue>(OFFSET_COMMIT_VALUE),
  groupMetadataKey: new MessageCodec<GroupMetadataKey>(GROUP_METADATA_KEY),
  groupMetadataValue: new MessageCodec<GroupMetadataValue>(GROUP_METADATA_VALUE),
} as const;

/** Kafka's legacy record type for offset commit keys (the pre-3.7 key version 0); read, never written. */
const LEGACY_OFFSET_COMMIT_KEY_TYPE = 0;
const OFFSET_COMMIT_KEY_TYPE = 1;
const GROUP_METADATA_KEY_TYPE = 2;
const OFFSET_COMMIT_VALUE_VERSION = 3;
const GROUP_METADATA_VALUE_VERSION = 3;

export type OffsetsTopicKey =
  { kind: 'offset'; group: string; topic: string; partition: number } | { kind: 'group'; group: string };

export interface StoredMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  /** The member's metadata for the chosen protocol. */
  subscription: Buffer;
  assignment: Buffer;
}

/** A group's membership as of its last completed generation (or its emptying). */
export interface StoredGroup {
  protocolType: string;
  generationId: number;
  protocolName: string | null;
  leaderId: string | null;
  currentStateTimestamp: number;
  members: StoredMember[];
}

/** A key or value this broker cannot read; replay skips it rather than guess. */
export class OffsetsTopicRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OffsetsTopicRecordError';
  }
}

/** An int16 (record type or version) followed by the message at version `version`. */
function encodeRecord<T extends object>(prefix: number, codec: MessageCodec<T>, version: number, message: T): Buffer {
  const writer = new ByteWriter().writeInt16(prefix);
  codec.write(version, message, writer);
  return writer.toBuffer();
}

export function encodeOffsetCommitKey(group: string, topic: string, partition: number): Buffer {
  return encodeRecord(OFFSET_COMMIT_KEY_TYPE, OFFSETS_TOPIC_CODECS.offsetCommitKey, 0, { group, topic, partition });
}

export function encodeGroupMetadataKey(group: string): Buffer {
  return encodeRecord(GROUP_METADATA_KEY_TYPE, OFFSETS_TOPIC_CODECS.groupMetadataKey, 0, { group });
}

export function decodeOffsetsTopicKey(bytes: Buffer): OffsetsTopicKey {
  const reader = new ByteReader(bytes);
  const type = reader.readInt16();
  if (type === LEGACY_OFFSET_COMMIT_KEY_TYPE || type === OFFSET_COMMIT_KEY_TYPE) {
    return { kind: 'offset', ...OFFSETS_TOPIC_CODECS.offsetCommitKey.read(0, reader) };
  }
  if (type === GROUP_METADATA_KEY_TYPE) {
    return { kind: 'group', ...OFFSETS_TOPIC_CODECS.groupMetadataKey.read(0, reader) };
  }
  throw new OffsetsTopicRecordError(`unknown __consumer_offsets key type ${type}`);
}

export function encodeOffsetCommitValue(value: OffsetAndMetadata): Buffer {
  return encodeRecord(
    OFFSET_COMMIT_VALUE_VERSION,
    OFFSETS_TOPIC_CODECS.offsetCommitValue,
    OFFSET_COMMIT_VALUE_VERSION,
    {
      offset: value.offset,
      leaderEpoch: value.leaderEpoch,
      metadata: value.metadata,
      commitTimestamp: BigInt(value.commitTimestamp),
      expireTimestamp: -1n, // only on the wire in v1
    },
  );
}

export function decodeOffsetCommitValue(bytes: Buffer): OffsetAndMetadata {
  const reader = new ByteReader(bytes);
  const value = OFFSETS_TOPIC_CODECS.offsetCommitValue.read(valueVersion(reader, 'OffsetCommitValue'), reader);
  return {
    offset: value.offset,
    leaderEpoch: value.leaderEpoch,
    metadata: value.metadata,
    commitTimestamp: Number(value.commitTimestamp),
  };
}

export function encodeGroupMetadataValue(group: StoredGroup): Buffer {
  return encodeRecord(
    GROUP_METADATA_VALUE_VERSION,
    OFFSETS_TOPIC_CODECS.groupMetadataValue,
    GROUP_METADATA_VALUE_VERSION,
    {
      protocolType: group.protocolType,
      generation: group.generationId,
      protocol: group.protocolName,
      leader: group.leaderId,
      currentStateTimestamp: BigInt(group.currentStateTimestamp),
      members: group.members.map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        rebalanceTimeout: m.rebalanceTimeoutMs,
        sessionTimeout: m.sessionTimeoutMs,
        subscription: m.subscription,
        assignment: m.assignment,
      })),
    },
  );
}

export function decodeGroupMetadataValue(bytes: Buffer): StoredGroup {
  const reader = new ByteReader(bytes);
  const version = valueVersion(reader, 'GroupMetadataValue');
  const value = OFFSETS_TOPIC_CODECS.groupMetadataValue.read(version, reader);
  return {
    protocolType: value.protocolType,
    generationId: value.generation,
    protocolName: value.protocol,
    leaderId: value.leader,
    currentStateTimestamp: Number(value.currentStateTimestamp),
    // Copies: the decoded bytes are views of the replayed log buffer, which is not ours to keep.
    members: value.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      // v0 has no rebalance timeout; Kafka's GroupMetadataManager takes the session timeout for it.
      rebalanceTimeoutMs: version === 0 ? m.sessionTimeout : m.rebalanceTimeout,
      sessionTimeoutMs: m.sessionTimeout,
      subscription: Buffer.from(m.subscription),
      assignment: Buffer.from(m.assignment),
    })),
  };
}

/** Reads a value's int16 version and checks the table has it. */
function valueVersion(reader: ByteReader, name: 'OffsetCommitValue' | 'GroupMetadataValue'): number {
  const version = reader.readInt16();
  const codec =
    name === 'OffsetCommitValue' ? OFFSETS_TOPIC_CODECS.offsetCommitValue : OFFSETS_TOPIC_CODECS.groupMetadataValue;
  if (!codec.supports(version)) throw new OffsetsTopicRecordError(`unknown ${name} version ${version}`);
  return version;
}
