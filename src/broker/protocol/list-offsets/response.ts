import { MessageCodec } from '../schema/message-codec.js';

// ListOffsets Response (Version: 1) => [topics]
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index error_code timestamp offset
//       partition_index => INT32
//       error_code => INT16
//       timestamp => INT64
//       offset => INT64
//
// ListOffsets Response (Version: 2-3) => throttle_time_ms [topics]
//   throttle_time_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index error_code timestamp offset
//       partition_index => INT32
//       error_code => INT16
//       timestamp => INT64
//       offset => INT64
//
// ListOffsets Response (Version: 4-5) => throttle_time_ms [topics]
//   throttle_time_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index error_code timestamp offset leader_epoch
//       partition_index => INT32
//       error_code => INT16
//       timestamp => INT64
//       offset => INT64
//       leader_epoch => INT32
//
// ListOffsets Response (Version: 6-11) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index error_code timestamp offset leader_epoch _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       timestamp => INT64
//       offset => INT64
//       leader_epoch => INT32
//
// v2 added throttle_time_ms, v4 leader_epoch; v1-5 return one offset per partition.

export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: ListOffsetsTopicResponse[];
}

export interface ListOffsetsTopicResponse {
  name: string;
  partitions: ListOffsetsPartitionResponse[];
}

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  timestamp: bigint;
  offset: bigint;
  leaderEpoch: number;
}

export const listOffsetsResponseCodec = new MessageCodec<ListOffsetsResponse>({
  name: 'ListOffsetsResponse',
  apiKey: 2,
  versions: '1-11',
  flexibleVersions: '6+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    {
      name: 'topics',
      type: '[]',
      versions: '1+',
      fields: [
        { name: 'name', type: 'string', versions: '1+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '1+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '1+' },
            { name: 'errorCode', type: 'int16', versions: '1+' },
            { name: 'timestamp', type: 'int64', versions: '1+', default: -1n },
            { name: 'offset', type: 'int64', versions: '1+', default: -1n },
            { name: 'leaderEpoch', type: 'int32', versions: '4+', default: -1 },
          ],
        },
      ],
    },
  ],
});
