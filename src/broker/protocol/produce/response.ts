import { MessageCodec } from '../schema/message-codec.js';

// Produce Response (Version: 0) => [responses]
//   responses => name [partitions]
//     name => STRING
//     partitions => partition_index error_code base_offset
//       partition_index => INT32
//       error_code => INT16
//       base_offset => INT64
//
// Produce Response (Version: 1) => [responses] throttle_time_ms
//   responses => name [partitions]
//     name => STRING
//     partitions => partition_index error_code base_offset
//       partition_index => INT32
//       error_code => INT16
//       base_offset => INT64
//   throttle_time_ms => INT32
//
// Produce Response (Version: 2-4) => [responses] throttle_time_ms
//   responses => name [partitions]
//     name => STRING
//     partitions => partition_index error_code base_offset log_append_time_ms
//       partition_index => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time_ms => INT64
//   throttle_time_ms => INT32
//
// Produce Response (Version: 5-7) => [responses] throttle_time_ms
//   responses => name [partitions]
//     name => STRING
//     partitions => partition_index error_code base_offset log_append_time_ms log_start_offset
//       partition_index => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time_ms => INT64
//       log_start_offset => INT64
//   throttle_time_ms => INT32
//
// Produce Response (Version: 8) => [responses] throttle_time_ms
//   responses => name [partitions]
//     name => STRING
//     partitions => partition_index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message
//       partition_index => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time_ms => INT64
//       log_start_offset => INT64
//       record_errors => batch_index batch_index_error_message
//         batch_index => INT32
//         batch_index_error_message => NULLABLE_STRING
//       error_message => NULLABLE_STRING
//   throttle_time_ms => INT32
//
// Produce Response (Version: 9) => [responses] throttle_time_ms _tagged_fields
//   responses => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time_ms => INT64
//       log_start_offset => INT64
//       record_errors => batch_index batch_index_error_message _tagged_fields
//         batch_index => INT32
//         batch_index_error_message => COMPACT_NULLABLE_STRING
//       error_message => COMPACT_NULLABLE_STRING
//   throttle_time_ms => INT32
//
// Produce Response (Version: 10-12) => [responses] throttle_time_ms _tagged_fields
//   responses => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time_ms => INT64
//       log_start_offset => INT64
//       record_errors => batch_index batch_index_error_message _tagged_fields
//         batch_index => INT32
//         batch_index_error_message => COMPACT_NULLABLE_STRING
//       error_message => COMPACT_NULLABLE_STRING
//       current_leader (tag 0) => leader_id leader_epoch _tagged_fields
//         leader_id => INT32
//         leader_epoch => INT32
//   throttle_time_ms => INT32
//   node_endpoints (tag 0) => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//
// Produce Response (Version: 13) => [responses] throttle_time_ms _tagged_fields
//   responses => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index error_code base_offset log_append_time_ms log_start_offset [record_errors] error_message _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       base_offset => INT64
//       log_append_time_ms => INT64
//       log_start_offset => INT64
//       record_errors => batch_index batch_index_error_message _tagged_fields
//         batch_index => INT32
//         batch_index_error_message => COMPACT_NULLABLE_STRING
//       error_message => COMPACT_NULLABLE_STRING
//       current_leader (tag 0) => leader_id leader_epoch _tagged_fields
//         leader_id => INT32
//         leader_epoch => INT32
//   throttle_time_ms => INT32
//   node_endpoints (tag 0) => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//
// v1 added throttle_time_ms, v2 log_append_time_ms, v5 log_start_offset, v8 the per-record errors
// of KIP-467. acks=0 requests get no response at all, so the broker never encodes one for them.

export interface ProduceResponse {
  responses: ProduceTopicResponse[];
  throttleTimeMs: number;
}

export interface ProduceTopicResponse {
  /** v0-12: the topic's name. */
  name: string;
  /** v13+: the topic's id. */
  topicId?: string;
  partitions: ProducePartitionResponse[];
}

export interface ProducePartitionResponse {
  partitionIndex: number;
  errorCode: number;
  baseOffset: bigint;
  /** -1 unless the topic uses LogAppendTime. */
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  recordErrors: ProduceRecordError[];
  errorMessage: string | null;
}

export interface ProduceRecordError {
  batchIndex: number;
  batchIndexErrorMessage: string | null;
}

export const produceResponseCodec = new MessageCodec<ProduceResponse>({
  name: 'ProduceResponse',
  apiKey: 0,
  versions: '0-13',
  flexibleVersions: '9+',
  fields: [
    {
      name: 'responses',
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
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'baseOffset', type: 'int64', versions: '0+' },
            { name: 'logAppendTimeMs', type: 'int64', versions: '2+', default: -1n },
            { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n },
            {
              name: 'recordErrors',
              type: '[]',
              versions: '8+',
              fields: [
                { name: 'batchIndex', type: 'int32', versions: '8+' },
                {
                  name: 'batchIndexErrorMessage',
                  type: 'string',
                  versions: '8+',
                  nullableVersions: '8+',
                  default: null,
                },
              ],
            },
            { name: 'errorMessage', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
            {
              name: 'currentLeader',
              type: '{}',
              versions: '10+',
              taggedVersions: '10+',
              tag: 0,
              fields: [
                { name: 'leaderId', type: 'int32', versions: '10+', default: -1 },
                { name: 'leaderEpoch', type: 'int32', versions: '10+', default: -1 },
              ],
            },
          ],
        },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+', default: 0 },
    {
      name: 'nodeEndpoints',
      type: '[]',
      versions: '10+',
      taggedVersions: '10+',
      tag: 0,
      fields: [
        { name: 'nodeId', type: 'int32', versions: '10+' },
        { name: 'host', type: 'string', versions: '10+' },
        { name: 'port', type: 'int32', versions: '10+' },
        { name: 'rack', type: 'string', versions: '10+', nullableVersions: '10+', default: null },
      ],
    },
  ],
});
