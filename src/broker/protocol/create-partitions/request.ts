import { MessageCodec } from '../schema/message-codec.js';

// CreatePartitions Request (Version: 0-1) => [topics] timeout_ms validate_only
//   topics => name count [assignments]
//     name => STRING
//     count => INT32
//     assignments => [broker_ids]
//       broker_ids => [INT32]
//   timeout_ms => INT32
//   validate_only => BOOLEAN
//
// CreatePartitions Request (Version: 2-3) => [topics] timeout_ms validate_only _tagged_fields
//   topics => name count [assignments] _tagged_fields
//     name => COMPACT_STRING
//     count => INT32
//     assignments => [broker_ids] _tagged_fields
//       broker_ids => [INT32]
//   timeout_ms => INT32
//   validate_only => BOOLEAN
//
// v1 is the same as v0. `count` is the new total number of partitions; partitions only grow.

export interface CreatePartitionsRequest {
  topics: CreatePartitionsTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatePartitionsTopic {
  name: string;
  count: number;
  /** One entry per new partition, or null to let the broker place them. */
  assignments: CreatePartitionsAssignment[] | null;
}

export interface CreatePartitionsAssignment {
  brokerIds: number[];
}

export const createPartitionsRequestCodec = new MessageCodec<CreatePartitionsRequest>({
  name: 'CreatePartitionsRequest',
  apiKey: 37,
  versions: '0-3',
  flexibleVersions: '2+',
  fields: [
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        { name: 'count', type: 'int32', versions: '0+' },
        {
          name: 'assignments',
          type: '[]',
          versions: '0+',
          nullableVersions: '0+',
          fields: [{ name: 'brokerIds', type: '[]int32', versions: '0+' }],
        },
      ],
    },
    { name: 'timeoutMs', type: 'int32', versions: '0+' },
    { name: 'validateOnly', type: 'bool', versions: '0+' },
  ],
});
