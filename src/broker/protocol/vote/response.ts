import { MessageCodec } from '../schema/message-codec.js';

// Vote Response (Version: 0) => error_code [topics] _tagged_fields
//   error_code => INT16
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index error_code leader_id leader_epoch vote_granted _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       leader_id => INT32
//       leader_epoch => INT32
//       vote_granted => BOOLEAN
//
// The voter's answer also says which leader and epoch it knows, so a stale candidate learns both.
// Fields from Kafka's VoteResponse.json (v0, flexible from v0).

export interface VoteResponse {
  errorCode: number;
  topics: VoteResponseTopic[];
}

export interface VoteResponseTopic {
  topicName: string;
  partitions: VoteResponsePartition[];
}

export interface VoteResponsePartition {
  partitionIndex: number;
  errorCode: number;
  leaderId: number;
  leaderEpoch: number;
  voteGranted: boolean;
}

export const voteResponseCodec = new MessageCodec<VoteResponse>({
  name: 'VoteResponse',
  apiKey: 52,
  versions: '0',
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
            { name: 'voteGranted', type: 'bool', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
