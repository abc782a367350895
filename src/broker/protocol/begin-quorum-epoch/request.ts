import { MessageCodec } from '../schema/message-codec.js';

// BeginQuorumEpoch Request (Version: 0) => cluster_id [topics]
//   cluster_id => NULLABLE_STRING
//   topics => topic_name [partitions]
//     topic_name => STRING
//     partitions => partition_index leader_id leader_epoch
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//
// KIP-595: a newly elected leader tells every voter "I lead epoch N", so they start fetching from it.
// Fields from Kafka's BeginQuorumEpochRequest.json. Note v0 is NOT flexible (`flexibleVersions: none`);
// v1 (KIP-853) is, and adds voter directory ids and endpoints, not implemented here.

export interface BeginQuorumEpochRequest {
  clusterId: string | null;
  topics: BeginQuorumEpochTopic[];
}

export interface BeginQuorumEpochTopic {
  topicName: string;
  partitions: { partitionIndex: number; leaderId: number; leaderEpoch: number }[];
}

export const beginQuorumEpochRequestCodec = new MessageCodec<BeginQuorumEpochRequest>({
  name: 'BeginQuorumEpochRequest',
  apiKey: 53,
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
          ],
        },
      ],
    },
  ],
});
