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
// v3 added group_instance_id. Only the leader sends assignments; followers send an empty array.

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  assignments: SyncGroupRequestAssignment[];
}

export interface SyncGroupRequestAssignment {
  memberId: string;
  assignment: Buffer;
}

export const syncGroupRequestCodec = new MessageCodec<SyncGroupRequest>({
  name: 'SyncGroupRequest',
  apiKey: 14,
  versions: '0-3',
  flexibleVersions: '4+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
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
