import { MessageCodec } from '../schema/message-codec.js';

// OffsetFetch Response (Version: 1) => [topics]
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset metadata error_code
//       partition_index => INT32
//       committed_offset => INT64
//       metadata => NULLABLE_STRING
//       error_code => INT16
//
// OffsetFetch Response (Version: 2) => [topics] error_code
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset metadata error_code
//       partition_index => INT32
//       committed_offset => INT64
//       metadata => NULLABLE_STRING
//       error_code => INT16
//   error_code => INT16
//
// OffsetFetch Response (Version: 3-4) => throttle_time_ms [topics] error_code
//   throttle_time_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset metadata error_code
//       partition_index => INT32
//       committed_offset => INT64
//       metadata => NULLABLE_STRING
//       error_code => INT16
//   error_code => INT16
//
// OffsetFetch Response (Version: 5) => throttle_time_ms [topics] error_code
//   throttle_time_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index committed_offset committed_leader_epoch metadata error_code
//       partition_index => INT32
//       committed_offset => INT64
//       committed_leader_epoch => INT32
//       metadata => NULLABLE_STRING
//       error_code => INT16
//   error_code => INT16
//
// OffsetFetch Response (Version: 6-7) => throttle_time_ms [topics] error_code _tagged_fields
//   throttle_time_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index committed_offset committed_leader_epoch metadata error_code _tagged_fields
//       partition_index => INT32
//       committed_offset => INT64
//       committed_leader_epoch => INT32
//       metadata => COMPACT_NULLABLE_STRING
//       error_code => INT16
//   error_code => INT16
//
// OffsetFetch Response (Version: 8-9) => throttle_time_ms [groups] _tagged_fields
//   throttle_time_ms => INT32
//   groups => group_id [topics] error_code _tagged_fields
//     group_id => COMPACT_STRING
//     topics => name [partitions] _tagged_fields
//       name => COMPACT_STRING
//       partitions => partition_index committed_offset committed_leader_epoch metadata error_code _tagged_fields
//         partition_index => INT32
//         committed_offset => INT64
//         committed_leader_epoch => INT32
//         metadata => COMPACT_NULLABLE_STRING
//         error_code => INT16
//     error_code => INT16
//
// OffsetFetch Response (Version: 10) => throttle_time_ms [groups] _tagged_fields
//   throttle_time_ms => INT32
//   groups => group_id [topics] error_code _tagged_fields
//     group_id => COMPACT_STRING
//     topics => topic_id [partitions] _tagged_fields
//       topic_id => UUID
//       partitions => partition_index committed_offset committed_leader_epoch metadata error_code _tagged_fields
//         partition_index => INT32
//         committed_offset => INT64
//         committed_leader_epoch => INT32
//         metadata => COMPACT_NULLABLE_STRING
//         error_code => INT16
//     error_code => INT16
//
// v2 added the top-level error_code, v3 throttle_time_ms, v5 committed_leader_epoch.
// A partition with no committed offset answers committed_offset -1 and error 0.

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  /** v0-7: the one group's offsets. */
  topics: OffsetFetchResponseTopic[];
  errorCode: number;
  /** v8+ (KIP-709): one entry per requested group. */
  groups?: OffsetFetchResponseGroup[];
}

export interface OffsetFetchResponseGroup {
  groupId: string;
  topics: OffsetFetchResponseTopic[];
  errorCode: number;
}

export interface OffsetFetchResponseTopic {
  name: string;
  /** v10+: the topic's id (the name is then not on the wire). */
  topicId?: string;
  partitions: OffsetFetchResponsePartition[];
}

export interface OffsetFetchResponsePartition {
  partitionIndex: number;
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export const offsetFetchResponseCodec = new MessageCodec<OffsetFetchResponse>({
  name: 'OffsetFetchResponse',
  apiKey: 9,
  versions: '1-10',
  flexibleVersions: '6+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
    {
      name: 'groups',
      type: '[]',
      versions: '8+',
      fields: [
        { name: 'groupId', type: 'string', versions: '8+' },
        {
          name: 'topics',
          type: '[]',
          versions: '8+',
          fields: [
            { name: 'topicId', type: 'uuid', versions: '10+' },
            { name: 'name', type: 'string', versions: '8-9' },
            {
              name: 'partitions',
              type: '[]',
              versions: '8+',
              fields: [
                { name: 'partitionIndex', type: 'int32', versions: '8+' },
                { name: 'committedOffset', type: 'int64', versions: '8+' },
                { name: 'committedLeaderEpoch', type: 'int32', versions: '8+', default: -1 },
                { name: 'metadata', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
                { name: 'errorCode', type: 'int16', versions: '8+' },
              ],
            },
          ],
        },
        { name: 'errorCode', type: 'int16', versions: '8+', default: 0 },
      ],
    },
    {
      name: 'topics',
      type: '[]',
      versions: '1-7',
      fields: [
        { name: 'name', type: 'string', versions: '1-7' },
        {
          name: 'partitions',
          type: '[]',
          versions: '1-7',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '1-7' },
            { name: 'committedOffset', type: 'int64', versions: '1-7' },
            { name: 'committedLeaderEpoch', type: 'int32', versions: '5-7', default: -1 },
            { name: 'metadata', type: 'string', versions: '1-7', nullableVersions: '1-7', default: null },
            { name: 'errorCode', type: 'int16', versions: '1-7' },
          ],
        },
      ],
    },
    { name: 'errorCode', type: 'int16', versions: '2-7', default: 0 },
  ],
});
