import type { ByteReader } from '../primitives/byte-reader.js';
import { MessageCodec } from '../schema/message-codec.js';

// ListGroups Request (Version: 0-2) =>
//
// The body is empty in v0-2 (v4 added a states filter, beyond kq's range).

/** The message has no fields in these versions. */
export type ListGroupsRequest = Record<string, never>;

export const listGroupsRequestCodec = new MessageCodec<ListGroupsRequest>({
  name: 'ListGroupsRequest',
  apiKey: 16,
  versions: '0-2',
  fields: [],
});

export function decodeListGroupsRequest(version: number, body: Buffer | ByteReader): ListGroupsRequest {
  return listGroupsRequestCodec.decode(version, body);
}

export function encodeListGroupsRequest(version: number, request: ListGroupsRequest): Buffer {
  return listGroupsRequestCodec.encode(version, request);
}
