import { MessageCodec } from '../schema/message-codec.js';

// Metadata Response (Version: 0) => [brokers] [topics]
//   brokers => node_id host port
//     node_id => INT32
//     host => STRING
//     port => INT32
//   topics => error_code name [partitions]
//     error_code => INT16
//     name => STRING
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//
// Metadata Response (Version: 1) => [brokers] controller_id [topics]
//   brokers => node_id host port rack
//     node_id => INT32
//     host => STRING
//     port => INT32
//     rack => NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name is_internal [partitions]
//     error_code => INT16
//     name => STRING
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//
// Metadata Response (Version: 2) => [brokers] cluster_id controller_id [topics]
//   brokers => node_id host port rack
//     node_id => INT32
//     host => STRING
//     port => INT32
//     rack => NULLABLE_STRING
//   cluster_id => NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name is_internal [partitions]
//     error_code => INT16
//     name => STRING
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//
// Metadata Response (Version: 3-4) => throttle_time_ms [brokers] cluster_id controller_id [topics]
//   throttle_time_ms => INT32
//   brokers => node_id host port rack
//     node_id => INT32
//     host => STRING
//     port => INT32
//     rack => NULLABLE_STRING
//   cluster_id => NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name is_internal [partitions]
//     error_code => INT16
//     name => STRING
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes]
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//
// Metadata Response (Version: 5-6) => throttle_time_ms [brokers] cluster_id controller_id [topics]
//   throttle_time_ms => INT32
//   brokers => node_id host port rack
//     node_id => INT32
//     host => STRING
//     port => INT32
//     rack => NULLABLE_STRING
//   cluster_id => NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name is_internal [partitions]
//     error_code => INT16
//     name => STRING
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id [replica_nodes] [isr_nodes] [offline_replicas]
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//       offline_replicas => [INT32]
//
// Metadata Response (Version: 7) => throttle_time_ms [brokers] cluster_id controller_id [topics]
//   throttle_time_ms => INT32
//   brokers => node_id host port rack
//     node_id => INT32
//     host => STRING
//     port => INT32
//     rack => NULLABLE_STRING
//   cluster_id => NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name is_internal [partitions]
//     error_code => INT16
//     name => STRING
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas]
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//       offline_replicas => [INT32]
//
// Metadata Response (Version: 8) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations
//   throttle_time_ms => INT32
//   brokers => node_id host port rack
//     node_id => INT32
//     host => STRING
//     port => INT32
//     rack => NULLABLE_STRING
//   cluster_id => NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name is_internal [partitions] topic_authorized_operations
//     error_code => INT16
//     name => STRING
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas]
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//       offline_replicas => [INT32]
//     topic_authorized_operations => INT32
//   cluster_authorized_operations => INT32
//
// Metadata Response (Version: 9) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations _tagged_fields
//   throttle_time_ms => INT32
//   brokers => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//   cluster_id => COMPACT_NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name is_internal [partitions] topic_authorized_operations _tagged_fields
//     error_code => INT16
//     name => COMPACT_STRING
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas] _tagged_fields
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//       offline_replicas => [INT32]
//     topic_authorized_operations => INT32
//   cluster_authorized_operations => INT32
//
// Metadata Response (Version: 10) => throttle_time_ms [brokers] cluster_id controller_id [topics] cluster_authorized_operations _tagged_fields
//   throttle_time_ms => INT32
//   brokers => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//   cluster_id => COMPACT_NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name topic_id is_internal [partitions] topic_authorized_operations _tagged_fields
//     error_code => INT16
//     name => COMPACT_STRING
//     topic_id => UUID
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas] _tagged_fields
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//       offline_replicas => [INT32]
//     topic_authorized_operations => INT32
//   cluster_authorized_operations => INT32
//
// Metadata Response (Version: 11) => throttle_time_ms [brokers] cluster_id controller_id [topics] _tagged_fields
//   throttle_time_ms => INT32
//   brokers => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//   cluster_id => COMPACT_NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name topic_id is_internal [partitions] topic_authorized_operations _tagged_fields
//     error_code => INT16
//     name => COMPACT_STRING
//     topic_id => UUID
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas] _tagged_fields
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//       offline_replicas => [INT32]
//     topic_authorized_operations => INT32
//
// Metadata Response (Version: 12) => throttle_time_ms [brokers] cluster_id controller_id [topics] _tagged_fields
//   throttle_time_ms => INT32
//   brokers => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//   cluster_id => COMPACT_NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name topic_id is_internal [partitions] topic_authorized_operations _tagged_fields
//     error_code => INT16
//     name => COMPACT_NULLABLE_STRING
//     topic_id => UUID
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas] _tagged_fields
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//       offline_replicas => [INT32]
//     topic_authorized_operations => INT32
//
// Metadata Response (Version: 13) => throttle_time_ms [brokers] cluster_id controller_id [topics] error_code _tagged_fields
//   throttle_time_ms => INT32
//   brokers => node_id host port rack _tagged_fields
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//   cluster_id => COMPACT_NULLABLE_STRING
//   controller_id => INT32
//   topics => error_code name topic_id is_internal [partitions] topic_authorized_operations _tagged_fields
//     error_code => INT16
//     name => COMPACT_NULLABLE_STRING
//     topic_id => UUID
//     is_internal => BOOLEAN
//     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas] _tagged_fields
//       error_code => INT16
//       partition_index => INT32
//       leader_id => INT32
//       leader_epoch => INT32
//       replica_nodes => [INT32]
//       isr_nodes => [INT32]
//       offline_replicas => [INT32]
//     topic_authorized_operations => INT32
//   error_code => INT16
//
// v1 added rack, controller_id and is_internal; v2 cluster_id; v3 throttle_time_ms; v5
// offline_replicas; v7 leader_epoch; v8 authorized operations (-2147483648 = not requested).

