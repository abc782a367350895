import { MessageCodec } from '../schema/message-codec.js';

// OffsetCommit Request (Version: 2-4) => group_id generation_id member_id retention_time_ms [topics]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   retention_time_ms => INT64
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset committed_metadata
//       partition_index => INT32
//       committed_offset => INT64
//       committed_metadata => NULLABLE_STRING
//
// OffsetCommit Request (Version: 5) => group_id generation_id member_id [topics]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset committed_metadata
//       partition_index => INT32
//       committed_offset => INT64
//       committed_metadata => NULLABLE_STRING
//
// OffsetCommit Request (Version: 6) => group_id generation_id member_id [topics]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
//       partition_index => INT32
//       committed_offset => INT64
//       committed_leader_epoch => INT32
//       committed_metadata => NULLABLE_STRING
//
// OffsetCommit Request (Version: 7) => group_id generation_id member_id group_instance_id [topics]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   group_instance_id => NULLABLE_STRING
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset committed_leader_epoch committed_metadata
//       partition_index => INT32
//       committed_offset => INT64
//       committed_leader_epoch => INT32
//       committed_metadata => NULLABLE_STRING
//
// OffsetCommit Request (Version: 8-9) => group_id generation_id member_id group_instance_id [topics] _tagged_fields
//   group_id => COMPACT_STRING
//   generation_id => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index committed_offset committed_leader_epoch committed_metadata _tagged_fields
//       partition_index => INT32
//       committed_offset => INT64
//       committed_leader_epoch => INT32
//       committed_metadata => COMPACT_NULLABLE_STRING
//
// OffsetCommit Request (Version: 10) => group_id generation_id member_id group_instance_id [topics] _tagged_fields
//   group_id => COMPACT_STRING
//   generation_id => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index committed_offset committed_leader_epoch committed_metadata _tagged_fields
//       partition_index => INT32
//       committed_offset => INT64
//       committed_leader_epoch => INT32
//       committed_metadata => COMPACT_NULLABLE_STRING
//
// kq serves v2+: v2 added retention_time_ms (dropped again in v5), v6 committed_leader_epoch,
// v7 group_instance_id (static membership, KIP-345).

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  retentionTimeMs: bigint;
  topics: OffsetCommitRequestTopic[];
}

export interface OffsetCommitRequestTopic {
  name: string;
  /** v10+: the topic's id (the name is then not on the wire). */
  topicId?: string;
  partitions: OffsetCommitRequestPartition[];
}

export interface OffsetCommitRequestPartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  committedMetadata: string | null;
}

export const offsetCommitRequestCodec = new MessageCodec<OffsetCommitRequest>({
  name: 'OffsetCommitRequest',
  apiKey: 8,
  versions: '2-10',
  flexibleVersions: '8+',
  fields: [
    { name: 'groupId', type: 'string', versions: '2+' },
    { name: 'generationId', type: 'int32', versions: '2+', default: -1 },
    { name: 'memberId', type: 'string', versions: '2+' },
    { name: 'groupInstanceId', type: 'string', versions: '7+', nullableVersions: '7+', default: null },
    { name: 'retentionTimeMs', type: 'int64', versions: '2-4', default: -1n },
    {
      name: 'topics',
      type: '[]',
      versions: '2+',
      fields: [
        { name: 'topicId', type: 'uuid', versions: '10+' },
        { name: 'name', type: 'string', versions: '2-9' },
        {
          name: 'partitions',
          type: '[]',
          versions: '2+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '2+' },
            { name: 'committedOffset', type: 'int64', versions: '2+' },
            { name: 'committedLeaderEpoch', type: 'int32', versions: '6+', default: -1 },
            { name: 'committedMetadata', type: 'string', versions: '2+', nullableVersions: '2+', default: null },
          ],
        },
      ],
    },
  ],
});
