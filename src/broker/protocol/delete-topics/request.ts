import { MessageCodec } from '../schema/message-codec.js';

// DeleteTopics Request (Version: 0-3) => [topic_names] timeout_ms
//   topic_names => [STRING]
//   timeout_ms => INT32
//
// Unchanged on the wire from v0 to v3 (v6 would add topic ids).

export interface DeleteTopicsRequest {
  topicNames: string[];
  timeoutMs: number;
}

export const deleteTopicsRequestCodec = new MessageCodec<DeleteTopicsRequest>({
  name: 'DeleteTopicsRequest',
  apiKey: 20,
  versions: '0-3',
  flexibleVersions: '4+',
  fields: [
    { name: 'topicNames', type: '[]string', versions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
});
