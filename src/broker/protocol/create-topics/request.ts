import { MessageCodec } from '../schema/message-codec.js';

// CreateTopics Request (Version: 0) => [topics] timeout_ms
//   topics => name num_partitions replication_factor [assignments] [configs]
//     name => STRING
//     num_partitions => INT32
//     replication_factor => INT16
//     assignments => partition_index [broker_ids]
//       partition_index => INT32
//       broker_ids => [INT32]
//     configs => name value
//       name => STRING
//       value => STRING
//   timeout_ms => INT32
//
// CreateTopics Request (Version: 1) => [topics] timeout_ms validate_only
//   topics => name num_partitions replication_factor [assignments] [configs]
//     name => STRING
//     num_partitions => INT32
//     replication_factor => INT16
//     assignments => partition_index [broker_ids]
//       partition_index => INT32
//       broker_ids => [INT32]
//     configs => name value
//       name => STRING
//       value => STRING
//   timeout_ms => INT32
//   validate_only => BOOLEAN
//
// CreateTopics Request (Version: 2-4) => [topics] timeout_ms validate_only
//   topics => name num_partitions replication_factor [assignments] [configs]
//     name => STRING
//     num_partitions => INT32
//     replication_factor => INT16
//     assignments => partition_index [broker_ids]
//       partition_index => INT32
//       broker_ids => [INT32]
//     configs => name value
//       name => STRING
//       value => NULLABLE_STRING
//   timeout_ms => INT32
//   validate_only => BOOLEAN
//
// CreateTopics Request (Version: 5-7) => [topics] timeout_ms validate_only _tagged_fields
//   topics => name num_partitions replication_factor [assignments] [configs] _tagged_fields
//     name => COMPACT_STRING
//     num_partitions => INT32
//     replication_factor => INT16
//     assignments => partition_index [broker_ids] _tagged_fields
//       partition_index => INT32
//       broker_ids => [INT32]
//     configs => name value _tagged_fields
//       name => COMPACT_STRING
//       value => COMPACT_NULLABLE_STRING
//   timeout_ms => INT32
//   validate_only => BOOLEAN
//
// v1 added validate_only; v2-4 are unchanged on the wire (v4 lets num_partitions and
// replication_factor be -1 for "broker default", KIP-464).

export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatableTopic {
  name: string;
  /** -1: broker default, or the assignments decide. */
  numPartitions: number;
  /** -1: broker default, or the assignments decide. */
  replicationFactor: number;
  assignments: CreatableReplicaAssignment[];
  configs: CreatableTopicConfig[];
}

export interface CreatableReplicaAssignment {
  partitionIndex: number;
  brokerIds: number[];
}

export interface CreatableTopicConfig {
  name: string;
  value: string | null;
}

export const createTopicsRequestCodec = new MessageCodec<CreateTopicsRequest>({
  name: 'CreateTopicsRequest',
  apiKey: 19,
  versions: '0-7',
  flexibleVersions: '5+',
  fields: [
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'numPartitions', type: 'int32', versions: '0+' },
        { name: 'replicationFactor', type: 'int16', versions: '0+' },
        {
          name: 'assignments',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'brokerIds', type: '[]int32', versions: '0+' },
          ],
        },
        {
          name: 'configs',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+' },
            { name: 'value', type: 'string', versions: '0+', nullableVersions: '2+', default: null },
          ],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
    { name: 'validateOnly', type: 'bool', versions: '1+', default: false },
  ],
});
