import { MessageCodec } from '../schema/message-codec.js';

// ElectLeaders Request (Version: 0) => [topic_partitions] timeout_ms
//   topic_partitions => topic [partitions]
//     topic => STRING
//     partitions => [INT32]
//   timeout_ms => INT32
//
// ElectLeaders Request (Version: 1) => election_type [topic_partitions] timeout_ms
//   election_type => INT8
//   topic_partitions => topic [partitions]
//     topic => STRING
//     partitions => [INT32]
//   timeout_ms => INT32
//
// ElectLeaders Request (Version: 2) => election_type [topic_partitions] timeout_ms _tagged_fields
//   election_type => INT8
//   topic_partitions => topic [partitions] _tagged_fields
//     topic => COMPACT_STRING
//     partitions => [INT32]
//   timeout_ms => INT32
//
// topic_partitions null: every partition of the cluster. v1 added election_type (KIP-460): 0 PREFERRED, 1 UNCLEAN.

/** Kafka's ElectionType (KIP-460). v0 requests are PREFERRED. */
export const ElectionType = { PREFERRED: 0, UNCLEAN: 1 } as const;

export interface ElectLeadersRequest {
  electionType: number;
  /** null: every partition of every topic. */
  topicPartitions: ElectLeadersTopicPartitions[] | null;
  timeoutMs: number;
}

export interface ElectLeadersTopicPartitions {
  topic: string;
  partitions: number[];
}

export const electLeadersRequestCodec = new MessageCodec<ElectLeadersRequest>({
  name: 'ElectLeadersRequest',
  apiKey: 43,
  versions: '0-2',
  flexibleVersions: '2+',
  fields: [
    { name: 'electionType', type: 'int8', versions: '1+', default: 0 },
    {
      name: 'topicPartitions',
      type: '[]',
      versions: '0+',
      nullableVersions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        { name: 'partitions', type: '[]int32', versions: '0+' },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
  ],
});
