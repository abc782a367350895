import { MessageCodec } from '../schema/message-codec.js';

// SyncGroup Request (Version: 0-2) => group_id generation_id member_id [assignments]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   assignments => member_id assignment
//     member_id => STRING
//     assignment => BYTES
//
// SyncGroup Request (Version: 3) => group_id generation_id member_id group_instance_id [assignments]
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   group_instance_id => NULLABLE_STRING
//   assignments => member_id assignment
//     member_id => STRING
//     assignment => BYTES
//
// SyncGroup Request (Version: 4) => group_id generation_id member_id group_instance_id [assignments] _tagged_fields
//   group_id => COMPACT_STRING
//   generation_id => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//   assignments => member_id assignment _tagged_fields
//     member_id => COMPACT_STRING
//     assignment => COMPACT_BYTES
//
// SyncGroup Request (Version: 5) => group_id generation_id member_id group_instance_id protocol_type protocol_name [assignments] _tagged_fields
//   group_id => COMPACT_STRING
//   generation_id => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//   protocol_type => COMPACT_NULLABLE_STRING
//   protocol_name => COMPACT_NULLABLE_STRING
//   assignments => member_id assignment _tagged_fields
//     member_id => COMPACT_STRING
//     assignment => COMPACT_BYTES
//
// v3 added group_instance_id. Only the leader sends assignments; followers send an empty array.

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** v5+: the protocol type and name the member joined with, checked against the group's; null before. */
  protocolType?: string | null;
  protocolName?: string | null;
  assignments: SyncGroupRequestAssignment[];
}

export interface SyncGroupRequestAssignment {
  memberId: string;
  assignment: Buffer;
}

export const syncGroupRequestCodec = new MessageCodec<SyncGroupRequest>({
  name: 'SyncGroupRequest',
  apiKey: 14,
  versions: '0-5',
  flexibleVersions: '4+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
    { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
    { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
    {
      name: 'assignments',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'memberId', type: 'string', versions: '0+' },
        { name: 'assignment', type: 'bytes', versions: '0+' },
      ],
    },
  ],
});
