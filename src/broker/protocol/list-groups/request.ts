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
  flexibleVersions: '3+',
  fields: [],
});
