import { MessageCodec } from '../schema/message-codec.js';

// AlterPartitionReassignments Response (Version: 0) => throttle_time_ms error_code error_message [responses] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   responses => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index error_code error_message _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       error_message => COMPACT_NULLABLE_STRING
//
// AlterPartitionReassignments Response (Version: 1) => throttle_time_ms allow_replication_factor_change error_code error_message [responses] _tagged_fields
//   throttle_time_ms => INT32
//   allow_replication_factor_change => BOOLEAN
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   responses => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index error_code error_message _tagged_fields
//       partition_index => INT32
//       error_code => INT16
//       error_message => COMPACT_NULLABLE_STRING
//
// v1 echoes the request's allow_replication_factor_change (KIP-860), so a client can tell an old broker ignored it.

export interface AlterPartitionReassignmentsResponse {
  throttleTimeMs: number;
  allowReplicationFactorChange: boolean;
  errorCode: number;
  errorMessage: string | null;
  responses: ReassignableTopicResponse[];
}

export interface ReassignableTopicResponse {
  name: string;
  partitions: ReassignablePartitionResponse[];
}

export interface ReassignablePartitionResponse {
  partitionIndex: number;
  errorCode: number;
  errorMessage: string | null;
}

export const alterPartitionReassignmentsResponseCodec = new MessageCodec<AlterPartitionReassignmentsResponse>({
  name: 'AlterPartitionReassignmentsResponse',
  apiKey: 45,
  versions: '0-1',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'allowReplicationFactorChange', type: 'bool', versions: '1+', default: true },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
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
            { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
          ],
        },
      ],
    },
  ],
});
