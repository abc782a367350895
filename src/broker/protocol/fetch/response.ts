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
// Fetch Response (Version: 12) => throttle_time_ms error_code session_id [responses] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   session_id => INT32
//   responses => topic [partitions] _tagged_fields
//     topic => COMPACT_STRING
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       high_watermark => INT64
//       last_stable_offset => INT64
//       log_start_offset => INT64
//       aborted_transactions => producer_id first_offset _tagged_fields
//         producer_id => INT64
//         first_offset => INT64
//       preferred_read_replica => INT32
//       records => COMPACT_RECORDS
//       diverging_epoch (tag 0) => epoch end_offset _tagged_fields
//         epoch => INT32
//         end_offset => INT64
//       current_leader (tag 1) => leader_id leader_epoch _tagged_fields
//         leader_id => INT32
//         leader_epoch => INT32
//       snapshot_id (tag 2) => end_offset epoch _tagged_fields
//         end_offset => INT64
//         epoch => INT32
//
// Fetch Response (Version: 13-15) => throttle_time_ms error_code session_id [responses] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   session_id => INT32
//   responses => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       high_watermark => INT64
//       last_stable_offset => INT64
//       log_start_offset => INT64
//       aborted_transactions => producer_id first_offset _tagged_fields
//         producer_id => INT64
//         first_offset => INT64
//       preferred_read_replica => INT32
//       records => COMPACT_RECORDS
//       diverging_epoch (tag 0) => epoch end_offset _tagged_fields
//         epoch => INT32
//         end_offset => INT64
//       current_leader (tag 1) => leader_id leader_epoch _tagged_fields
//         leader_id => INT32
//         leader_epoch => INT32
//       snapshot_id (tag 2) => end_offset epoch _tagged_fields
//         end_offset => INT64
//         epoch => INT32
//
// Fetch Response (Version: 16-18) => throttle_time_ms error_code session_id [responses] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   session_id => INT32
//   responses => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition_index error_code high_watermark last_stable_offset log_start_offset [aborted_transactions] preferred_read_replica records _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       high_watermark => INT64
//       last_stable_offset => INT64
//       log_start_offset => INT64
//       aborted_transactions => producer_id first_offset _tagged_fields
//         producer_id => INT64
//         first_offset => INT64
//       preferred_read_replica => INT32
//       records => COMPACT_RECORDS
//       diverging_epoch (tag 0) => epoch end_offset _tagged_fields
//         epoch => INT32
//         end_offset => INT64
//       current_leader (tag 1) => leader_id leader_epoch _tagged_fields
//         leader_id => INT32
//         leader_epoch => INT32
//       snapshot_id (tag 2) => end_offset epoch _tagged_fields
//         end_offset => INT64
//         epoch => INT32
//   node_endpoints (tag 0) => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
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
  /** v0-12: the topic's name. */
  topic: string;
  /** v13+: the topic's id. */
  topicId?: string;
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
  /** v12+ tagged: the fetcher's log diverges from the leader's; truncate to `endOffset` (KIP-595, KRaft). */
  divergingEpoch?: { epoch: number; endOffset: bigint };
  /** v12+ tagged: the leader this replica knows, when the fetch was refused because of the epoch. */
  currentLeader?: { leaderId: number; leaderEpoch: number };
}

export interface FetchAbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export const fetchResponseCodec = new MessageCodec<FetchResponse>({
  name: 'FetchResponse',
  apiKey: 1,
  versions: '4-18',
  flexibleVersions: '12+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '4+' },
    { name: 'errorCode', type: 'int16', versions: '7+' },
    { name: 'sessionId', type: 'int32', versions: '7+', default: 0 },
    {
      name: 'responses',
      type: '[]',
      versions: '4+',
      fields: [
        { name: 'topicId', type: 'uuid', versions: '13+' },
        { name: 'topic', type: 'string', versions: '4-12' },
        {
          name: 'partitions',
          type: '[]',
          versions: '4+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '4+' },
            { name: 'errorCode', type: 'int16', versions: '4+' },
            { name: 'highWatermark', type: 'int64', versions: '4+' },
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
            { name: 'records', type: 'records', versions: '4+', nullableVersions: '4+' },
            {
              name: 'divergingEpoch',
              type: '{}',
              versions: '12+',
              taggedVersions: '12+',
              tag: 0,
              fields: [
                { name: 'epoch', type: 'int32', versions: '12+', default: -1 },
                { name: 'endOffset', type: 'int64', versions: '12+', default: -1n },
              ],
            },
            {
              name: 'currentLeader',
              type: '{}',
              versions: '12+',
              taggedVersions: '12+',
              tag: 1,
              fields: [
                { name: 'leaderId', type: 'int32', versions: '12+', default: -1 },
                { name: 'leaderEpoch', type: 'int32', versions: '12+', default: -1 },
              ],
            },
            {
              name: 'snapshotId',
              type: '{}',
              versions: '12+',
              taggedVersions: '12+',
              tag: 2,
              fields: [
                { name: 'endOffset', type: 'int64', versions: '12+', default: -1n },
                { name: 'epoch', type: 'int32', versions: '12+', default: -1 },
              ],
            },
          ],
        },
      ],
    },
    {
      name: 'nodeEndpoints',
      type: '[]',
      versions: '16+',
      taggedVersions: '16+',
      tag: 0,
      fields: [
        { name: 'nodeId', type: 'int32', versions: '16+' },
        { name: 'host', type: 'string', versions: '16+' },
        { name: 'port', type: 'int32', versions: '16+' },
        { name: 'rack', type: 'string', versions: '16+', nullableVersions: '16+', default: null },
      ],
    },
  ],
});
