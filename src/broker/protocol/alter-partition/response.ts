import { MessageCodec } from '../schema/message-codec.js';

// AlterPartition Response (Version: 0) => throttle_time_ms error_code [topics] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index error_code leader_id leader_epoch [isr] partition_epoch _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       leader_id => INT32
//       leader_epoch => INT32
//       isr => [INT32]
//       partition_epoch => INT32
//
// AlterPartition Response (Version: 1) => throttle_time_ms error_code [topics] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index error_code leader_id leader_epoch [isr] leader_recovery_state partition_epoch _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       leader_id => INT32
//       leader_epoch => INT32
//       isr => [INT32]
//       leader_recovery_state => INT8
//       partition_epoch => INT32
//
// AlterPartition Response (Version: 2-3) => throttle_time_ms error_code [topics] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index error_code leader_id leader_epoch [isr] leader_recovery_state partition_epoch _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       leader_id => INT32
//       leader_epoch => INT32
//       isr => [INT32]
//       leader_recovery_state => INT8
//       partition_epoch => INT32
//
// Per partition: the committed state after the change (partition epoch bumped), or Kafka's refusal
// (INVALID_UPDATE_VERSION, FENCED_LEADER_EPOCH, NOT_LEADER_OR_FOLLOWER, INELIGIBLE_REPLICA, UNKNOWN_TOPIC_ID);
// top level: NOT_CONTROLLER or STALE_BROKER_EPOCH. From Kafka's AlterPartitionResponse.json.

export interface AlterPartitionResponse {
  throttleTimeMs: number;
  errorCode: number;
  topics: AlterPartitionTopicResult[];
}

export interface AlterPartitionTopicResult {
  topicName?: string;
  topicId?: string;
  partitions: AlterPartitionPartitionResult[];
}

export interface AlterPartitionPartitionResult {
  partitionIndex: number;
  errorCode: number;
  leaderId: number;
  leaderEpoch: number;
  isr: number[];
  leaderRecoveryState?: number;
  partitionEpoch: number;
}

export const alterPartitionResponseCodec = new MessageCodec<AlterPartitionResponse>({
  name: 'AlterPartitionResponse',
  apiKey: 56,
  versions: '0-3',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'topicName', type: 'string', versions: '0-1' },
        { name: 'topicId', type: 'uuid', versions: '2+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'leaderId', type: 'int32', versions: '0+' },
            { name: 'leaderEpoch', type: 'int32', versions: '0+' },
            { name: 'isr', type: '[]int32', versions: '0+' },
            { name: 'leaderRecoveryState', type: 'int8', versions: '1+', default: 0 },
            { name: 'partitionEpoch', type: 'int32', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
