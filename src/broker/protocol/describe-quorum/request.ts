import { MessageCodec } from '../schema/message-codec.js';

// DescribeQuorum Request (Version: 0-1) => [topics] _tagged_fields
//   topics => topic_name [partitions] _tagged_fields
//     topic_name => COMPACT_STRING
//     partitions => partition_index _tagged_fields
//       partition_index => INT32
//
// KIP-595/KIP-836: what `kafka-metadata-quorum describe --status` asks: who leads `__cluster_metadata`,
// in which epoch, and how far each voter's log reaches. Fields from Kafka's DescribeQuorumRequest.json
// (flexible from v0; v2's KIP-853 node endpoints are not implemented here).

export interface DescribeQuorumRequest {
  topics: { topicName: string; partitions: { partitionIndex: number }[] }[];
}

export const describeQuorumRequestCodec = new MessageCodec<DescribeQuorumRequest>({
  name: 'DescribeQuorumRequest',
  apiKey: 55,
  versions: '0-1',
  flexibleVersions: '0+',
  fields: [
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
          fields: [{ name: 'partitionIndex', type: 'int32', versions: '0+' }],
        },
      ],
    },
  ],
});
