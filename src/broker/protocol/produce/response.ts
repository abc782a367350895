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
// v1 added throttle_time_ms, v2 log_append_time_ms, v5 log_start_offset, v8 the per-record errors
// of KIP-467. acks=0 requests get no response at all, so the broker never encodes one for them.

export interface ProduceResponse {
  responses: ProduceTopicResponse[];
  throttleTimeMs: number;
}

export interface ProduceTopicResponse {
  name: string;
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
  versions: '0-8',
  flexibleVersions: '9+',
  fields: [
    {
      name: 'responses',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
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
          ],
        },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
  ],
});
