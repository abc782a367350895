import { MessageCodec } from '../schema/message-codec.js';

// AlterPartition Request (Version: 0) => broker_id broker_epoch [topics] _tagged_fields
//   broker_id => INT32
//   broker_epoch => INT64
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index leader_epoch [new_isr] partition_epoch _tagged_fields
//       partition_index => INT32
//       leader_epoch => INT32
//       new_isr => [INT32]
//       partition_epoch => INT32
//
// AlterPartition Request (Version: 1) => broker_id broker_epoch [topics] _tagged_fields
//   broker_id => INT32
//   broker_epoch => INT64
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index leader_epoch [new_isr] leader_recovery_state partition_epoch _tagged_fields
//       partition_index => INT32
//       leader_epoch => INT32
//       new_isr => [INT32]
//       leader_recovery_state => INT8
//       partition_epoch => INT32
//
// AlterPartition Request (Version: 2) => broker_id broker_epoch [topics] _tagged_fields
//   broker_id => INT32
//   broker_epoch => INT64
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index leader_epoch [new_isr] leader_recovery_state partition_epoch _tagged_fields
//       partition_index => INT32
//       leader_epoch => INT32
//       new_isr => [INT32]
//       leader_recovery_state => INT8
//       partition_epoch => INT32
//
// AlterPartition Request (Version: 3) => broker_id broker_epoch [topics] _tagged_fields
//   broker_id => INT32
//   broker_epoch => INT64
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index leader_epoch [new_isr_with_epochs] leader_recovery_state partition_epoch _tagged_fields
//       partition_index => INT32
//       leader_epoch => INT32
//       new_isr_with_epochs => broker_id broker_epoch _tagged_fields
//         broker_id => INT32
//         broker_epoch => INT64
//       leader_recovery_state => INT8
//       partition_epoch => INT32
//
// A partition leader asks the active controller to change its ISR (KIP-497, KIP-841 topic ids in v2, KIP-903
// broker epochs of the ISR members in v3), naming the leader epoch and partition epoch it holds so a stale
// proposal is refused. v0-1 name the topic and send new_isr as plain ids. From Kafka's AlterPartitionRequest.json.

export interface AlterPartitionRequest {
  brokerId: number;
  brokerEpoch: bigint;
  topics: AlterPartitionTopicData[];
}

export interface AlterPartitionTopicData {
  /** v0-1. */
  topicName?: string;
  /** v2+. */
  topicId?: string;
  partitions: AlterPartitionPartitionData[];
}

export interface AlterPartitionPartitionData {
  partitionIndex: number;
  leaderEpoch: number;
  /** v0-2. */
  newIsr?: number[];
  /** v3+: each member with the broker epoch the leader knows (-1: unknown). */
  newIsrWithEpochs?: { brokerId: number; brokerEpoch: bigint }[];
  leaderRecoveryState?: number;
  partitionEpoch: number;
}

export const alterPartitionRequestCodec = new MessageCodec<AlterPartitionRequest>({
  name: 'AlterPartitionRequest',
  apiKey: 56,
  versions: '0-3',
  flexibleVersions: '0+',
  fields: [
    { name: 'brokerId', type: 'int32', versions: '0+' },
    { name: 'brokerEpoch', type: 'int64', versions: '0+', default: -1n },
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
            { name: 'leaderEpoch', type: 'int32', versions: '0+' },
            { name: 'newIsr', type: '[]int32', versions: '0-2' },
            {
              name: 'newIsrWithEpochs',
              type: '[]',
              versions: '3+',
              fields: [
                { name: 'brokerId', type: 'int32', versions: '3+' },
                { name: 'brokerEpoch', type: 'int64', versions: '3+', default: -1n },
              ],
            },
            { name: 'leaderRecoveryState', type: 'int8', versions: '1+', default: 0 },
            { name: 'partitionEpoch', type: 'int32', versions: '0+' },
          ],
        },
      ],
    },
  ],
});

/** The proposed ISR of one partition, whichever version carried it. */
export function proposedIsr(partition: AlterPartitionPartitionData): number[] {
  // Decoded, the field of the other versions is present too, empty: go by which one has members.
  const withEpochs = partition.newIsrWithEpochs ?? [];
  return withEpochs.length > 0 ? withEpochs.map((b) => b.brokerId) : (partition.newIsr ?? []);
}
