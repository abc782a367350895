import { MessageCodec } from '../schema/message-codec.js';

// JoinGroup Response (Version: 0-1) => error_code generation_id protocol_name leader member_id [members]
//   error_code => INT16
//   generation_id => INT32
//   protocol_name => STRING
//   leader => STRING
//   member_id => STRING
//   members => member_id metadata
//     member_id => STRING
//     metadata => BYTES
//
// JoinGroup Response (Version: 2-4) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
//   throttle_time_ms => INT32
//   error_code => INT16
//   generation_id => INT32
//   protocol_name => STRING
//   leader => STRING
//   member_id => STRING
//   members => member_id metadata
//     member_id => STRING
//     metadata => BYTES
//
// JoinGroup Response (Version: 5) => throttle_time_ms error_code generation_id protocol_name leader member_id [members]
//   throttle_time_ms => INT32
//   error_code => INT16
//   generation_id => INT32
//   protocol_name => STRING
//   leader => STRING
//   member_id => STRING
//   members => member_id group_instance_id metadata
//     member_id => STRING
//     group_instance_id => NULLABLE_STRING
//     metadata => BYTES
//
// JoinGroup Response (Version: 6) => throttle_time_ms error_code generation_id protocol_name leader member_id [members] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   generation_id => INT32
//   protocol_name => COMPACT_STRING
//   leader => COMPACT_STRING
//   member_id => COMPACT_STRING
//   members => member_id group_instance_id metadata _tagged_fields
//     member_id => COMPACT_STRING
//     group_instance_id => COMPACT_NULLABLE_STRING
//     metadata => COMPACT_BYTES
//
// JoinGroup Response (Version: 7-8) => throttle_time_ms error_code generation_id protocol_type protocol_name leader member_id [members] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   generation_id => INT32
//   protocol_type => COMPACT_NULLABLE_STRING
//   protocol_name => COMPACT_NULLABLE_STRING
//   leader => COMPACT_STRING
//   member_id => COMPACT_STRING
//   members => member_id group_instance_id metadata _tagged_fields
//     member_id => COMPACT_STRING
//     group_instance_id => COMPACT_NULLABLE_STRING
//     metadata => COMPACT_BYTES
//
// JoinGroup Response (Version: 9) => throttle_time_ms error_code generation_id protocol_type protocol_name leader skip_assignment member_id [members] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   generation_id => INT32
//   protocol_type => COMPACT_NULLABLE_STRING
//   protocol_name => COMPACT_NULLABLE_STRING
//   leader => COMPACT_STRING
//   skip_assignment => BOOLEAN
//   member_id => COMPACT_STRING
//   members => member_id group_instance_id metadata _tagged_fields
//     member_id => COMPACT_STRING
//     group_instance_id => COMPACT_NULLABLE_STRING
//     metadata => COMPACT_BYTES
//
// v2 added throttle_time_ms, v5 group_instance_id per member. Only the leader gets the members list.

export interface JoinGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  /** v7+: the group's protocol type (`consumer`); null in error responses. */
  protocolType?: string | null;
  /** Nullable from v7 (errors); '' in older versions. */
  protocolName: string | null;
  leader: string;
  /** v9+ (KIP-814): the leader skips computing the assignment; kq never asks it to. */
  skipAssignment?: boolean;
  memberId: string;
  members: JoinGroupResponseMember[];
}

export interface JoinGroupResponseMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export const joinGroupResponseCodec = new MessageCodec<JoinGroupResponse>({
  name: 'JoinGroupResponse',
  apiKey: 11,
  versions: '0-9',
  flexibleVersions: '6+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '2+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+', default: -1 },
    { name: 'protocolType', type: 'string', versions: '7+', nullableVersions: '7+', default: null },
    { name: 'protocolName', type: 'string', versions: '0+', nullableVersions: '7+', default: null },
    { name: 'leader', type: 'string', versions: '0+' },
    { name: 'skipAssignment', type: 'bool', versions: '9+', default: false },
    { name: 'memberId', type: 'string', versions: '0+' },
    {
      name: 'members',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'groupInstanceId', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
        { name: 'metadata', type: 'bytes', versions: '0+' },
      ],
    },
  ],
});
