import { MessageCodec } from '../schema/message-codec.js';

// Fetch Response (Version: 4) => throttle_time_ms [responses]
//   throttle_time_ms => INT32
//   responses => topic [partitions]
//     topic => STRING
//     partitions => partition_index error_code high_watermark last_stable_offset [aborted_transactions] records
//       partition_index => INT32
//       error_code => INT16
//       high_watermark => INT64
//       last_stable_offset => INT64
//       aborted_transactions => producer_id first_offset
//         producer_id => INT64
//         first_offset => INT64
//       records => RECORDS
//
// Fetch Response (Version: 5-6) => throttle_time_ms [responses]
//   throttle_time_ms => INT32
//   responses => topic [partitions]
//     topic => STRING
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records
//       partition_index => INT32
//       error_code => INT16
//       high_watermark => INT64
//       last_stable_offset => INT64
//       log_start_offset => INT64
//       aborted_transactions => producer_id first_offset
//         producer_id => INT64
//         first_offset => INT64
//       records => RECORDS
//
// Fetch Response (Version: 7-10) => throttle_time_ms error_code session_id [responses]
//   throttle_time_ms => INT32
//   error_code => INT16
//   session_id => INT32
//   responses => topic [partitions]
//     topic => STRING
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] records
//       partition_index => INT32
//       error_code => INT16
//       high_watermark => INT64
//       last_stable_offset => INT64
//       log_start_offset => INT64
//       aborted_transactions => producer_id first_offset
//         producer_id => INT64
//         first_offset => INT64
//       records => RECORDS
//
// Fetch Response (Version: 11) => throttle_time_ms error_code session_id [responses]
//   throttle_time_ms => INT32
//   error_code => INT16
//   session_id => INT32
//   responses => topic [partitions]
//     topic => STRING
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records
//       partition_index => INT32
//       error_code => INT16
//       high_watermark => INT64
//       last_stable_offset => INT64
//       log_start_offset => INT64
//       aborted_transactions => producer_id first_offset
//         producer_id => INT64
//         first_offset => INT64
//       preferred_read_replica => INT32
//       records => RECORDS
//
// `records` holds stored RecordBatches exactly as they were appended (the zero-copy read path):
// ByteWriter references large buffers instead of copying them. v5 added log_start_offset, v7 the
// top-level error_code and session_id, v11 preferred_read_replica.

export interface FetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: FetchTopicResponse[];
}

export interface FetchTopicResponse {
  topic: string;
  partitions: FetchPartitionResponse[];
}

export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: FetchAbortedTransaction[] | null;
  preferredReadReplica: number;
  records: Buffer | null;
}

export interface FetchAbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export const fetchResponseCodec = new MessageCodec<FetchResponse>({
  name: 'FetchResponse',
  apiKey: 1,
  versions: '4-11',
  flexibleVersions: '12+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '7+' },
    { name: 'sessionId', type: 'int32', versions: '7+' },
    {
      name: 'responses',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'highWatermark', type: 'int64', versions: '0+' },
            { name: 'lastStableOffset', type: 'int64', versions: '4+', default: -1n },
            { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n },
            {
              name: 'abortedTransactions',
              type: '[]',
              versions: '4+',
              nullableVersions: '4+',
              fields: [
                { name: 'producerId', type: 'int64', versions: '4+' },
                { name: 'firstOffset', type: 'int64', versions: '4+' },
              ],
            },
            { name: 'preferredReadReplica', type: 'int32', versions: '11+', default: -1 },
            { name: 'records', type: 'records', versions: '0+', nullableVersions: '0+' },
          ],
        },
      ],
    },
  ],
});
