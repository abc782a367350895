import { MessageCodec } from '../schema/message-codec.js';

// CreateTopics Response (Version: 0) => [topics]
//   topics => name error_code
//     name => STRING
//     error_code => INT16
//
// CreateTopics Response (Version: 1) => [topics]
//   topics => name error_code error_message
//     name => STRING
//     error_code => INT16
//     error_message => NULLABLE_STRING
//
// CreateTopics Response (Version: 2-4) => throttle_time_ms [topics]
//   throttle_time_ms => INT32
//   topics => name error_code error_message
//     name => STRING
//     error_code => INT16
//     error_message => NULLABLE_STRING
//
// v1 added error_message, v2 throttle_time_ms; v3-4 are unchanged.

export interface CreateTopicsResponse {
  throttleTimeMs: number;
  topics: CreatableTopicResult[];
}

export interface CreatableTopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export const createTopicsResponseCodec = new MessageCodec<CreateTopicsResponse>({
  name: 'CreateTopicsResponse',
  apiKey: 19,
  versions: '0-4',
  flexibleVersions: '5+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '1+', nullableVersions: '0+', default: null },
      ],
    },
  ],
});
