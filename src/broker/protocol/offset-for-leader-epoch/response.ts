import { MessageCodec } from '../schema/message-codec.js';

// OffsetForLeaderEpoch Response (Version: 0) => [topics]
//   topics => topic [partitions]
//     topic => STRING
//     partitions => error_code partition end_offset
//       error_code => INT16
//       partition => INT32
//       end_offset => INT64
//
// OffsetForLeaderEpoch Response (Version: 1) => [topics]
//   topics => topic [partitions]
//     topic => STRING
//     partitions => error_code partition leader_epoch end_offset
//       error_code => INT16
//       partition => INT32
//       leader_epoch => INT32
//       end_offset => INT64
//
// OffsetForLeaderEpoch Response (Version: 2-3) => throttle_time_ms [topics]
//   throttle_time_ms => INT32
//   topics => topic [partitions]
//     topic => STRING
//     partitions => error_code partition leader_epoch end_offset
//       error_code => INT16
//       partition => INT32
//       leader_epoch => INT32
//       end_offset => INT64
//
// OffsetForLeaderEpoch Response (Version: 4) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => topic [partitions] _tagged_fields
//     topic => COMPACT_STRING
//     partitions => error_code partition leader_epoch end_offset _tagged_fields
//       error_code => INT16
//       partition => INT32
//       leader_epoch => INT32
//       end_offset => INT64
//
// Version 4 is version 3 in the flexible encoding (KIP-482).
//
// leader_epoch is the largest epoch ≤ the requested one that the leader's log has (v1+, KIP-279), end_offset
// where the epoch after it starts (the log end for the leader's current epoch); -1/-1 when the leader knows
// no such epoch.

export interface OffsetForLeaderEpochResponse {
  throttleTimeMs: number;
  topics: OffsetForLeaderTopicResult[];
}

export interface OffsetForLeaderTopicResult {
  topic: string;
  partitions: EpochEndOffset[];
}

export interface EpochEndOffset {
  errorCode: number;
  partition: number;
  leaderEpoch: number;
  endOffset: bigint;
}

export const offsetForLeaderEpochResponseCodec = new MessageCodec<OffsetForLeaderEpochResponse>({
  name: 'OffsetForLeaderEpochResponse',
  apiKey: 23,
  versions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'partition', type: 'int32', versions: '0+' },
            { name: 'leaderEpoch', type: 'int32', versions: '1+', default: -1 },
            { name: 'endOffset', type: 'int64', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
