import { MessageCodec } from '../schema/message-codec.js';

// LeaveGroup Request (Version: 0-2) => group_id member_id
//   group_id => STRING
//   member_id => STRING
//
// LeaveGroup Request (Version: 3) => group_id [members]
//   group_id => STRING
//   members => member_id group_instance_id
//     member_id => STRING
//     group_instance_id => NULLABLE_STRING
//
// LeaveGroup Request (Version: 4) => group_id [members] _tagged_fields
//   group_id => COMPACT_STRING
//   members => member_id group_instance_id _tagged_fields
//     member_id => COMPACT_STRING
//     group_instance_id => COMPACT_NULLABLE_STRING
//
// LeaveGroup Request (Version: 5) => group_id [members] _tagged_fields
//   group_id => COMPACT_STRING
//   members => member_id group_instance_id reason _tagged_fields
//     member_id => COMPACT_STRING
//     group_instance_id => COMPACT_NULLABLE_STRING
//     reason => COMPACT_NULLABLE_STRING
//
// v0-2 name one member; v3 (KIP-345) replaces member_id with a batch of members, each optionally
// identified by its group_instance_id.

export interface LeaveGroupRequest {
  groupId: string;
  /** v0-2 only; '' when decoded from v3. */
  memberId: string;
  /** v3 only; [] when decoded from v0-2. */
  members: LeaveGroupRequestMember[];
}

export interface LeaveGroupRequestMember {
  memberId: string;
  groupInstanceId: string | null;
  /** v5+ (KIP-800): why the member leaves, for the broker's log. */
  reason?: string | null;
}

export const leaveGroupRequestCodec = new MessageCodec<LeaveGroupRequest>({
  name: 'LeaveGroupRequest',
  apiKey: 13,
  versions: '0-5',
  flexibleVersions: '4+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    {
      name: 'members',
      type: '[]',
      versions: '3+',
      fields: [
        { name: 'memberId', type: 'string', versions: '3+' },
        { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
        { name: 'reason', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
      ],
    },
    { name: 'memberId', type: 'string', versions: '0-2' },
  ],
});

/** The members leaving, in one shape for every version. */
export function leavingMembers(request: LeaveGroupRequest): LeaveGroupRequestMember[] {
  return request.members.length > 0 ? request.members : [{ memberId: request.memberId, groupInstanceId: null }];
}
