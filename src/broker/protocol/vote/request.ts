import { MessageCodec } from '../schema/message-codec.js';

// Vote Request (Version: 0) => cluster_id [topics] _tagged_fields
//   cluster_id => COMPACT_NULLABLE_STRING
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index replica_epoch replica_id last_offset_epoch last_offset _tagged_fields
//       partition_index => INT32
//       replica_epoch => INT32
//       replica_id => INT32
//       last_offset_epoch => INT32
//       last_offset => INT64
//
// Vote Request (Version: 1-2) => cluster_id voter_id [topics] _tagged_fields
//   cluster_id => COMPACT_NULLABLE_STRING
//   voter_id => INT32
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index replica_epoch replica_id replica_directory_id voter_directory_id last_offset_epoch last_offset _tagged_fields
//     partitions => partition_index replica_epoch replica_id replica_directory_id voter_directory_id last_offset_epoch last_offset pre_vote _tagged_fields
//       partition_index => INT32
//       replica_epoch => INT32
//       replica_id => INT32
//       replica_directory_id => UUID
//       voter_directory_id => UUID
//       last_offset_epoch => INT32
//       last_offset => INT64
//       pre_vote => BOOLEAN
//
// (v1 adds KIP-853's voter_id and directory ids; v2 adds KIP-996's pre_vote, the second partitions line.
// Kafka 4 renamed v0's candidate_epoch/candidate_id to replica_epoch/replica_id: the bytes are the same.)
//
// KIP-595: a candidate asks each voter for its vote in `replica_epoch`, naming where its log ends so the voter
// can refuse a candidate whose log is behind its own. KIP-996 (v2): with `pre_vote` set, a prospective voter asks
// whether it *would* get the vote in `replica_epoch` (its own epoch + 1) without anyone changing epoch or
// vote, so a voter that cannot win never unseats a working leader. The layout is Kafka 4.4's VoteRequestData
// schema (flexible from v0); kq sends zero directory ids (its voters have one log directory each, KIP-853's
// dynamic quorums are not implemented) and `voter_id` naming the voter asked.

export interface VoteRequest {
  clusterId: string | null;
  /** The voter this request is for (v1+; -1 when absent). */
  voterId: number;
  topics: VoteTopic[];
}

export interface VoteTopic {
  topicName: string;
  partitions: VotePartition[];
}

export interface VotePartition {
  partitionIndex: number;
  /** The epoch the sender runs in: a candidate's bumped epoch, or a prospective's epoch + 1 (pre-vote). */
  replicaEpoch: number;
  /** The voter asking. */
  replicaId: number;
  replicaDirectoryId: string;
  voterDirectoryId: string;
  lastOffsetEpoch: number;
  lastOffset: bigint;
  /** KIP-996: "would you vote for me?", answered without any change of state. False before v2. */
  preVote: boolean;
}

export const voteRequestCodec = new MessageCodec<VoteRequest>({
  name: 'VoteRequest',
  apiKey: 52,
  versions: '0-2',
  flexibleVersions: '0+',
  fields: [
    { name: 'clusterId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    { name: 'voterId', type: 'int32', versions: '1+', default: -1 },
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
            { name: 'replicaEpoch', type: 'int32', versions: '0+' },
            { name: 'replicaId', type: 'int32', versions: '0+' },
            { name: 'replicaDirectoryId', type: 'uuid', versions: '1+' },
            { name: 'voterDirectoryId', type: 'uuid', versions: '1+' },
            { name: 'lastOffsetEpoch', type: 'int32', versions: '0+' },
            { name: 'lastOffset', type: 'int64', versions: '0+' },
            { name: 'preVote', type: 'bool', versions: '2+', default: false },
          ],
        },
      ],
    },
  ],
});
