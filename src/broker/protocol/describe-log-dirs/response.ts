import { MessageCodec } from '../schema/message-codec.js';

// DescribeLogDirs Response (Version: 1) => throttle_time_ms [results]
//   throttle_time_ms => INT32
//   results => error_code log_dir [topics]
//     error_code => INT16
//     log_dir => STRING
//     topics => name [partitions]
//       name => STRING
//       partitions => partition_index partition_size offset_lag is_future_key
//         partition_index => INT32
//         partition_size => INT64
//         offset_lag => INT64
//         is_future_key => BOOLEAN
//
// DescribeLogDirs Response (Version: 2) => throttle_time_ms [results] _tagged_fields
//   throttle_time_ms => INT32
//   results => error_code log_dir [topics] _tagged_fields
//     error_code => INT16
//     log_dir => COMPACT_STRING
//     topics => name [partitions] _tagged_fields
//       name => COMPACT_STRING
//       partitions => partition_index partition_size offset_lag is_future_key _tagged_fields
//         partition_index => INT32
//         partition_size => INT64
//         offset_lag => INT64
//         is_future_key => BOOLEAN
//
// DescribeLogDirs Response (Version: 3) => throttle_time_ms error_code [results] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   results => error_code log_dir [topics] _tagged_fields
//     error_code => INT16
//     log_dir => COMPACT_STRING
//     topics => name [partitions] _tagged_fields
//       name => COMPACT_STRING
//       partitions => partition_index partition_size offset_lag is_future_key _tagged_fields
//         partition_index => INT32
//         partition_size => INT64
//         offset_lag => INT64
//         is_future_key => BOOLEAN
//
// DescribeLogDirs Response (Version: 4) => throttle_time_ms error_code [results] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   results => error_code log_dir [topics] total_bytes usable_bytes _tagged_fields
//     error_code => INT16
//     log_dir => COMPACT_STRING
//     topics => name [partitions] _tagged_fields
//       name => COMPACT_STRING
//       partitions => partition_index partition_size offset_lag is_future_key _tagged_fields
//         partition_index => INT32
//         partition_size => INT64
//         offset_lag => INT64
//         is_future_key => BOOLEAN
//     total_bytes => INT64
//     usable_bytes => INT64
//
// DescribeLogDirs Response (Version: 5) => throttle_time_ms error_code [results] _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   results => error_code log_dir [topics] total_bytes usable_bytes is_cordoned _tagged_fields
//     error_code => INT16
//     log_dir => COMPACT_STRING
//     topics => name [partitions] _tagged_fields
//       name => COMPACT_STRING
//       partitions => partition_index partition_size offset_lag is_future_key _tagged_fields
//         partition_index => INT32
//         partition_size => INT64
//         offset_lag => INT64
//         is_future_key => BOOLEAN
//     total_bytes => INT64
//     usable_bytes => INT64
//     is_cordoned => BOOLEAN
//
// v3 added the top-level error_code, v4 the volume's total and usable bytes (KIP-827), v5 is_cordoned (KIP-1066).

export interface DescribeLogDirsResponse {
  throttleTimeMs: number;
  /** v3+: a request-level error (CLUSTER_AUTHORIZATION_FAILED); 0 otherwise. */
  errorCode: number;
  results: DescribeLogDirsResult[];
}

export interface DescribeLogDirsResult {
  errorCode: number;
  logDir: string;
  topics: DescribeLogDirsTopic[];
  /** v4+: the size of the volume holding the dir, -1 when unknown. */
  totalBytes: bigint;
  /** v4+: what is still free on that volume for the broker's user, -1 when unknown. */
  usableBytes: bigint;
  /** v5+: whether new partitions are kept off this dir (KIP-1066); kq never cordons a dir. */
  isCordoned: boolean;
}

export interface DescribeLogDirsTopic {
  name: string;
  partitions: DescribeLogDirsPartition[];
}

export interface DescribeLogDirsPartition {
  partitionIndex: number;
  /** Bytes of the partition's segments in this dir. */
  partitionSize: bigint;
  /** The leader's log end offset minus this replica's (0 on the leader); for a future replica, its lag. */
  offsetLag: bigint;
  /** True for a replica being moved to this dir (kq never moves replicas between dirs). */
  isFutureKey: boolean;
}

export const describeLogDirsResponseCodec = new MessageCodec<DescribeLogDirsResponse>({
  name: 'DescribeLogDirsResponse',
  apiKey: 35,
  versions: '1-5',
  flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '3+' },
    {
      name: 'results',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'logDir', type: 'string', versions: '0+' },
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
                { name: 'partitionSize', type: 'int64', versions: '0+' },
                { name: 'offsetLag', type: 'int64', versions: '0+' },
                { name: 'isFutureKey', type: 'bool', versions: '0+' },
              ],
            },
          ],
        },
        { name: 'totalBytes', type: 'int64', versions: '4+', default: -1n },
        { name: 'usableBytes', type: 'int64', versions: '4+', default: -1n },
        { name: 'isCordoned', type: 'bool', versions: '5+' },
      ],
    },
  ],
});
