import { MessageCodec } from '../schema/message-codec.js';

// Vote Request (Version: 0) => cluster_id [topics] _tagged_fields
//   cluster_id => COMPACT_NULLABLE_STRING
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index candidate_epoch candidate_id last_offset_epoch last_offset _tagged_fields
//       partition_index => INT32
//       candidate_epoch => INT32
//       candidate_id => INT32
//       last_offset_epoch => INT32
//       last_offset => INT64
//
// KIP-595: a candidate asks each voter for its vote in `candidate_epoch`, naming where its log ends so the
// voter can refuse a candidate whose log is behind its own. Fields from Kafka's VoteRequest.json (v0,
// flexible from v0; v1 adds KIP-853 directory ids and v2 KIP-996 pre-vote, not implemented here).

export interface VoteRequest {
  clusterId: string | null;
  topics: VoteTopic[];
}

export interface VoteTopic {
  topicName: string;
  partitions: VotePartition[];
}

export interface VotePartition {
  partitionIndex: number;
  candidateEpoch: number;
  candidateId: number;
  lastOffsetEpoch: number;
  lastOffset: bigint;
}

export const voteRequestCodec = new MessageCodec<VoteRequest>({
  name: 'VoteRequest',
  apiKey: 52,
  versions: '0',
  flexibleVersions: '0+',
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
            { name: 'candidateEpoch', type: 'int32', versions: '0+' },
            { name: 'candidateId', type: 'int32', versions: '0+' },
            { name: 'lastOffsetEpoch', type: 'int32', versions: '0+' },
            { name: 'lastOffset', type: 'int64', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
