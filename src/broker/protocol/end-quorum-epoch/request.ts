import { MessageCodec } from '../schema/message-codec.js';

// EndQuorumEpoch Request (Version: 0) => cluster_id [topics]
//   cluster_id => NULLABLE_STRING
//   topics => topic_name [partitions]
//     topic_name => STRING
//     partitions => partition_index leader_id leader_epoch [preferred_successors]
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//       preferred_successors => [INT32]
//
// KIP-595: a leader stepping down (graceful shutdown) tells the voters, naming the successors it prefers
// (the furthest-caught-up first) so they run at once instead of waiting out a fetch timeout.
// Fields from Kafka's EndQuorumEpochRequest.json; v0 is not flexible (v1, KIP-853, is).

export interface EndQuorumEpochRequest {
  clusterId: string | null;
  topics: EndQuorumEpochTopic[];
}

export interface EndQuorumEpochTopic {
  topicName: string;
  partitions: { partitionIndex: number; leaderId: number; leaderEpoch: number; preferredSuccessors: number[] }[];
}

export const endQuorumEpochRequestCodec = new MessageCodec<EndQuorumEpochRequest>({
  name: 'EndQuorumEpochRequest',
  apiKey: 54,
  versions: '0',
  flexibleVersions: 'none',
  fields: [
    { name: 'clusterId', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
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
            { name: 'leaderId', type: 'int32', versions: '0+' },
            { name: 'leaderEpoch', type: 'int32', versions: '0+' },
            { name: 'preferredSuccessors', type: '[]int32', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