export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: MetadataResponseBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataResponseTopic[];
  clusterAuthorizedOperations: number;
  /** v13+ (KIP-1102): a request-level error (kq has none to report: 0). */
  errorCode?: number;
}

export interface MetadataResponseBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface MetadataResponseTopic {
  errorCode: number;
  /** Null from v12 when the topic was asked for by an id the broker does not know. */
  name: string | null;
  /** v10+: the topic's id (the zero uuid with errors). */
  topicId?: string;
  isInternal: boolean;
  partitions: MetadataResponsePartition[];
  topicAuthorizedOperations: number;
}

export interface MetadataResponsePartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  leaderEpoch: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}

/** Kafka's "authorized operations not requested" marker (INT32_MIN). */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export const metadataResponseCodec = new MessageCodec<MetadataResponse>({
  name: 'MetadataResponse',
  apiKey: 3,
  versions: '0-13',
  flexibleVersions: '9+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '3+' },
    {
      name: 'brokers',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'nodeId', type: 'int32', versions: '0+' },
        { name: 'host', type: 'string', versions: '0+' },
        { name: 'port', type: 'int32', versions: '0+' },
        { name: 'rack', type: 'string', versions: '1+', nullableVersions: '1+', default: null },
      ],
    },
    { name: 'clusterId', type: 'string', versions: '2+', nullableVersions: '2+', default: null },
    { name: 'controllerId', type: 'int32', versions: '1+', default: -1 },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'name', type: 'string', versions: '0+', nullableVersions: '12+', default: null },
        { name: 'topicId', type: 'uuid', versions: '10+' },
        { name: 'isInternal', type: 'bool', versions: '1+', default: false },
        {
          name: 'partitions',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'leaderId', type: 'int32', versions: '0+' },
            { name: 'leaderEpoch', type: 'int32', versions: '7+', default: -1 },
            { name: 'replicaNodes', type: '[]int32', versions: '0+' },
            { name: 'isrNodes', type: '[]int32', versions: '0+' },
            { name: 'offlineReplicas', type: '[]int32', versions: '5+' },
          ],
        },
        { name: 'topicAuthorizedOperations', type: 'int32', versions: '8+', default: -2147483648 },
      ],
    },
    { name: 'errorCode', type: 'int16', versions: '13+' },
    { name: 'clusterAuthorizedOperations', type: 'int32', versions: '8-10', default: -2147483648 },
  ],
});
