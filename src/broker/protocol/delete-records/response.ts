import { MessageCodec } from '../schema/message-codec.js';

// DeleteRecords Response (Version: 0-1) => throttle_time_ms [topics]
//   throttle_time_ms => INT32
//   topics => name [partitions]
//     name => STRING
//     partitions => partition_index low_watermark error_code
//       partition_index => INT32
//       low_watermark => INT64
//       error_code => INT16
//
// DeleteRecords Response (Version: 2) => throttle_time_ms [topics] _tagged_fields
//   throttle_time_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index low_watermark error_code _tagged_fields
//       partition_index => INT32
//       low_watermark => INT64
//       error_code => INT16
//
// v1 is the same as v0.

export interface DeleteRecordsResponse {
  throttleTimeMs: number;
  topics: DeleteRecordsTopicResult[];
}

export interface DeleteRecordsTopicResult {
  name: string;
  partitions: DeleteRecordsPartitionResult[];
}

export interface DeleteRecordsPartitionResult {
  partitionIndex: number;
  lowWatermark: bigint;
  errorCode: number;
}

export const deleteRecordsResponseCodec = new MessageCodec<DeleteRecordsResponse>({
  name: 'DeleteRecordsResponse',
  apiKey: 21,
  versions: '0-2',
  flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
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
            { name: 'lowWatermark', type: 'int64', versions: '0+' },
            { name: 'errorCode', type: 'int16', versions: '0+' },
          ],
        },
      ],
    },
  ],
});
