import { MessageCodec } from '../schema/message-codec.js';

// ListGroups Request (Version: 0-2) =>
//
// ListGroups Request (Version: 3) => _tagged_fields
//
// ListGroups Request (Version: 4) => [states_filter] _tagged_fields
//   states_filter => [COMPACT_STRING]
//
// ListGroups Request (Version: 5) => [states_filter] [types_filter] _tagged_fields
//   states_filter => [COMPACT_STRING]
//   types_filter => [COMPACT_STRING]
//
// The body is empty in v0-2 (v4 added a states filter, beyond kq's range).

/** The message has no fields in these versions. */
export interface ListGroupsRequest {
  /** v4+ (KIP-518): only groups in these states (case-insensitive); empty = all. */
  statesFilter?: string[];
  /** v5+ (KIP-848): only groups of these types (`classic`, `consumer`, ...); empty = all. */
  typesFilter?: string[];
}

export const listGroupsRequestCodec = new MessageCodec<ListGroupsRequest>({
  name: 'ListGroupsRequest',
  apiKey: 16,
  versions: '0-5',
  flexibleVersions: '3+',
  fields: [
    { name: 'statesFilter', type: '[]string', versions: '4+' },
    { name: 'typesFilter', type: '[]string', versions: '5+' },
  ],
});
