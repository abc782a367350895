import { MessageCodec } from '../schema/message-codec.js';

// JoinGroup Request (Version: 0) => group_id session_timeout_ms member_id protocol_type [protocols]
//   group_id => STRING
//   session_timeout_ms => INT32
//   member_id => STRING
//   protocol_type => STRING
//   protocols => name metadata
//     name => STRING
//     metadata => BYTES
//
// JoinGroup Request (Version: 1-4) => group_id session_timeout_ms rebalance_timeout_ms member_id protocol_type [protocols]
//   group_id => STRING
//   session_timeout_ms => INT32
//   rebalance_timeout_ms => INT32
//   member_id => STRING
//   protocol_type => STRING
//   protocols => name metadata
//     name => STRING
//     metadata => BYTES
//
// JoinGroup Request (Version: 5) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols]
//   group_id => STRING
//   session_timeout_ms => INT32
//   rebalance_timeout_ms => INT32
//   member_id => STRING
//   group_instance_id => NULLABLE_STRING
//   protocol_type => STRING
//   protocols => name metadata
//     name => STRING
//     metadata => BYTES
//
// JoinGroup Request (Version: 6-7) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] _tagged_fields
//   group_id => COMPACT_STRING
//   session_timeout_ms => INT32
//   rebalance_timeout_ms => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//   protocol_type => COMPACT_STRING
//   protocols => name metadata _tagged_fields
//     name => COMPACT_STRING
//     metadata => COMPACT_BYTES
//
// JoinGroup Request (Version: 8-9) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] reason _tagged_fields
//   group_id => COMPACT_STRING
//   session_timeout_ms => INT32
//   rebalance_timeout_ms => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//   protocol_type => COMPACT_STRING
//   protocols => name metadata _tagged_fields
//     name => COMPACT_STRING
//     metadata => COMPACT_BYTES
//   reason => COMPACT_NULLABLE_STRING
//
// v1 added rebalance_timeout_ms (absent in v0: the session timeout is used instead, so decoding
// v0 yields -1 and the coordinator must fall back); v4 clients expect MEMBER_ID_REQUIRED on a first
// join; v5 added group_instance_id.

export interface JoinGroupRequest {
  /** v8+ (KIP-800): why the member (re)joins, for the broker's log; null before. */
  reason?: string | null;
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: JoinGroupRequestProtocol[];
}

export interface JoinGroupRequestProtocol {
  name: string;
  metadata: Buffer;
}

export const joinGroupRequestCodec = new MessageCodec<JoinGroupRequest>({
  name: 'JoinGroupRequest',
  apiKey: 11,
  versions: '0-9',
  flexibleVersions: '6+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'sessionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'rebalanceTimeoutMs', type: 'int32', versions: '1+', default: -1 },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
    { name: 'protocolType', type: 'string', versions: '0+' },
    {
      name: 'protocols',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'metadata', type: 'bytes', versions: '0+' },
      ],
    },
    { name: 'reason', type: 'string', versions: '8+', nullableVersions: '8+', default: null },
  ],
});
