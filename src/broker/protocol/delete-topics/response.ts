import { MessageCodec } from '../schema/message-codec.js';

// DeleteTopics Response (Version: 0) => [responses]
//   responses => name error_code
//     name => STRING
//     error_code => INT16
//
// DeleteTopics Response (Version: 1-3) => throttle_time_ms [responses]
//   throttle_time_ms => INT32
//   responses => name error_code
//     name => STRING
//     error_code => INT16
//
// v1 added throttle_time_ms.

export interface DeleteTopicsResponse {
  throttleTimeMs: number;
  responses: DeletableTopicResult[];
}

export interface DeletableTopicResult {
  name: string;
  errorCode: number;
}

export const deleteTopicsResponseCodec = new MessageCodec<DeleteTopicsResponse>({
  name: 'DeleteTopicsResponse',
  apiKey: 20,
  versions: '0-3',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'responses',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
      ],
    },
  ],
});
