import { MessageCodec } from '../schema/message-codec.js';

// DescribeCluster Response (Version: 0) => throttle_time_ms error_code error_message cluster_id controller_id [brokers] cluster_authorized_operations _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   cluster_id => COMPACT_STRING
//   controller_id => INT32
//   brokers => broker_id host port rack _tagged_fields
//     broker_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//   cluster_authorized_operations => INT32
//
// DescribeCluster Response (Version: 1) => throttle_time_ms error_code error_message endpoint_type cluster_id controller_id [brokers] cluster_authorized_operations _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   endpoint_type => INT8
//   cluster_id => COMPACT_STRING
//   controller_id => INT32
//   brokers => broker_id host port rack _tagged_fields
//     broker_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//   cluster_authorized_operations => INT32
//
// DescribeCluster Response (Version: 2) => throttle_time_ms error_code error_message endpoint_type cluster_id controller_id [brokers] cluster_authorized_operations _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   endpoint_type => INT8
//   cluster_id => COMPACT_STRING
//   controller_id => INT32
//   brokers => broker_id host port rack is_fenced _tagged_fields
//     broker_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     rack => COMPACT_NULLABLE_STRING
//     is_fenced => BOOLEAN
//   cluster_authorized_operations => INT32
//
// v1 added endpoint_type, v2 is_fenced.

export interface DescribeClusterResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  endpointType: number;
  clusterId: string;
  /** A broker answering names a random alive broker (Kafka ≥ 3.x in KRaft); -1 when none. */
  controllerId: number;
  brokers: DescribeClusterBroker[];
  /** -2147483648 (Integer.MIN_VALUE): not requested. */
  clusterAuthorizedOperations: number;
}

export interface DescribeClusterBroker {
  brokerId: number;
  host: string;
  port: number;
  rack: string | null;
  isFenced: boolean;
}

export const describeClusterResponseCodec = new MessageCodec<DescribeClusterResponse>({
  name: 'DescribeClusterResponse',
  apiKey: 60,
  versions: '0-2',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    { name: 'endpointType', type: 'int8', versions: '1+', default: 1 },
    { name: 'clusterId', type: 'string', versions: '0+' },
    { name: 'controllerId', type: 'int32', versions: '0+', default: -1 },
    {
      name: 'brokers',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'brokerId', type: 'int32', versions: '0+' },
        { name: 'host', type: 'string', versions: '0+' },
        { name: 'port', type: 'int32', versions: '0+' },
        { name: 'rack', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
        { name: 'isFenced', type: 'bool', versions: '2+' },
      ],
    },
    { name: 'clusterAuthorizedOperations', type: 'int32', versions: '0+', default: -2147483648 },
  ],
});
