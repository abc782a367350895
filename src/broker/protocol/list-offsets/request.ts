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
  versions: '1-5',
  flexibleVersions: '6+',
  fields: [
    { name: 'replicaId', type: 'int32', versions: '0+' },
    { name: 'isolationLevel', type: 'int8', versions: '2+' },
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
            { name: 'currentLeaderEpoch', type: 'int32', versions: '4+', default: -1 },
            { name: 'timestamp', type: 'int64', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
