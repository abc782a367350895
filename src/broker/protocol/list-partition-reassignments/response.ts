import { MessageCodec } from '../schema/message-codec.js';

// ListPartitionReassignments Response (Version: 0) => throttle_time_ms error_code error_message [topics] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index [replicas] [adding_replicas] [removing_replicas] _tagged_fields
//       partition_index => INT32
//       replicas => [INT32]
//       adding_replicas => [INT32]
//       removing_replicas => [INT32]

export interface ListPartitionReassignmentsResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  topics: OngoingTopicReassignment[];
}

export interface OngoingTopicReassignment {
  name: string;
  partitions: OngoingPartitionReassignment[];
}

export interface OngoingPartitionReassignment {
  partitionIndex: number;
  /** The current replica set: the target followed by the replicas being removed. */
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

export const listPartitionReassignmentsResponseCodec = new MessageCodec<ListPartitionReassignmentsResponse>({
  name: 'ListPartitionReassignmentsResponse',
  apiKey: 46,
  versions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
    {
      name: 'topics',
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
            { name: 'replicas', type: '[]int32', versions: '0+' },
            { name: 'addingReplicas', type: '[]int32', versions: '0+' },
            { name: 'removingReplicas', type: '[]int32', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
