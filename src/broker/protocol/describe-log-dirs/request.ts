import { MessageCodec } from '../schema/message-codec.js';

// DescribeLogDirs Request (Version: 1) => [topics]
//   topics => topic [partitions]
//     topic => STRING
//     partitions => [INT32]
//
// DescribeLogDirs Request (Version: 2-5) => [topics] _tagged_fields
//   topics => topic [partitions] _tagged_fields
//     topic => COMPACT_STRING
//     partitions => [INT32]
//
// topics is nullable: null asks for every partition in every log dir. v0 was removed in Kafka 4.0 (KIP-896);
// v2 is flexible; v3-5 change only the response.

export interface DescribeLogDirsRequest {
  topics: DescribableLogDirTopic[] | null;
}

export interface DescribableLogDirTopic {
  topic: string;
  partitions: number[];
}

export const describeLogDirsRequestCodec = new MessageCodec<DescribeLogDirsRequest>({
  name: 'DescribeLogDirsRequest',
  apiKey: 35,
  versions: '1-5',
  flexibleVersions: '2+',
  fields: [
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      nullableVersions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        { name: 'partitions', type: '[]int32', versions: '0+' },
      ],
    },
  ],
});
