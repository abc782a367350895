import { MessageCodec } from '../schema/message-codec.js';

// Vote Response (Version: 0-2) => error_code [topics] _tagged_fields
// (node_endpoints from v1)
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
//   node_endpoints (tag 0) => node_id host port _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => UINT16
//
// The voter's answer also says which leader and epoch it knows, so a stale candidate learns both. The layout is
// Kafka 4.4's VoteResponseData schema (flexible from v0; v1 adds the tagged leader endpoints of KIP-853, v2 is
// v1's layout for pre-vote requests). kq's voters know each other's endpoints from controller.quorum.voters,
// so they leave the endpoints out (a tagged field at its default is not written).

export interface VoteResponse {
  errorCode: number;
  topics: VoteResponseTopic[];
  /** v1+, tagged: the endpoints of the leaders named in `topics` (empty: not sent). */
  nodeEndpoints: VoteNodeEndpoint[];
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

export interface VoteNodeEndpoint {
  nodeId: number;
  host: string;
  port: number;
}

export const voteResponseCodec = new MessageCodec<VoteResponse>({
  name: 'VoteResponse',
  apiKey: 52,
  versions: '0-2',
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
    {
      name: 'nodeEndpoints',
      type: '[]',
      versions: '1+',
      taggedVersions: '1+',
      tag: 0,
      fields: [
        { name: 'nodeId', type: 'int32', versions: '1+' },
        { name: 'host', type: 'string', versions: '1+' },
        { name: 'port', type: 'uint16', versions: '1+' },
      ],
    },
  ],
});
