import { MessageCodec } from '../schema/message-codec.js';

// ListGroups Response (Version: 0) => error_code [groups]
//   error_code => INT16
//   groups => group_id protocol_type
//     group_id => STRING
//     protocol_type => STRING
//
// ListGroups Response (Version: 1-2) => throttle_time_ms error_code [groups]
//   throttle_time_ms => INT32
//   error_code => INT16
//   groups => group_id protocol_type
//     group_id => STRING
//     protocol_type => STRING
//
// ListGroups Response (Version: 3) => throttle_time_ms error_code [groups] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   groups => group_id protocol_type _tagged_fields
//     group_id => COMPACT_STRING
//     protocol_type => COMPACT_STRING
//
// ListGroups Response (Version: 4) => throttle_time_ms error_code [groups] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   groups => group_id protocol_type group_state _tagged_fields
//     group_id => COMPACT_STRING
//     protocol_type => COMPACT_STRING
//     group_state => COMPACT_STRING
//
// ListGroups Response (Version: 5) => throttle_time_ms error_code [groups] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   groups => group_id protocol_type group_state group_type _tagged_fields
//     group_id => COMPACT_STRING
//     protocol_type => COMPACT_STRING
//     group_state => COMPACT_STRING
//     group_type => COMPACT_STRING
//
// v1 added throttle_time_ms.

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: ListedGroup[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  /** v4+ (KIP-518): Empty, Stable, PreparingRebalance, CompletingRebalance. */
  groupState?: string;
  /** v5+ (KIP-848): `classic` for every group kq has. */
  groupType?: string;
}

export const listGroupsResponseCodec = new MessageCodec<ListGroupsResponse>({
  name: 'ListGroupsResponse',
  apiKey: 16,
  versions: '0-5',
  flexibleVersions: '3+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'groups',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'groupId', type: 'string', versions: '0+' },
        { name: 'protocolType', type: 'string', versions: '0+' },
        { name: 'groupState', type: 'string', versions: '4+' },
        { name: 'groupType', type: 'string', versions: '5+' },
      ],
    },
  ],
});
