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
  versions: '2-7',
  flexibleVersions: '8+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '1+', default: -1 },
    { name: 'memberId', type: 'string', versions: '1+' },
    { name: 'groupInstanceId', type: 'string', versions: '7+', nullableVersions: '7+', default: null },
    { name: 'retentionTimeMs', type: 'int64', versions: '2-4', default: -1n },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'committedOffset', type: 'int64', versions: '0+' },
            { name: 'committedLeaderEpoch', type: 'int32', versions: '6+', default: -1 },
            { name: 'committedMetadata', type: 'string', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
  ],
});
