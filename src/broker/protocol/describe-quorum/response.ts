import type { FieldSpec } from '../schema/message-schema.js';
import { MessageCodec } from '../schema/message-codec.js';

// DescribeQuorum Response (Version: 0) => error_code [topics] _tagged_fields
//   error_code => INT16
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index error_code leader_id leader_epoch high_watermark [current_voters] [observers] _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       leader_id => INT32
//       leader_epoch => INT32
//       high_watermark => INT64
//       current_voters => replica_id log_end_offset _tagged_fields
//         replica_id => INT32
//         log_end_offset => INT64
//       observers => replica_id log_end_offset _tagged_fields
//         replica_id => INT32
//         log_end_offset => INT64
//
// DescribeQuorum Response (Version: 1) => error_code [topics] _tagged_fields
//   error_code => INT16
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index error_code leader_id leader_epoch high_watermark [current_voters] [observers] _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       leader_id => INT32
//       leader_epoch => INT32
//       high_watermark => INT64
//       current_voters => replica_id log_end_offset last_fetch_timestamp last_caught_up_timestamp _tagged_fields
//         replica_id => INT32
//         log_end_offset => INT64
//         last_fetch_timestamp => INT64
//         last_caught_up_timestamp => INT64
//       observers => replica_id log_end_offset last_fetch_timestamp last_caught_up_timestamp _tagged_fields
//         replica_id => INT32
//         log_end_offset => INT64
//         last_fetch_timestamp => INT64
//         last_caught_up_timestamp => INT64
//
// Fields from Kafka's DescribeQuorumResponse.json (flexible from v0). Only the leader knows the voters'
// positions; any other node answers NOT_LEADER_OR_FOLLOWER.

export interface DescribeQuorumResponse {
  errorCode: number;
  topics: { topicName: string; partitions: DescribeQuorumPartition[] }[];
}

export interface DescribeQuorumPartition {
  partitionIndex: number;
  errorCode: number;
  leaderId: number;
  leaderEpoch: number;
  highWatermark: bigint;
  currentVoters: ReplicaState[];
  observers: ReplicaState[];
}

export interface ReplicaState {
  replicaId: number;
  logEndOffset: bigint;
  /** v1+; -1 when unknown (the leader's own entry). */
  lastFetchTimestamp: bigint;
  /** v1+; -1 when unknown. */
  lastCaughtUpTimestamp: bigint;
}

const replicaState: FieldSpec[] = [
  { name: 'replicaId', type: 'int32', versions: '0+' },
  { name: 'logEndOffset', type: 'int64', versions: '0+' },
  { name: 'lastFetchTimestamp', type: 'int64', versions: '1+', default: -1n },
  { name: 'lastCaughtUpTimestamp', type: 'int64', versions: '1+', default: -1n },
];

export const describeQuorumResponseCodec = new MessageCodec<DescribeQuorumResponse>({
  name: 'DescribeQuorumResponse',
  apiKey: 55,
  versions: '0-1',
  flexibleVersions: '0+',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'topicName', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'leaderId', type: 'int32', versions: '0+' },
            { name: 'leaderEpoch', type: 'int32', versions: '0+' },
            { name: 'highWatermark', type: 'int64', versions: '0+' },
            { name: 'currentVoters', type: '[]', versions: '0+', fields: replicaState },
            { name: 'observers', type: '[]', versions: '0+', fields: replicaState },
          ],
        },
      ],
    },
  ],
});
