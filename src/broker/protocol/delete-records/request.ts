import { MessageCodec } from '../schema/message-codec.js';

// DeleteRecords Request (Version: 0-1) => [topics] timeout_ms
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index offset
//       partition_index => INT32
//       offset => INT64
//   timeout_ms => INT32
//
// DeleteRecords Request (Version: 2) => [topics] timeout_ms _tagged_fields
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index offset _tagged_fields
//       partition_index => INT32
//       offset => INT64
//   timeout_ms => INT32
//
// v1 is the same as v0. Moves the log start offset forward (offset -1 = the high watermark).

export interface DeleteRecordsRequest {
  topics: DeleteRecordsTopic[];
  timeoutMs: number;
}

export interface DeleteRecordsTopic {
  name: string;
  partitions: DeleteRecordsPartition[];
}

export interface DeleteRecordsPartition {
  partitionIndex: number;
  offset: bigint;
}

export const deleteRecordsRequestCodec = new MessageCodec<DeleteRecordsRequest>({
  name: 'DeleteRecordsRequest',
  apiKey: 21,
  versions: '0-2',
  flexibleVersions: '2+',
  fields: [
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
            { name: 'offset', type: 'int64', versions: '0+' },
          ],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
});
