import { MessageCodec } from '../schema/message-codec.js';

// OffsetCommit Response (Version: 2) => [topics]
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index error_code
//       partition_index => INT32
//       error_code => INT16
//
// OffsetCommit Response (Version: 3-7) => throttle_time_ms [topics]
//   throttle_time_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index error_code
//       partition_index => INT32
//       error_code => INT16
//
// OffsetCommit Response (Version: 8-9) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index error_code _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//
// OffsetCommit Response (Version: 10) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index error_code _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//
// v3 added throttle_time_ms; otherwise unchanged through v7.

export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: OffsetCommitResponseTopic[];
}

export interface OffsetCommitResponseTopic {
  name: string;
  /** v10+: the topic's id (the name is then not on the wire). */
  topicId?: string;
  partitions: OffsetCommitResponsePartition[];
}

export interface OffsetCommitResponsePartition {
  partitionIndex: number;
  errorCode: number;
}

export const offsetCommitResponseCodec = new MessageCodec<OffsetCommitResponse>({
  name: 'OffsetCommitResponse',
  apiKey: 8,
  versions: '2-10',
  flexibleVersions: '8+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
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
            { name: 'errorCode', type: 'int16', versions: '2+' },
          ],
        },
      ],
    },
  ],
});
