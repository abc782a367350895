import { MessageCodec } from '../schema/message-codec.js';

// DescribeGroups Response (Version: 0) => [groups]
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     error_code => INT16
//     group_id => STRING
//     group_state => STRING
//     protocol_type => STRING
//     protocol_data => STRING
//     members => member_id client_id client_host member_metadata member_assignment
//       member_id => STRING
//       client_id => STRING
//       client_host => STRING
//       member_metadata => BYTES
//       member_assignment => BYTES
//
// DescribeGroups Response (Version: 1-2) => throttle_time_ms [groups]
//   throttle_time_ms => INT32
//   groups => error_code group_id group_state protocol_type protocol_data [members]
//     error_code => INT16
//     group_id => STRING
//     group_state => STRING
//     protocol_type => STRING
//     protocol_data => STRING
//     members => member_id client_id client_host member_metadata member_assignment
//       member_id => STRING
//       client_id => STRING
//       client_host => STRING
//       member_metadata => BYTES
//       member_assignment => BYTES
//
// DescribeGroups Response (Version: 3) => throttle_time_ms [groups]
//   throttle_time_ms => INT32
//   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
//     error_code => INT16
//     group_id => STRING
//     group_state => STRING
//     protocol_type => STRING
//     protocol_data => STRING
//     members => member_id client_id client_host member_metadata member_assignment
//       member_id => STRING
//       client_id => STRING
//       client_host => STRING
//       member_metadata => BYTES
//       member_assignment => BYTES
//     authorized_operations => INT32
//
// DescribeGroups Response (Version: 4) => throttle_time_ms [groups]
//   throttle_time_ms => INT32
//   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations
//     error_code => INT16
//     group_id => STRING
//     group_state => STRING
//     protocol_type => STRING
//     protocol_data => STRING
//     members => member_id group_instance_id client_id client_host member_metadata member_assignment
//       member_id => STRING
//       group_instance_id => NULLABLE_STRING
//       client_id => STRING
//       client_host => STRING
//       member_metadata => BYTES
//       member_assignment => BYTES
//     authorized_operations => INT32
//
// DescribeGroups Response (Version: 5) => throttle_time_ms [groups] _tagged_fields
//   throttle_time_ms => INT32
//   groups => error_code group_id group_state protocol_type protocol_data [members] authorized_operations _tagged_fields
//     error_code => INT16
//     group_id => COMPACT_STRING
//     group_state => COMPACT_STRING
//     protocol_type => COMPACT_STRING
//     protocol_data => COMPACT_STRING
//     members => member_id group_instance_id client_id client_host member_metadata member_assignment _tagged_fields
//       member_id => COMPACT_STRING
//       group_instance_id => COMPACT_NULLABLE_STRING
//       client_id => COMPACT_STRING
//       client_host => COMPACT_STRING
//       member_metadata => COMPACT_BYTES
//       member_assignment => COMPACT_BYTES
//     authorized_operations => INT32
//
// DescribeGroups Response (Version: 6) => throttle_time_ms [groups] _tagged_fields
//   throttle_time_ms => INT32
//   groups => error_code error_message group_id group_state protocol_type protocol_data [members] authorized_operations _tagged_fields
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     group_id => COMPACT_STRING
//     group_state => COMPACT_STRING
//     protocol_type => COMPACT_STRING
//     protocol_data => COMPACT_STRING
//     members => member_id group_instance_id client_id client_host member_metadata member_assignment _tagged_fields
//       member_id => COMPACT_STRING
//       group_instance_id => COMPACT_NULLABLE_STRING
//       client_id => COMPACT_STRING
//       client_host => COMPACT_STRING
//       member_metadata => COMPACT_BYTES
//       member_assignment => COMPACT_BYTES
//     authorized_operations => INT32
//
// v1 added throttle_time_ms, v3 authorized_operations, v4 group_instance_id per member.

export interface DescribeGroupsResponse {
  throttleTimeMs: number;
  groups: DescribedGroup[];
}

export interface DescribedGroup {
  errorCode: number;
  /** v6+ (KIP-1043): why, with an error code; null otherwise. */
  errorMessage?: string | null;
  groupId: string;
  /** Empty, PreparingRebalance, CompletingRebalance, Stable or Dead. */
  groupState: string;
  protocolType: string;
  /** The chosen assignment protocol, e.g. `range` or `RoundRobinAssigner`. */
  protocolData: string;
  members: DescribedGroupMember[];
  authorizedOperations: number;
}

export interface DescribedGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export const describeGroupsResponseCodec = new MessageCodec<DescribeGroupsResponse>({
  name: 'DescribeGroupsResponse',
  apiKey: 15,
  versions: '0-6',
  flexibleVersions: '5+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'groups',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '6+', nullableVersions: '6+', default: null },
        { name: 'groupId', type: 'string', versions: '0+' },
        { name: 'groupState', type: 'string', versions: '0+' },
        { name: 'protocolType', type: 'string', versions: '0+' },
        { name: 'protocolData', type: 'string', versions: '0+' },
        {
          name: 'members',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'memberId', type: 'string', versions: '0+' },
            { name: 'groupInstanceId', type: 'string', versions: '4+', nullableVersions: '4+', default: null },
            { name: 'clientId', type: 'string', versions: '0+' },
            { name: 'clientHost', type: 'string', versions: '0+' },
            { name: 'memberMetadata', type: 'bytes', versions: '0+' },
            { name: 'memberAssignment', type: 'bytes', versions: '0+' },
          ],
        },
        { name: 'authorizedOperations', type: 'int32', versions: '3+', default: -2147483648 },
      ],
    },
  ],
});
