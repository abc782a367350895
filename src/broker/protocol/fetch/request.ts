import { MessageCodec } from '../schema/message-codec.js';

// Fetch Request (Version: 4) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
//   replica_id => INT32
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition fetch_offset partition_max_bytes
//       partition => INT32
//       fetch_offset => INT64
//       partition_max_bytes => INT32
//
// Fetch Request (Version: 5-6) => replica_id max_wait_ms min_bytes max_bytes isolation_level [topics]
//   replica_id => INT32
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition fetch_offset log_start_offset partition_max_bytes
//       partition => INT32
//       fetch_offset => INT64
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//
// Fetch Request (Version: 7-8) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
//   replica_id => INT32
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition fetch_offset log_start_offset partition_max_bytes
//       partition => INT32
//       fetch_offset => INT64
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//   forgotten_topics_data => topic [partitions]
//     topic => STRING
//     partitions => [INT32]
//
// Fetch Request (Version: 9-10) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data]
//   replica_id => INT32
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition current_leader_epoch fetch_offset log_start_offset partition_max_bytes
//       partition => INT32
//       current_leader_epoch => INT32
//       fetch_offset => INT64
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//   forgotten_topics_data => topic [partitions]
//     topic => STRING
//     partitions => [INT32]
//
// Fetch Request (Version: 11) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id
//   replica_id => INT32
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic [partitions]
//     topic => STRING
//     partitions => partition current_leader_epoch fetch_offset log_start_offset partition_max_bytes
//       partition => INT32
//       current_leader_epoch => INT32
//       fetch_offset => INT64
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//   forgotten_topics_data => topic [partitions]
//     topic => STRING
//     partitions => [INT32]
//   rack_id => STRING
//
// kq serves v4 (RecordBatch v2, isolation_level) upwards. v5 added log_start_offset, v7 fetch
// sessions (session_id, session_epoch, forgotten topics), v9 current_leader_epoch (KIP-320),
// v10 only signals zstd, v11 rack_id (KIP-392). kq's broker keeps no fetch sessions (session id 0).

export interface FetchRequest {
  /** -1 for a consumer; a broker id for a follower replica. */
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  /** 0 READ_UNCOMMITTED, 1 READ_COMMITTED. */
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: FetchTopic[];
  forgottenTopicsData: FetchForgottenTopic[];
  rackId: string;
}

export interface FetchTopic {
  topic: string;
  partitions: FetchPartition[];
}

export interface FetchPartition {
  partition: number;
  currentLeaderEpoch: number;
  fetchOffset: bigint;
  logStartOffset: bigint;
  partitionMaxBytes: number;
}

export interface FetchForgottenTopic {
  topic: string;
  partitions: number[];
}

export const fetchRequestCodec = new MessageCodec<FetchRequest>({
  name: 'FetchRequest',
  apiKey: 1,
  versions: '4-11',
  flexibleVersions: '12+',
  fields: [
    { name: 'replicaId', type: 'int32', versions: '0+' },
    { name: 'maxWaitMs', type: 'int32', versions: '0+' },
    { name: 'minBytes', type: 'int32', versions: '0+' },
    { name: 'maxBytes', type: 'int32', versions: '3+', default: 0x7fffffff },
    { name: 'isolationLevel', type: 'int8', versions: '4+' },
    { name: 'sessionId', type: 'int32', versions: '7+' },
    { name: 'sessionEpoch', type: 'int32', versions: '7+', default: -1 },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'partition', type: 'int32', versions: '0+' },
            { name: 'currentLeaderEpoch', type: 'int32', versions: '9+', default: -1 },
            { name: 'fetchOffset', type: 'int64', versions: '0+' },
            { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n },
            { name: 'partitionMaxBytes', type: 'int32', versions: '0+' },
          ],
        },
      ],
    },
    {
      name: 'forgottenTopicsData',
      type: '[]',
      versions: '7+',
      fields: [
        { name: 'topic', type: 'string', versions: '7+' },
        { name: 'partitions', type: '[]int32', versions: '7+' },
      ],
    },
    { name: 'rackId', type: 'string', versions: '11+' },
  ],
});
