import { MessageCodec } from '../schema/message-codec.js';

// ElectLeaders Response (Version: 0) => throttle_time_ms [replica_election_results]
//   throttle_time_ms => INT32
//   replica_election_results => topic [partition_result]
//     topic => STRING
//     partition_result => partition_id error_code error_message
//       partition_id => INT32
//       error_code => INT16
//       error_message => NULLABLE_STRING
//
// ElectLeaders Response (Version: 1) => throttle_time_ms error_code [replica_election_results]
//   throttle_time_ms => INT32
//   error_code => INT16
//   replica_election_results => topic [partition_result]
//     topic => STRING
//     partition_result => partition_id error_code error_message
//       partition_id => INT32
//       error_code => INT16
//       error_message => NULLABLE_STRING
//
// ElectLeaders Response (Version: 2) => throttle_time_ms error_code [replica_election_results] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   replica_election_results => topic [partition_result] _tagged_fields
//     topic => COMPACT_STRING
//     partition_result => partition_id error_code error_message _tagged_fields
//       partition_id => INT32
//       error_code => INT16
//       error_message => COMPACT_NULLABLE_STRING
//
// v1 added the top-level error_code.

export interface ElectLeadersResponse {
  throttleTimeMs: number;
  errorCode: number;
  replicaElectionResults: ReplicaElectionResult[];
}

export interface ReplicaElectionResult {
  topic: string;
  partitionResult: ElectLeadersPartitionResult[];
}

export interface ElectLeadersPartitionResult {
  partitionId: number;
  errorCode: number;
  errorMessage: string | null;
}

export const electLeadersResponseCodec = new MessageCodec<ElectLeadersResponse>({
  name: 'ElectLeadersResponse',
  apiKey: 43,
  versions: '0-2',
  flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '1+', default: 0 },
    {
      name: 'replicaElectionResults',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'topic', type: 'string', versions: '0+' },
        {
          name: 'partitionResult',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'partitionId', type: 'int32', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
            { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
          ],
        },
      ],
    },
  ],
});
