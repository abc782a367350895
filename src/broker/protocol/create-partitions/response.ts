import { MessageCodec } from '../schema/message-codec.js';

// CreatePartitions Response (Version: 0-1) => throttle_time_ms [results]
//   throttle_time_ms => INT32
//   results => name error_code error_message
//     name => STRING
//     error_code => INT16
//     error_message => NULLABLE_STRING
//
// CreatePartitions Response (Version: 2-3) => throttle_time_ms [results] _tagged_fields
//   throttle_time_ms => INT32
//   results => name error_code error_message _tagged_fields
//     name => COMPACT_STRING
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//
// v1 is the same as v0.

export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: CreatePartitionsTopicResult[];
}

export interface CreatePartitionsTopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export const createPartitionsResponseCodec = new MessageCodec<CreatePartitionsResponse>({
  name: 'CreatePartitionsResponse',
  apiKey: 37,
  versions: '0-3',
  flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'results',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
      ],
    },
  ],
});
