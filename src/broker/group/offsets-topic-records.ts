import { ByteReader } from '../protocol/primitives/byte-reader.js';
import { ByteWriter } from '../protocol/primitives/byte-writer.js';
import type { OffsetAndMetadata } from './group-metadata.js';

// The records of `__consumer_offsets`, laid out as Kafka's own (GroupMetadataManager's message schemas), so a
// learner can match them against Kafka's docs. The record key says what the value is about; a null value is a
// tombstone (the offset expired, the group was removed). Replaying the log in order, later records win.
//
// OffsetCommitKey (Version: 1) => group topic partition
//   group => STRING, topic => STRING, partition => INT32
// OffsetCommitValue (Version: 3) => offset leader_epoch metadata commit_timestamp
//   offset => INT64, leader_epoch => INT32, metadata => STRING, commit_timestamp => INT64
//
// GroupMetadataKey (Version: 2) => group
//   group => STRING
// GroupMetadataValue (Version: 3) => protocol_type generation protocol leader current_state_timestamp [members]
//   protocol_type => STRING, generation => INT32, protocol => NULLABLE_STRING, leader => NULLABLE_STRING
//   current_state_timestamp => INT64
//   members => member_id group_instance_id client_id client_host rebalance_timeout session_timeout
//              subscription assignment
//     member_id => STRING, group_instance_id => NULLABLE_STRING, client_id => STRING, client_host => STRING
//     rebalance_timeout => INT32, session_timeout => INT32, subscription => BYTES, assignment => BYTES

const OFFSET_COMMIT_KEY_VERSION = 1;
const OFFSET_COMMIT_VALUE_VERSION = 3;
const GROUP_METADATA_KEY_VERSION = 2;
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

/** A key or value this broker cannot read; replay stops at it rather than guess. */
export class OffsetsTopicRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OffsetsTopicRecordError';
  }
}

export function encodeOffsetCommitKey(group: string, topic: string, partition: number): Buffer {
  return new ByteWriter()
    .writeInt16(OFFSET_COMMIT_KEY_VERSION)
    .writeString(group)
    .writeString(topic)
    .writeInt32(partition)
    .toBuffer();
}

export function encodeGroupMetadataKey(group: string): Buffer {
  return new ByteWriter().writeInt16(GROUP_METADATA_KEY_VERSION).writeString(group).toBuffer();
}

export function decodeOffsetsTopicKey(bytes: Buffer): OffsetsTopicKey {
  const reader = new ByteReader(bytes);
  const version = reader.readInt16();
  // Kafka's key versions 0 and 1 are both offset keys (same layout); 2 is a group key.
  if (version === 0 || version === 1) {
    return { kind: 'offset', group: reader.readString(), topic: reader.readString(), partition: reader.readInt32() };
  }
  if (version === GROUP_METADATA_KEY_VERSION) return { kind: 'group', group: reader.readString() };
  throw new OffsetsTopicRecordError(`unknown __consumer_offsets key version ${version}`);
}

export function encodeOffsetCommitValue(value: OffsetAndMetadata): Buffer {
  return new ByteWriter()
    .writeInt16(OFFSET_COMMIT_VALUE_VERSION)
    .writeInt64(value.offset)
    .writeInt32(value.leaderEpoch)
    .writeString(value.metadata)
    .writeInt64(BigInt(value.commitTimestamp))
    .toBuffer();
}

export function decodeOffsetCommitValue(bytes: Buffer): OffsetAndMetadata {
  const reader = new ByteReader(bytes);
  const version = reader.readInt16();
  if (version !== OFFSET_COMMIT_VALUE_VERSION)
    throw new OffsetsTopicRecordError(`unknown OffsetCommitValue version ${version}`);
  return {
    offset: reader.readInt64(),
    leaderEpoch: reader.readInt32(),
    metadata: reader.readString(),
    commitTimestamp: Number(reader.readInt64()),
  };
}

export function encodeGroupMetadataValue(group: StoredGroup): Buffer {
  return new ByteWriter()
    .writeInt16(GROUP_METADATA_VALUE_VERSION)
    .writeString(group.protocolType)
    .writeInt32(group.generationId)
    .writeNullableString(group.protocolName)
    .writeNullableString(group.leaderId)
    .writeInt64(BigInt(group.currentStateTimestamp))
    .writeArray(group.members, (w, m) => {
      w.writeString(m.memberId)
        .writeNullableString(m.groupInstanceId)
        .writeString(m.clientId)
        .writeString(m.clientHost)
        .writeInt32(m.rebalanceTimeoutMs)
        .writeInt32(m.sessionTimeoutMs)
        .writeBytes(m.subscription)
        .writeBytes(m.assignment);
    })
    .toBuffer();
}

export function decodeGroupMetadataValue(bytes: Buffer): StoredGroup {
  const reader = new ByteReader(bytes);
  const version = reader.readInt16();
  if (version !== GROUP_METADATA_VALUE_VERSION)
    throw new OffsetsTopicRecordError(`unknown GroupMetadataValue version ${version}`);
  return {
    protocolType: reader.readString(),
    generationId: reader.readInt32(),
    protocolName: reader.readNullableString(),
    leaderId: reader.readNullableString(),
    currentStateTimestamp: Number(reader.readInt64()),
    // Copies: the replayed log buffer is not ours to keep.
    members: reader.readArray((r) => ({
      memberId: r.readString(),
      groupInstanceId: r.readNullableString(),
      clientId: r.readString(),
      clientHost: r.readString(),
      rebalanceTimeoutMs: r.readInt32(),
      sessionTimeoutMs: r.readInt32(),
      subscription: Buffer.from(r.readBytes()),
      assignment: Buffer.from(r.readBytes()),
    })),
  };
}
