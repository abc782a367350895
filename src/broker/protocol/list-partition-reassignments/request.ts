import { MessageCodec } from '../schema/message-codec.js';

// ListPartitionReassignments Request (Version: 0) => timeout_ms [topics] _tagged_fields
//   timeout_ms => INT32
//   topics => name [partition_indexes] _tagged_fields
//     name => COMPACT_STRING
//     partition_indexes => [INT32]
//
// topics null: every partition with a reassignment in progress.

export interface ListPartitionReassignmentsRequest {
  timeoutMs: number;
  /** null: list every ongoing reassignment. */
  topics: ListPartitionReassignmentsTopics[] | null;
}

export interface ListPartitionReassignmentsTopics {
  name: string;
  partitionIndexes: number[];
}

export const listPartitionReassignmentsRequestCodec = new MessageCodec<ListPartitionReassignmentsRequest>({
  name: 'ListPartitionReassignmentsRequest',
  apiKey: 46,
  versions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      nullableVersions: '0+',
      default: null,
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'partitionIndexes', type: '[]int32', versions: '0+' },
      ],
    },
  ],
});
