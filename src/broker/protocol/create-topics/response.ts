import { MessageCodec } from '../schema/message-codec.js';

// CreateTopics Response (Version: 0) => [topics]
//   topics => name error_code
//     name => STRING
//     error_code => INT16
//
// CreateTopics Response (Version: 1) => [topics]
//   topics => name error_code error_message
//     name => STRING
//     error_code => INT16
//     error_message => STRING
//
// CreateTopics Response (Version: 2-4) => throttle_time_ms [topics]
//   throttle_time_ms => INT32
//   topics => name error_code error_message
//     name => STRING
//     error_code => INT16
//     error_message => NULLABLE_STRING
//
// CreateTopics Response (Version: 5-6) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name error_code error_message num_partitions replication_factor [configs] _tagged_fields
//     name => COMPACT_STRING
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     num_partitions => INT32
//     replication_factor => INT16
//     configs => name value read_only config_source is_sensitive _tagged_fields
//       name => COMPACT_STRING
//       value => COMPACT_NULLABLE_STRING
//       read_only => BOOLEAN
//       config_source => INT8
//       is_sensitive => BOOLEAN
//     topic_config_error_code => INT16 (tag 0)
//
// CreateTopics Response (Version: 7) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name topic_id error_code error_message num_partitions replication_factor [configs] _tagged_fields
//     name => COMPACT_STRING
//     topic_id => UUID
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     num_partitions => INT32
//     replication_factor => INT16
//     configs => name value read_only config_source is_sensitive _tagged_fields
//       name => COMPACT_STRING
//       value => COMPACT_NULLABLE_STRING
//       read_only => BOOLEAN
//       config_source => INT8
//       is_sensitive => BOOLEAN
//     topic_config_error_code => INT16 (tag 0)
//
// v1 added error_message, v2 throttle_time_ms; v3-4 are unchanged.

export interface CreateTopicsResponse {
  throttleTimeMs: number;
  topics: CreatableTopicResult[];
}

export interface CreatableTopicResult {
  name: string;
  /** v7+: the new topic's id. */
  topicId?: string;
  errorCode: number;
  errorMessage: string | null;
  /** v5+ (KIP-525): what was created, so a client need not describe it; -1 / null on errors. */
  numPartitions?: number;
  replicationFactor?: number;
  configs?: CreatableTopicConfig[] | null;
}

export interface CreatableTopicConfig {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** Kafka's ConfigSource: 1 TOPIC_CONFIG (set on the topic), 5 DEFAULT_CONFIG. */
  configSource: number;
  isSensitive: boolean;
}

export const createTopicsResponseCodec = new MessageCodec<CreateTopicsResponse>({
  name: 'CreateTopicsResponse',
  apiKey: 19,
  versions: '0-7',
  flexibleVersions: '5+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'topicId', type: 'uuid', versions: '7+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '1+', nullableVersions: '2+', default: null },
        { name: 'numPartitions', type: 'int32', versions: '5+', default: -1 },
        { name: 'replicationFactor', type: 'int16', versions: '5+', default: -1 },
        {
          name: 'configs',
          type: '[]',
          versions: '5+',
          nullableVersions: '5+',
          fields: [
            { name: 'name', type: 'string', versions: '5+' },
            { name: 'value', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
            { name: 'readOnly', type: 'bool', versions: '5+' },
            { name: 'configSource', type: 'int8', versions: '5+', default: -1 },
            { name: 'isSensitive', type: 'bool', versions: '5+' },
          ],
        },
        { name: 'topicConfigErrorCode', type: 'int16', versions: '5+', taggedVersions: '5+', tag: 0 },
      ],
    },
  ],
});
