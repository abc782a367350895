import { MessageCodec } from '../schema/message-codec.js';

// LeaveGroup Response (Version: 0) => error_code
//   error_code => INT16
//
// LeaveGroup Response (Version: 1-2) => throttle_time_ms error_code
//   throttle_time_ms => INT32
//   error_code => INT16
//
// LeaveGroup Response (Version: 3) => throttle_time_ms error_code [members]
//   throttle_time_ms => INT32
//   error_code => INT16
//   members => member_id group_instance_id error_code
//     member_id => STRING
//     group_instance_id => NULLABLE_STRING
//     error_code => INT16
//
// LeaveGroup Response (Version: 4-5) => throttle_time_ms error_code [members] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   members => member_id group_instance_id error_code _tagged_fields
//     member_id => COMPACT_STRING
//     group_instance_id => COMPACT_NULLABLE_STRING
//     error_code => INT16
//
// v1 added throttle_time_ms, v3 a per-member result.

export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: LeaveGroupResponseMember[];
}

export interface LeaveGroupResponseMember {
  memberId: string;
  groupInstanceId: string | null;
  errorCode: number;
}

export const leaveGroupResponseCodec = new MessageCodec<LeaveGroupResponse>({
  name: 'LeaveGroupResponse',
  apiKey: 13,
  versions: '0-5',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'members',
      type: '[]',
      versions: '3+',
      fields: [
        { name: 'memberId', type: 'string', versions: '3+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
        { name: 'errorCode', type: 'int16', versions: '3+' },
      ],
    },
  ],
});
