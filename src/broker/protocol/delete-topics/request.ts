import type { ByteReader } from '../primitives/byte-reader.js';
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
  fields: [
    { name: 'topicNames', type: '[]string', versions: '0+' },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
  ],
});

export function decodeDeleteTopicsRequest(version: number, body: Buffer | ByteReader): DeleteTopicsRequest {
  return deleteTopicsRequestCodec.decode(version, body);
}

export function encodeDeleteTopicsRequest(version: number, request: DeleteTopicsRequest): Buffer {
  return deleteTopicsRequestCodec.encode(version, request);
}
