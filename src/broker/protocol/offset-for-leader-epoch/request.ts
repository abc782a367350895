import { MessageCodec } from '../schema/message-codec.js';

// OffsetForLeaderEpoch Request (Version: 0-1) => [topics]
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition leader_epoch
//       partition => INT32
//       leader_epoch => INT32
//
// OffsetForLeaderEpoch Request (Version: 2) => [topics]
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition current_leader_epoch leader_epoch
//       partition => INT32
//       current_leader_epoch => INT32
//       leader_epoch => INT32
//
// OffsetForLeaderEpoch Request (Version: 3) => replica_id [topics]
//   replica_id => INT32
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition current_leader_epoch leader_epoch
//       partition => INT32
//       current_leader_epoch => INT32
//       leader_epoch => INT32
//
// OffsetForLeaderEpoch Request (Version: 4) => replica_id [topics] _tagged_fields
//   replica_id => INT32
//   topics => topic [partitions] _tagged_fields
//     topic => COMPACT_STRING
//     partitions => partition current_leader_epoch leader_epoch _tagged_fields
//       partition => INT32
//       current_leader_epoch => INT32
//       leader_epoch => INT32
//
// Version 4 is version 3 in the flexible encoding (KIP-482: compact strings and arrays, tagged fields).
//
// KIP-101/KIP-279: "where does `leader_epoch` end in your log?" A follower asks its leader after a leader
// change and truncates to the answer; consumers ask it (KIP-320) to detect log truncation. replica_id is the
// asking broker (-1 for a consumer, -2 for a debugging tool); current_leader_epoch fences stale askers.

export interface OffsetForLeaderEpochRequest {
  replicaId: number;
  topics: OffsetForLeaderTopic[];
}

export interface OffsetForLeaderTopic {
  topic: string;
  partitions: OffsetForLeaderPartition[];
}

export interface OffsetForLeaderPartition {
  partition: number;
  /** -1: the asker does not know (v0-1 always). */
  currentLeaderEpoch: number;
  leaderEpoch: number;
}

export const offsetForLeaderEpochRequestCodec = new MessageCodec<OffsetForLeaderEpochRequest>({
  name: 'OffsetForLeaderEpochRequest',
  apiKey: 23,
  versions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'replicaId', type: 'int32', versions: '3+', default: -2 },
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
            { name: 'partition', type: 'int32', versions: '0+' },
            { name: 'currentLeaderEpoch', type: 'int32', versions: '2+', default: -1 },
            { name: 'leaderEpoch', type: 'int32', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
