import { MessageCodec } from '../schema/message-codec.js';

// Heartbeat Request (Version: 0-2) => group_id generation_id member_id
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//
// Heartbeat Request (Version: 3) => group_id generation_id member_id group_instance_id
//   group_id => STRING
//   generation_id => INT32
//   member_id => STRING
//   group_instance_id => NULLABLE_STRING
//
// Heartbeat Request (Version: 4) => group_id generation_id member_id group_instance_id _tagged_fields
//   group_id => COMPACT_STRING
//   generation_id => INT32
//   member_id => COMPACT_STRING
//   group_instance_id => COMPACT_NULLABLE_STRING
//
// v3 added group_instance_id.

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export const heartbeatRequestCodec = new MessageCodec<HeartbeatRequest>({
  name: 'HeartbeatRequest',
  apiKey: 12,
  versions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    { name: 'generationId', type: 'int32', versions: '0+' },
    { name: 'memberId', type: 'string', versions: '0+' },
    { name: 'groupInstanceId', type: 'string', versions: '3+', nullableVersions: '3+', default: null },
  ],
});
