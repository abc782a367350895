import { MessageCodec } from '../schema/message-codec.js';

// OffsetFetch Request (Version: 1-5) => group_id [topics]
//   group_id => STRING
//   topics => name [partition_indexes]
//     name => STRING
//     partition_indexes => [INT32]
//
// kq serves v1+ (v0 read offsets from ZooKeeper). From v2 a null topics array asks for every
// committed offset of the group.

export interface OffsetFetchRequest {
  groupId: string;
  topics: OffsetFetchRequestTopic[] | null;
}

export interface OffsetFetchRequestTopic {
  name: string;
  partitionIndexes: number[];
}

export const offsetFetchRequestCodec = new MessageCodec<OffsetFetchRequest>({
  name: 'OffsetFetchRequest',
  apiKey: 9,
  versions: '1-5',
  flexibleVersions: '6+',
  fields: [
    { name: 'groupId', type: 'string', versions: '0+' },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      nullableVersions: '2+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'partitionIndexes', type: '[]int32', versions: '0+' },
      ],
    },
  ],
});
