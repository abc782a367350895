import { MessageCodec } from '../schema/message-codec.js';

// DescribeCluster Request (Version: 0) => include_cluster_authorized_operations _tagged_fields
//   include_cluster_authorized_operations => BOOLEAN
//
// DescribeCluster Request (Version: 1) => include_cluster_authorized_operations endpoint_type _tagged_fields
//   include_cluster_authorized_operations => BOOLEAN
//   endpoint_type => INT8
//
// DescribeCluster Request (Version: 2) => include_cluster_authorized_operations endpoint_type include_fenced_brokers _tagged_fields
//   include_cluster_authorized_operations => BOOLEAN
//   endpoint_type => INT8
//   include_fenced_brokers => BOOLEAN
//
// Flexible from v0 (KIP-700). v1 added endpoint_type (KIP-919: 1 brokers, 2 controllers), v2
// include_fenced_brokers (KIP-1073).

export interface DescribeClusterRequest {
  includeClusterAuthorizedOperations: boolean;
  /** v1+: 1 = brokers (the default), 2 = controllers. */
  endpointType: number;
  /** v2+: list fenced brokers too, marked `isFenced`. */
  includeFencedBrokers: boolean;
}

/** DescribeCluster's endpoint types (Kafka's EndpointType). */
export const EndpointType = { BROKER: 1, CONTROLLER: 2 } as const;

export const describeClusterRequestCodec = new MessageCodec<DescribeClusterRequest>({
  name: 'DescribeClusterRequest',
  apiKey: 60,
  versions: '0-2',
  flexibleVersions: '0+',
  fields: [
    { name: 'includeClusterAuthorizedOperations', type: 'bool', versions: '0+' },
    { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
    { name: 'includeFencedBrokers', type: 'bool', versions: '2+' },
  ],
});
