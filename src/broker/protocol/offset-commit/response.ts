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
// v3 added throttle_time_ms; otherwise unchanged through v7.

export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: OffsetCommitResponseTopic[];
}

export interface OffsetCommitResponseTopic {
  name: string;
  partitions: OffsetCommitResponsePartition[];
}

export interface OffsetCommitResponsePartition {
  partitionIndex: number;
  errorCode: number;
}

export const offsetCommitResponseCodec = new MessageCodec<OffsetCommitResponse>({
  name: 'OffsetCommitResponse',
  apiKey: 8,
  versions: '2-7',
  flexibleVersions: '8+',
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
            { name: 'errorCode', type: 'int16', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
