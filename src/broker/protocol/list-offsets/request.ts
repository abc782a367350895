import { MessageCodec } from '../schema/message-codec.js';

// ListOffsets Request (Version: 1) => replica_id [topics]
//   replica_id => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index timestamp
//       partition_index => INT32
//       timestamp => INT64
//
// ListOffsets Request (Version: 2-3) => replica_id isolation_level [topics]
//   replica_id => INT32
//   isolation_level => INT8
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index timestamp
//       partition_index => INT32
//       timestamp => INT64
//
// ListOffsets Request (Version: 4-5) => replica_id isolation_level [topics]
//   replica_id => INT32
//   isolation_level => INT8
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index current_leader_epoch timestamp
//       partition_index => INT32
//       current_leader_epoch => INT32
//       timestamp => INT64
//
// ListOffsets Request (Version: 6-9) => replica_id isolation_level [topics] _tagged_fields
//   replica_id => INT32
//   isolation_level => INT8
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index current_leader_epoch timestamp _tagged_fields
//       partition_index => INT32
//       current_leader_epoch => INT32
//       timestamp => INT64
//
// ListOffsets Request (Version: 10-11) => replica_id isolation_level [topics] timeout_ms _tagged_fields
//   replica_id => INT32
//   isolation_level => INT8
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index current_leader_epoch timestamp _tagged_fields
//       partition_index => INT32
//       current_leader_epoch => INT32
//       timestamp => INT64
//   timeout_ms => INT32
//
// kq serves v1+ (v0's max_num_offsets is gone). v2 added isolation_level, v4 current_leader_epoch.
// timestamp -1 asks for the latest offset, -2 for the earliest.

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: ListOffsetsTopic[];
}

export interface ListOffsetsTopic {
  name: string;
  partitions: ListOffsetsPartition[];
}

export interface ListOffsetsPartition {
  partitionIndex: number;
  currentLeaderEpoch: number;
  timestamp: bigint;
}

export const listOffsetsRequestCodec = new MessageCodec<ListOffsetsRequest>({
  name: 'ListOffsetsRequest',
  apiKey: 2,
  versions: '1-11',
  flexibleVersions: '6+',
  fields: [
    { name: 'replicaId', type: 'int32', versions: '1+' },
    { name: 'isolationLevel', type: 'int8', versions: '2+' },
    {
      name: 'topics',
      type: '[]',
      versions: '1+',
      fields: [
        { name: 'name', type: 'string', versions: '1+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '1+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '1+' },
            { name: 'currentLeaderEpoch', type: 'int32', versions: '4+', default: -1 },
            { name: 'timestamp', type: 'int64', versions: '1+' },
          ],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '10+' },
  ],
});
