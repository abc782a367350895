import { MessageCodec } from '../schema/message-codec.js';

// AlterPartitionReassignments Request (Version: 0) => timeout_ms [topics] _tagged_fields
//   timeout_ms => INT32
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index [replicas] _tagged_fields
//       partition_index => INT32
//       replicas => [INT32] (nullable)
//
// AlterPartitionReassignments Request (Version: 1) => timeout_ms allow_replication_factor_change [topics] _tagged_fields
//   timeout_ms => INT32
//   allow_replication_factor_change => BOOLEAN
//   topics => name [partitions] _tagged_fields
//     name => COMPACT_STRING
//     partitions => partition_index [replicas] _tagged_fields
//       partition_index => INT32
//       replicas => [INT32] (nullable)
//
// replicas null: cancel the partition's pending reassignment. v1 (KIP-860): allow_replication_factor_change false
// refuses a target with a different number of replicas (INVALID_REPLICATION_FACTOR).

export interface AlterPartitionReassignmentsRequest {
  timeoutMs: number;
  allowReplicationFactorChange: boolean;
  topics: ReassignableTopic[];
}

export interface ReassignableTopic {
  name: string;
  partitions: ReassignablePartition[];
}

export interface ReassignablePartition {
  partitionIndex: number;
  /** The replicas to place the partition on, or null to cancel its pending reassignment. */
  replicas: number[] | null;
}

export const alterPartitionReassignmentsRequestCodec = new MessageCodec<AlterPartitionReassignmentsRequest>({
  name: 'AlterPartitionReassignmentsRequest',
  apiKey: 45,
  versions: '0-1',
  flexibleVersions: '0+',
  fields: [
    { name: 'timeoutMs', type: 'int32', versions: '0+', default: 60000 },
    { name: 'allowReplicationFactorChange', type: 'bool', versions: '1+', default: true },
    {
      name: 'topics',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'name', type: 'string', versions: '0+' },
        {
          name: 'partitions',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'partitionIndex', type: 'int32', versions: '0+' },
            { name: 'replicas', type: '[]int32', versions: '0+', nullableVersions: '0+', default: null },
          ],
        },
      ],
    },
  ],
});
