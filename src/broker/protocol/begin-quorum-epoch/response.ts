import { MessageCodec } from '../schema/message-codec.js';

// BeginQuorumEpoch Response (Version: 0) => error_code [topics]
//   error_code => INT16
//   topics => topic_name [partitions]
//     topic_name => STRING
//     partitions => partition_index error_code leader_id leader_epoch
//       partition_index => INT32
//       error_code => INT16
//       leader_id => INT32
//       leader_epoch => INT32
//
// Fields from Kafka's BeginQuorumEpochResponse.json (v0, not flexible). The same partition answer shape
// serves EndQuorumEpochResponse v0.

export interface QuorumEpochResponse {
  errorCode: number;
  topics: QuorumEpochResponseTopic[];
}

export interface QuorumEpochResponseTopic {
  topicName: string;
  partitions: { partitionIndex: number; errorCode: number; leaderId: number; leaderEpoch: number }[];
}

export const quorumEpochResponseFields = [
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
        ],
      },
    ],
  },
] as const;

export const beginQuorumEpochResponseCodec = new MessageCodec<QuorumEpochResponse>({
  name: 'BeginQuorumEpochResponse',
  apiKey: 53,
  versions: '0',
  flexibleVersions: 'none',
  fields: quorumEpochResponseFields,
});
