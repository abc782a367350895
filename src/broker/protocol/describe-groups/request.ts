import { MessageCodec } from '../schema/message-codec.js';

// DescribeGroups Request (Version: 0-2) => [groups]
//   groups => [STRING]
//
// DescribeGroups Request (Version: 3-4) => [groups] include_authorized_operations
//   groups => [STRING]
//   include_authorized_operations => BOOLEAN
//
// DescribeGroups Request (Version: 5-6) => [groups] include_authorized_operations _tagged_fields
//   groups => [COMPACT_STRING]
//   include_authorized_operations => BOOLEAN
//
// v3 added include_authorized_operations.

export interface DescribeGroupsRequest {
  groups: string[];
  includeAuthorizedOperations: boolean;
}

export const describeGroupsRequestCodec = new MessageCodec<DescribeGroupsRequest>({
  name: 'DescribeGroupsRequest',
  apiKey: 15,
  versions: '0-6',
  flexibleVersions: '5+',
  fields: [
    { name: 'groups', type: '[]string', versions: '0+' },
    { name: 'includeAuthorizedOperations', type: 'bool', versions: '3+' },
  ],
});
