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
// DeleteTopics Response (Version: 4) => throttle_time_ms [responses] _tagged_fields
//   throttle_time_ms => INT32
//   responses => name error_code _tagged_fields
//     name => COMPACT_STRING
//     error_code => INT16
//
// DeleteTopics Response (Version: 5) => throttle_time_ms [responses] _tagged_fields
//   throttle_time_ms => INT32
//   responses => name error_code error_message _tagged_fields
//     name => COMPACT_STRING
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//
// DeleteTopics Response (Version: 6) => throttle_time_ms [responses] _tagged_fields
//   throttle_time_ms => INT32
//   responses => name topic_id error_code error_message _tagged_fields
//     name => COMPACT_NULLABLE_STRING
//     topic_id => UUID
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//
// v1 added throttle_time_ms.

export interface DeleteTopicsResponse {
  throttleTimeMs: number;
  responses: DeletableTopicResult[];
}

export interface DeletableTopicResult {
  /** Null from v6 when the topic was named by an id the broker does not know. */
  name: string | null;
  /** v6+: the topic's id. */
  topicId?: string;
  errorCode: number;
  /** v5+: why, with an error code. */
  errorMessage?: string | null;
}

export const deleteTopicsResponseCodec = new MessageCodec<DeleteTopicsResponse>({
  name: 'DeleteTopicsResponse',
  apiKey: 20,
  versions: '0-6',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'responses',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+', nullableVersions: '6+', default: null },
        { name: 'topicId', type: 'uuid', versions: '6+' },
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
      ],
    },
  ],
});
