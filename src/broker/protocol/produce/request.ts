import { MessageCodec } from '../schema/message-codec.js';

// Produce Request (Version: 0-2) => acks timeout_ms [topics]
//   acks => INT16
//   timeout_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index records
//       partition_index => INT32
//       records => RECORDS
//
// Produce Request (Version: 3-8) => transactional_id acks timeout_ms [topics]
//   transactional_id => NULLABLE_STRING
//   acks => INT16
//   timeout_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index records
//       partition_index => INT32
//       records => RECORDS
//
// Produce Request (Version: 9-12) => transactional_id acks timeout_ms [topics] _tagged_fields
//   transactional_id => COMPACT_NULLABLE_STRING
//   acks => INT16
//   timeout_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index records _tagged_fields
//       partition_index => INT32
//       records => COMPACT_RECORDS
//
// Produce Request (Version: 13) => transactional_id acks timeout_ms [topics] _tagged_fields
//   transactional_id => COMPACT_NULLABLE_STRING
//   acks => INT16
//   timeout_ms => INT32
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index records _tagged_fields
//       partition_index => INT32
//       records => COMPACT_RECORDS
//
// v0-2 are decoded (same body minus transactional_id) only so the broker can refuse them with
// UNSUPPORTED_VERSION like Kafka 4.0 (KAFKA-18659); v3 added transactional_id and RecordBatch v2.
// v4-8 change only which errors a client must handle. `records` stays opaque: the log layer parses it.

export interface ProduceRequest {
  transactionalId: string | null;
  /** 0 = no response at all, 1 = leader only, -1 = all in-sync replicas. */
  acks: number;
  timeoutMs: number;
  topics: ProduceTopicData[];
}

export interface ProduceTopicData {
  /** v0-12: the topic's name ('' from v13). */
  name: string;
  /** v13+ (KIP-516): the topic's id (the zero uuid before v13). */
  topicId?: string;
  partitions: ProducePartitionData[];
}

export interface ProducePartitionData {
  partitionIndex: number;
  /** One RecordBatch (a zero-copy view of the request frame), or null. */
  records: Buffer | null;
}

export const produceRequestCodec = new MessageCodec<ProduceRequest>({
  name: 'ProduceRequest',
  apiKey: 0,
  versions: '0-13',
  flexibleVersions: '9+',
  fields: [
    { name: 'transactionalId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
    { name: 'acks', type: 'int16', versions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0-12' },
        { name: 'topicId', type: 'uuid', versions: '13+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
  ],
});
