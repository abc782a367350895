import { MessageCodec } from '../schema/message-codec.js';

// DeleteTopics Request (Version: 0-3) => [topic_names] timeout_ms
//   topic_names => [STRING]
//   timeout_ms => INT32
//
// DeleteTopics Request (Version: 4-5) => [topic_names] timeout_ms _tagged_fields
//   topic_names => [COMPACT_STRING]
//   timeout_ms => INT32
//
// DeleteTopics Request (Version: 6) => [topics] timeout_ms _tagged_fields
//   topics => name topic_id _tagged_fields
//     name => COMPACT_NULLABLE_STRING
//     topic_id => UUID
//   timeout_ms => INT32
//
// Unchanged on the wire from v0 to v3 (v6 would add topic ids).

export interface DeleteTopicsRequest {
  /** v0-5: the topics, by name. */
  topicNames: string[];
  /** v6+: the topics, each by name or by id (name null). */
  topics?: { name: string | null; topicId: string }[];
  timeoutMs: number;
}

export const deleteTopicsRequestCodec = new MessageCodec<DeleteTopicsRequest>({
  name: 'DeleteTopicsRequest',
  apiKey: 20,
  versions: '0-6',
  flexibleVersions: '4+',
  fields: [
    {
      name: 'topics',
      type: '[]',
      versions: '6+',
      fields: [
        { name: 'name', type: 'string', versions: '6+', nullableVersions: '6+', default: null },
        { name: 'topicId', type: 'uuid', versions: '6+' },
      ],
    },
    { name: 'topicNames', type: '[]string', versions: '0-5' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
});
