import { MessageCodec } from '../schema/message-codec.js';

// OffsetFetch Request (Version: 1-5) => group_id [topics]
//   group_id => STRING
//   topics => name [partition_indexes]
//     name => STRING
//     partition_indexes => [INT32]
//
// OffsetFetch Request (Version: 6) => group_id [topics] _tagged_fields
//   group_id => COMPACT_STRING
//   topics => name [partition_indexes] _tagged_fields
//     name => COMPACT_STRING
//     partition_indexes => [INT32]
//
// OffsetFetch Request (Version: 7) => group_id [topics] require_stable _tagged_fields
//   group_id => COMPACT_STRING
//   topics => name [partition_indexes] _tagged_fields
//     name => COMPACT_STRING
//     partition_indexes => [INT32]
//   require_stable => BOOLEAN
//
// OffsetFetch Request (Version: 8) => [groups] require_stable _tagged_fields
//   groups => group_id [topics] _tagged_fields
//     group_id => COMPACT_STRING
//     topics => name [partition_indexes] _tagged_fields
//       name => COMPACT_STRING
//       partition_indexes => [INT32]
//   require_stable => BOOLEAN
//
// OffsetFetch Request (Version: 9) => [groups] require_stable _tagged_fields
//   groups => group_id member_id member_epoch [topics] _tagged_fields
//     group_id => COMPACT_STRING
//     member_id => COMPACT_NULLABLE_STRING
//     member_epoch => INT32
//     topics => name [partition_indexes] _tagged_fields
//       name => COMPACT_STRING
//       partition_indexes => [INT32]
//   require_stable => BOOLEAN
//
// OffsetFetch Request (Version: 10) => [groups] require_stable _tagged_fields
//   groups => group_id member_id member_epoch [topics] _tagged_fields
//     group_id => COMPACT_STRING
//     member_id => COMPACT_NULLABLE_STRING
//     member_epoch => INT32
//     topics => topic_id [partition_indexes] _tagged_fields
//       topic_id => UUID
//       partition_indexes => [INT32]
//   require_stable => BOOLEAN
//
// kq serves v1+ (v0 read offsets from ZooKeeper). From v2 a null topics array asks for every
// committed offset of the group.

export interface OffsetFetchRequest {
  /** v0-7: the one group asked about. */
  groupId: string;
  topics: OffsetFetchRequestTopic[] | null;
  /** v7+: wait for pending transactional commits (kq has none, so nothing to wait for). */
  requireStable?: boolean;
  /** v8+ (KIP-709): several groups in one request. */
  groups?: OffsetFetchRequestGroup[];
}

export interface OffsetFetchRequestGroup {
  groupId: string;
  /** v9+ (KIP-848): the member asking, for consumer-protocol groups; null / -1 from classic members. */
  memberId: string | null;
  memberEpoch: number;
  topics: OffsetFetchRequestTopic[] | null;
}

export interface OffsetFetchRequestTopic {
  name: string;
  /** v10+: the topic's id (the name is then not on the wire). */
  topicId?: string;
  partitionIndexes: number[];
}

export const offsetFetchRequestCodec = new MessageCodec<OffsetFetchRequest>({
  name: 'OffsetFetchRequest',
  apiKey: 9,
  versions: '1-10',
  flexibleVersions: '6+',
  fields: [
    {
      name: 'groups',
      type: '[]',
      versions: '8+',
      fields: [
        { name: 'groupId', type: 'string', versions: '8+' },
        { name: 'memberId', type: 'string', versions: '9+', nullableVersions: '9+', default: null },
        { name: 'memberEpoch', type: 'int32', versions: '9+', default: -1 },
        {
          name: 'topics',
          type: '[]',
          versions: '8+',
          nullableVersions: '8+',
          fields: [
            { name: 'topicId', type: 'uuid', versions: '10+' },
            { name: 'name', type: 'string', versions: '8-9' },
            { name: 'partitionIndexes', type: '[]int32', versions: '8+' },
          ],
        },
      ],
    },
    { name: 'groupId', type: 'string', versions: '1-7' },
    {
      name: 'topics',
      type: '[]',
      versions: '1-7',
      nullableVersions: '2-7',
      fields: [
        { name: 'name', type: 'string', versions: '1-7' },
        { name: 'partitionIndexes', type: '[]int32', versions: '1-7' },
      ],
    },
    { name: 'requireStable', type: 'bool', versions: '7+', default: false },
  ],
});
