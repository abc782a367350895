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
// v2 added the top-level error_code, v3 throttle_time_ms, v5 committed_leader_epoch.
// A partition with no committed offset answers committed_offset -1 and error 0.

export interface OffsetFetchResponse {
  throttleTimeMs: number;
  topics: OffsetFetchResponseTopic[];
  errorCode: number;
}

export interface OffsetFetchResponseTopic {
  name: string;
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
  versions: '1-5',
  flexibleVersions: '6+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
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
            { name: 'committedLeaderEpoch', type: 'int32', versions: '5+', default: -1 },
            { name: 'metadata', type: 'string', versions: '0+', nullableVersions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
          ],
        },
      ],
    },
    { name: 'errorCode', type: 'int16', versions: '2+' },
  ],
});
