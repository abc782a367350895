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
// Fetch Request (Version: 12) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id _tagged_fields
//   replica_id => INT32
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic [partitions] _tagged_fields
//     topic => COMPACT_STRING
//     partitions => partition current_leader_epoch fetch_offset last_fetched_epoch log_start_offset partition_max_bytes _tagged_fields
//       partition => INT32
//       current_leader_epoch => INT32
//       fetch_offset => INT64
//       last_fetched_epoch => INT32
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//   forgotten_topics_data => topic [partitions] _tagged_fields
//     topic => COMPACT_STRING
//     partitions => [INT32]
//   rack_id => COMPACT_STRING
//   cluster_id => COMPACT_NULLABLE_STRING (tag 0)
//
// Fetch Request (Version: 13-14) => replica_id max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id _tagged_fields
//   replica_id => INT32
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition current_leader_epoch fetch_offset last_fetched_epoch log_start_offset partition_max_bytes _tagged_fields
//       partition => INT32
//       current_leader_epoch => INT32
//       fetch_offset => INT64
//       last_fetched_epoch => INT32
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//   forgotten_topics_data => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => [INT32]
//   rack_id => COMPACT_STRING
//   cluster_id => COMPACT_NULLABLE_STRING (tag 0)
//
// Fetch Request (Version: 15-16) => max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id _tagged_fields
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition current_leader_epoch fetch_offset last_fetched_epoch log_start_offset partition_max_bytes _tagged_fields
//       partition => INT32
//       current_leader_epoch => INT32
//       fetch_offset => INT64
//       last_fetched_epoch => INT32
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//   forgotten_topics_data => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => [INT32]
//   rack_id => COMPACT_STRING
//   cluster_id => COMPACT_NULLABLE_STRING (tag 0)
//   replica_state (tag 1) => replica_id replica_epoch _tagged_fields
//     replica_id => INT32
//     replica_epoch => INT64
//
// Fetch Request (Version: 17) => max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id _tagged_fields
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition current_leader_epoch fetch_offset last_fetched_epoch log_start_offset partition_max_bytes _tagged_fields
//       partition => INT32
//       current_leader_epoch => INT32
//       fetch_offset => INT64
//       last_fetched_epoch => INT32
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//       replica_directory_id => UUID (tag 0)
//   forgotten_topics_data => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => [INT32]
//   rack_id => COMPACT_STRING
//   cluster_id => COMPACT_NULLABLE_STRING (tag 0)
//   replica_state (tag 1) => replica_id replica_epoch _tagged_fields
//     replica_id => INT32
//     replica_epoch => INT64
//
// Fetch Request (Version: 18) => max_wait_ms min_bytes max_bytes isolation_level session_id session_epoch [topics] [forgotten_topics_data] rack_id _tagged_fields
//   max_wait_ms => INT32
//   min_bytes => INT32
//   max_bytes => INT32
//   isolation_level => INT8
//   session_id => INT32
//   session_epoch => INT32
//   topics => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => partition current_leader_epoch fetch_offset last_fetched_epoch log_start_offset partition_max_bytes _tagged_fields
//       partition => INT32
//       current_leader_epoch => INT32
//       fetch_offset => INT64
//       last_fetched_epoch => INT32
//       log_start_offset => INT64
//       partition_max_bytes => INT32
//       replica_directory_id => UUID (tag 0)
//       high_watermark => INT64 (tag 1)
//   forgotten_topics_data => topic_id [partitions] _tagged_fields
//     topic_id => UUID
//     partitions => [INT32]
//   rack_id => COMPACT_STRING
//   cluster_id => COMPACT_NULLABLE_STRING (tag 0)
//   replica_state (tag 1) => replica_id replica_epoch _tagged_fields
//     replica_id => INT32
//     replica_epoch => INT64
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
  /** v12+ tagged: the cluster the client believes it talks to (KIP-853); null when not given. */
  clusterId?: string | null;
  /** v15+ (KIP-903): the fetching replica's id and broker epoch, replacing replica_id. */
  replicaState?: { replicaId: number; replicaEpoch: bigint };
}

export interface FetchTopic {
  /** v0-12: the topic's name ('' from v13). */
  topic: string;
  /** v13+ (KIP-516): the topic's id (the zero uuid before v13). */
  topicId?: string;
  partitions: FetchPartition[];
}

export interface FetchPartition {
  partition: number;
  currentLeaderEpoch: number;
  fetchOffset: bigint;
  /** v12+: the epoch of the last batch the fetcher has, for divergence checks; -1 when unknown. */
  lastFetchedEpoch?: number;
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
  versions: '4-18',
  flexibleVersions: '12+',
  fields: [
    { name: 'replicaId', type: 'int32', versions: '4-14', default: -1 },
    { name: 'maxWaitMs', type: 'int32', versions: '4+' },
    { name: 'minBytes', type: 'int32', versions: '4+' },
    { name: 'maxBytes', type: 'int32', versions: '4+', default: 2147483647 },
    { name: 'isolationLevel', type: 'int8', versions: '4+', default: 0 },
    { name: 'sessionId', type: 'int32', versions: '7+', default: 0 },
    { name: 'sessionEpoch', type: 'int32', versions: '7+', default: -1 },
    {
      name: 'topics',
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
            { name: 'partition', type: 'int32', versions: '4+' },
            { name: 'currentLeaderEpoch', type: 'int32', versions: '9+', default: -1 },
            { name: 'fetchOffset', type: 'int64', versions: '4+' },
            { name: 'lastFetchedEpoch', type: 'int32', versions: '12+', default: -1 },
            { name: 'logStartOffset', type: 'int64', versions: '5+', default: -1n },
            { name: 'partitionMaxBytes', type: 'int32', versions: '4+' },
            { name: 'replicaDirectoryId', type: 'uuid', versions: '17+', taggedVersions: '17+', tag: 0 },
            { name: 'highWatermark', type: 'int64', versions: '18+', taggedVersions: '18+', tag: 1 },
          ],
        },
      ],
    },
    {
      name: 'forgottenTopicsData',
      type: '[]',
      versions: '7+',
      fields: [
        { name: 'topicId', type: 'uuid', versions: '13+' },
        { name: 'topic', type: 'string', versions: '7-12' },
        { name: 'partitions', type: '[]int32', versions: '7+' },
      ],
    },
    { name: 'rackId', type: 'string', versions: '11+', default: '' },
    {
      name: 'clusterId',
      type: 'string',
      versions: '12+',
      nullableVersions: '12+',
      taggedVersions: '12+',
      tag: 0,
      default: null,
    },
    {
      name: 'replicaState',
      type: '{}',
      versions: '15+',
      taggedVersions: '15+',
      tag: 1,
      fields: [
        { name: 'replicaId', type: 'int32', versions: '15+', default: -1 },
        { name: 'replicaEpoch', type: 'int64', versions: '15+', default: -1n },
      ],
    },
  ],
});
