import { describe, expect, it } from 'vitest';
import { API_CODECS } from '../../../src/broker/protocol/api-registry.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import type { MessageCodec } from '../../../src/broker/protocol/schema/message-codec.js';
import { i8, bool, i16, i32, i64, uvarint, wire } from '../support/wire-bytes.js';

// Expected bytes written by hand from Kafka's message specs (clients/src/main/resources/common/
// message/*.json), one field per helper call in spec order, so a reader can check each line
// against the JSON. Covers at least one request and one response per API, and every version
// kafkajs does not implement (Produce 8, ListOffsets 4-5, Metadata 7-8, OffsetCommit 6-7,
// OffsetFetch 5, DescribeGroups 3-4, CreateTopics 4, DeleteTopics 2-3).

const str = (s: string | null): Buffer =>
  s === null ? i16(-1) : Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]);
const bytes = (b: Buffer | null): Buffer => (b === null ? i32(-1) : Buffer.concat([i32(b.length), b]));
/** An array header (count) followed by its already-encoded elements. */
const arr = (...items: Buffer[]): Buffer => Buffer.concat([i32(items.length), ...items]);
const nullArr = i32(-1);
/** Flexible versions (KIP-482): compact string and array lengths are uvarint(n + 1), 0 for null. */
const cstr = (s: string | null): Buffer =>
  s === null ? uvarint(0) : Buffer.concat([uvarint(Buffer.byteLength(s) + 1), Buffer.from(s)]);
const carr = (...items: Buffer[]): Buffer => Buffer.concat([uvarint(items.length + 1), ...items]);
/** An empty tagged-field section, which ends every struct of a flexible version. */
const noTags = uvarint(0);

/** ApiVersions' v3+ tagged fields, which a v0-2 decode fills with their defaults. */
const noFeatures = {
  supportedFeatures: [],
  finalizedFeaturesEpoch: -1n,
  finalizedFeatures: [],
  zkMigrationReady: false,
};

const batch = Buffer.from('00000000000000000000003affffffff02', 'hex'); // opaque to the codec

interface SpecCase {
  name: string;
  api: ApiKey;
  version: number;
  kind: 'request' | 'response';
  value: object;
  bytes: Buffer;
}

const cases: SpecCase[] = [
  {
    name: 'Produce v8 request',
    api: ApiKey.Produce,
    version: 8,
    kind: 'request',
    value: {
      transactionalId: 'tx',
      acks: -1,
      timeoutMs: 1500,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, records: batch }] }],
    },
    bytes: wire(str('tx'), i16(-1), i32(1500), arr(wire(str('t'), arr(wire(i32(0), bytes(batch)))))),
  },
  {
    name: 'Produce v2 request (decoded to be refused)',
    api: ApiKey.Produce,
    version: 2,
    kind: 'request',
    value: {
      transactionalId: null,
      acks: 1,
      timeoutMs: 100,
      topics: [{ name: 't', partitions: [{ partitionIndex: 1, records: null }] }],
    },
    bytes: wire(i16(1), i32(100), arr(wire(str('t'), arr(wire(i32(1), bytes(null)))))),
  },
  {
    name: 'Produce v8 response',
    api: ApiKey.Produce,
    version: 8,
    kind: 'response',
    value: {
      responses: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 87,
              baseOffset: -1n,
              logAppendTimeMs: -1n,
              logStartOffset: 0n,
              recordErrors: [{ batchIndex: 2, batchIndexErrorMessage: 'bad' }],
              errorMessage: 'dropped',
            },
          ],
        },
      ],
      throttleTimeMs: 0,
    },
    bytes: wire(
      arr(
        wire(
          str('t'),
          arr(wire(i32(0), i16(87), i64(-1n), i64(-1n), i64(0n), arr(wire(i32(2), str('bad'))), str('dropped'))),
        ),
      ),
      i32(0),
    ),
  },
  {
    name: 'Produce v0 response (the UNSUPPORTED_VERSION answer)',
    api: ApiKey.Produce,
    version: 0,
    kind: 'response',
    value: {
      responses: [
        {
          name: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 35,
              baseOffset: -1n,
              logAppendTimeMs: -1n,
              logStartOffset: -1n,
              recordErrors: [],
              errorMessage: null,
            },
          ],
        },
      ],
      throttleTimeMs: 0,
    },
    bytes: wire(arr(wire(str('t'), arr(wire(i32(0), i16(35), i64(-1n)))))),
  },
  {
    name: 'Fetch v11 request',
    api: ApiKey.Fetch,
    version: 11,
    kind: 'request',
    value: {
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52428800,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [
        {
          topic: 't',
          partitions: [
            { partition: 0, currentLeaderEpoch: 2, fetchOffset: 10n, logStartOffset: -1n, partitionMaxBytes: 1048576 },
          ],
        },
      ],
      forgottenTopicsData: [{ topic: 'old', partitions: [3] }],
      rackId: '',
    },
    bytes: wire(
      i32(-1),
      i32(500),
      i32(1),
      i32(52428800),
      i8(0),
      i32(0),
      i32(-1),
      arr(wire(str('t'), arr(wire(i32(0), i32(2), i64(10n), i64(-1n), i32(1048576))))),
      arr(wire(str('old'), arr(i32(3)))),
      str(''),
    ),
  },
  {
    name: 'Fetch v4 response',
    api: ApiKey.Fetch,
    version: 4,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 5n,
              lastStableOffset: 5n,
              logStartOffset: -1n,
              abortedTransactions: null,
              preferredReadReplica: -1,
              records: batch,
            },
          ],
        },
      ],
    },
    bytes: wire(i32(0), arr(wire(str('t'), arr(wire(i32(0), i16(0), i64(5n), i64(5n), nullArr, bytes(batch)))))),
  },
  {
    name: 'Fetch v11 response',
    api: ApiKey.Fetch,
    version: 11,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 1,
              highWatermark: 5n,
              lastStableOffset: 5n,
              logStartOffset: 0n,
              abortedTransactions: [],
              preferredReadReplica: -1,
              records: null,
            },
          ],
        },
      ],
    },
    bytes: wire(
      i32(0),
      i16(0),
      i32(0),
      arr(wire(str('t'), arr(wire(i32(0), i16(1), i64(5n), i64(5n), i64(0n), arr(), i32(-1), bytes(null))))),
    ),
  },
  {
    name: 'ListOffsets v5 request',
    api: ApiKey.ListOffsets,
    version: 5,
    kind: 'request',
    value: {
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, currentLeaderEpoch: 7, timestamp: -2n }] }],
    },
    bytes: wire(i32(-1), i8(1), arr(wire(str('t'), arr(wire(i32(0), i32(7), i64(-2n)))))),
  },
  {
    name: 'ListOffsets v4 response',
    api: ApiKey.ListOffsets,
    version: 4,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      topics: [
        { name: 't', partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1n, offset: 12n, leaderEpoch: 7 }] },
      ],
    },
    bytes: wire(i32(0), arr(wire(str('t'), arr(wire(i32(0), i16(0), i64(-1n), i64(12n), i32(7)))))),
  },
  {
    name: 'Metadata v8 request',
    api: ApiKey.Metadata,
    version: 8,
    kind: 'request',
    value: {
      topics: null,
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: true,
    },
    bytes: wire(nullArr, bool(true), bool(false), bool(true)),
  },
  {
    name: 'Metadata v0 request (empty array = all topics)',
    api: ApiKey.Metadata,
    version: 0,
    kind: 'request',
    value: {
      topics: [],
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    },
    bytes: arr(),
  },
  {
    name: 'Metadata v7 response',
    api: ApiKey.Metadata,
    version: 7,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 1, host: 'h', port: 9092, rack: null }],
      clusterId: 'c',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 't',
          isInternal: false,
          partitions: [
            {
              errorCode: 0,
              partitionIndex: 0,
              leaderId: 1,
              leaderEpoch: 3,
              replicaNodes: [1],
              isrNodes: [1],
              offlineReplicas: [],
            },
          ],
          topicAuthorizedOperations: -2147483648,
        },
      ],
      clusterAuthorizedOperations: -2147483648,
    },
    bytes: wire(
      i32(0),
      arr(wire(i32(1), str('h'), i32(9092), str(null))),
      str('c'),
      i32(1),
      arr(
        wire(i16(0), str('t'), bool(false), arr(wire(i16(0), i32(0), i32(1), i32(3), arr(i32(1)), arr(i32(1)), arr()))),
      ),
    ),
  },
  {
    name: 'Metadata v8 response',
    api: ApiKey.Metadata,
    version: 8,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      brokers: [],
      clusterId: null,
      controllerId: -1,
      topics: [{ errorCode: 3, name: 'x', isInternal: false, partitions: [], topicAuthorizedOperations: 248 }],
      clusterAuthorizedOperations: -2147483648,
    },
    bytes: wire(
      i32(0),
      arr(),
      str(null),
      i32(-1),
      arr(wire(i16(3), str('x'), bool(false), arr(), i32(248))),
      i32(-2147483648),
    ),
  },
  {
    name: 'OffsetCommit v7 request',
    api: ApiKey.OffsetCommit,
    version: 7,
    kind: 'request',
    value: {
      groupId: 'g',
      generationId: 1,
      memberId: 'm',
      groupInstanceId: 'i',
      retentionTimeMs: -1n,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 0, committedOffset: 9n, committedLeaderEpoch: 2, committedMetadata: '' }],
        },
      ],
    },
    bytes: wire(str('g'), i32(1), str('m'), str('i'), arr(wire(str('t'), arr(wire(i32(0), i64(9n), i32(2), str('')))))),
  },
  {
    name: 'OffsetCommit v6 request',
    api: ApiKey.OffsetCommit,
    version: 6,
    kind: 'request',
    value: {
      groupId: 'g',
      generationId: 1,
      memberId: 'm',
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 0, committedOffset: 9n, committedLeaderEpoch: -1, committedMetadata: null }],
        },
      ],
    },
    bytes: wire(str('g'), i32(1), str('m'), arr(wire(str('t'), arr(wire(i32(0), i64(9n), i32(-1), str(null)))))),
  },
  {
    name: 'OffsetCommit v7 response',
    api: ApiKey.OffsetCommit,
    version: 7,
    kind: 'response',
    value: { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] },
    bytes: wire(i32(0), arr(wire(str('t'), arr(wire(i32(0), i16(0)))))),
  },
  {
    name: 'OffsetFetch v5 request',
    api: ApiKey.OffsetFetch,
    version: 5,
    kind: 'request',
    value: { groupId: 'g', topics: null },
    bytes: wire(str('g'), nullArr),
  },
  {
    name: 'OffsetFetch v5 response',
    api: ApiKey.OffsetFetch,
    version: 5,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
          ],
        },
      ],
      errorCode: 0,
    },
    bytes: wire(i32(0), arr(wire(str('t'), arr(wire(i32(0), i64(-1n), i32(-1), str(''), i16(0))))), i16(0)),
  },
  {
    name: 'FindCoordinator v2 request',
    api: ApiKey.FindCoordinator,
    version: 2,
    kind: 'request',
    value: { key: 'g', keyType: 0 },
    bytes: wire(str('g'), i8(0)),
  },
  {
    name: 'FindCoordinator v0 response',
    api: ApiKey.FindCoordinator,
    version: 0,
    kind: 'response',
    value: { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 1, host: 'h', port: 9092 },
    bytes: wire(i16(0), i32(1), str('h'), i32(9092)),
  },
  {
    name: 'JoinGroup v5 request',
    api: ApiKey.JoinGroup,
    version: 5,
    kind: 'request',
    value: {
      groupId: 'g',
      sessionTimeoutMs: 10000,
      rebalanceTimeoutMs: 30000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from([0, 1]) }],
    },
    bytes: wire(
      str('g'),
      i32(10000),
      i32(30000),
      str(''),
      str(null),
      str('consumer'),
      arr(wire(str('range'), bytes(Buffer.from([0, 1])))),
    ),
  },
  {
    name: 'JoinGroup v5 response',
    api: ApiKey.JoinGroup,
    version: 5,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      errorCode: 79,
      generationId: -1,
      protocolName: '',
      leader: '',
      memberId: 'm-1',
      members: [{ memberId: 'm-1', groupInstanceId: null, metadata: Buffer.alloc(0) }],
    },
    bytes: wire(
      i32(0),
      i16(79),
      i32(-1),
      str(''),
      str(''),
      str('m-1'),
      arr(wire(str('m-1'), str(null), bytes(Buffer.alloc(0)))),
    ),
  },
  {
    name: 'Heartbeat v3 request',
    api: ApiKey.Heartbeat,
    version: 3,
    kind: 'request',
    value: { groupId: 'g', generationId: 2, memberId: 'm', groupInstanceId: 'i' },
    bytes: wire(str('g'), i32(2), str('m'), str('i')),
  },
  {
    name: 'Heartbeat v0 response',
    api: ApiKey.Heartbeat,
    version: 0,
    kind: 'response',
    value: { throttleTimeMs: 0, errorCode: 27 },
    bytes: i16(27),
  },
  {
    name: 'LeaveGroup v3 request',
    api: ApiKey.LeaveGroup,
    version: 3,
    kind: 'request',
    value: { groupId: 'g', memberId: '', members: [{ memberId: 'm', groupInstanceId: null }] },
    bytes: wire(str('g'), arr(wire(str('m'), str(null)))),
  },
  {
    name: 'LeaveGroup v3 response',
    api: ApiKey.LeaveGroup,
    version: 3,
    kind: 'response',
    value: { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 25 }] },
    bytes: wire(i32(0), i16(0), arr(wire(str('m'), str(null), i16(25)))),
  },
  {
    name: 'SyncGroup v3 request',
    api: ApiKey.SyncGroup,
    version: 3,
    kind: 'request',
    value: { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null, assignments: [] },
    bytes: wire(str('g'), i32(1), str('m'), str(null), arr()),
  },
  {
    name: 'SyncGroup v3 response',
    api: ApiKey.SyncGroup,
    version: 3,
    kind: 'response',
    value: { throttleTimeMs: 0, errorCode: 0, assignment: Buffer.from([0, 0]) },
    bytes: wire(i32(0), i16(0), bytes(Buffer.from([0, 0]))),
  },
  {
    name: 'DescribeGroups v4 request',
    api: ApiKey.DescribeGroups,
    version: 4,
    kind: 'request',
    value: { groups: ['g'], includeAuthorizedOperations: true },
    bytes: wire(arr(str('g')), bool(true)),
  },
  {
    name: 'DescribeGroups v4 response',
    api: ApiKey.DescribeGroups,
    version: 4,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 0,
          groupId: 'g',
          groupState: 'Stable',
          protocolType: 'consumer',
          protocolData: 'range',
          members: [
            {
              memberId: 'm',
              groupInstanceId: 'i',
              clientId: 'c',
              clientHost: '/h',
              memberMetadata: Buffer.alloc(0),
              memberAssignment: Buffer.alloc(0),
            },
          ],
          authorizedOperations: 0,
        },
      ],
    },
    bytes: wire(
      i32(0),
      arr(
        wire(
          i16(0),
          str('g'),
          str('Stable'),
          str('consumer'),
          str('range'),
          arr(wire(str('m'), str('i'), str('c'), str('/h'), bytes(Buffer.alloc(0)), bytes(Buffer.alloc(0)))),
          i32(0),
        ),
      ),
    ),
  },
  {
    name: 'DescribeGroups v3 response',
    api: ApiKey.DescribeGroups,
    version: 3,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      groups: [
        {
          errorCode: 69,
          groupId: 'x',
          groupState: 'Dead',
          protocolType: '',
          protocolData: '',
          members: [],
          authorizedOperations: -2147483648,
        },
      ],
    },
    bytes: wire(i32(0), arr(wire(i16(69), str('x'), str('Dead'), str(''), str(''), arr(), i32(-2147483648)))),
  },
  {
    name: 'ListGroups v2 request',
    api: ApiKey.ListGroups,
    version: 2,
    kind: 'request',
    value: {},
    bytes: Buffer.alloc(0),
  },
  {
    name: 'ListGroups v2 response',
    api: ApiKey.ListGroups,
    version: 2,
    kind: 'response',
    value: { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: 'g', protocolType: 'consumer' }] },
    bytes: wire(i32(0), i16(0), arr(wire(str('g'), str('consumer')))),
  },
  {
    name: 'ApiVersions v2 request',
    api: ApiKey.ApiVersions,
    version: 2,
    kind: 'request',
    // v3's software name and version are absent from v2: decoded as their defaults.
    value: { clientSoftwareName: '', clientSoftwareVersion: '' },
    bytes: Buffer.alloc(0),
  },
  {
    name: 'ApiVersions v0 response with UNSUPPORTED_VERSION (KIP-511)',
    api: ApiKey.ApiVersions,
    version: 0,
    kind: 'response',
    value: {
      errorCode: 35,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 2 }],
      throttleTimeMs: 0,
      ...noFeatures,
    },
    bytes: wire(i16(35), arr(wire(i16(18), i16(0), i16(2)))),
  },
  {
    name: 'ApiVersions v2 response',
    api: ApiKey.ApiVersions,
    version: 2,
    kind: 'response',
    value: { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 8 }], throttleTimeMs: 0, ...noFeatures },
    bytes: wire(i16(0), arr(wire(i16(0), i16(0), i16(8))), i32(0)),
  },
  {
    name: 'CreateTopics v4 request',
    api: ApiKey.CreateTopics,
    version: 4,
    kind: 'request',
    value: {
      topics: [
        {
          name: 't',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [],
          configs: [{ name: 'retention.ms', value: null }],
        },
      ],
      timeoutMs: 60000,
      validateOnly: false,
    },
    bytes: wire(
      arr(wire(str('t'), i32(-1), i16(-1), arr(), arr(wire(str('retention.ms'), str(null))))),
      i32(60000),
      bool(false),
    ),
  },
  {
    name: 'CreateTopics v0 request',
    api: ApiKey.CreateTopics,
    version: 0,
    kind: 'request',
    value: {
      topics: [
        {
          name: 't',
          numPartitions: 1,
          replicationFactor: 1,
          assignments: [{ partitionIndex: 0, brokerIds: [1] }],
          configs: [],
        },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    },
    bytes: wire(arr(wire(str('t'), i32(1), i16(1), arr(wire(i32(0), arr(i32(1)))), arr())), i32(1000)),
  },
  {
    name: 'CreateTopics v4 response',
    api: ApiKey.CreateTopics,
    version: 4,
    kind: 'response',
    value: { throttleTimeMs: 0, topics: [{ name: 't', errorCode: 0, errorMessage: null }] },
    bytes: wire(i32(0), arr(wire(str('t'), i16(0), str(null)))),
  },
  {
    name: 'DeleteTopics v3 request',
    api: ApiKey.DeleteTopics,
    version: 3,
    kind: 'request',
    value: { topicNames: ['a', 'b'], timeoutMs: 30000 },
    bytes: wire(arr(str('a'), str('b')), i32(30000)),
  },
  {
    name: 'DeleteTopics v2 response',
    api: ApiKey.DeleteTopics,
    version: 2,
    kind: 'response',
    value: { throttleTimeMs: 0, responses: [{ name: 'a', errorCode: 73 }] },
    bytes: wire(i32(0), arr(wire(str('a'), i16(73)))),
  },
  {
    name: 'DeleteTopics v3 response',
    api: ApiKey.DeleteTopics,
    version: 3,
    kind: 'response',
    value: { throttleTimeMs: 0, responses: [{ name: 'a', errorCode: 0 }] },
    bytes: wire(i32(0), arr(wire(str('a'), i16(0)))),
  },
  {
    name: 'DeleteRecords v1 request',
    api: ApiKey.DeleteRecords,
    version: 1,
    kind: 'request',
    value: { topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: -1n }] }], timeoutMs: 100 },
    bytes: wire(arr(wire(str('t'), arr(wire(i32(0), i64(-1n))))), i32(100)),
  },
  {
    name: 'DeleteRecords v1 response',
    api: ApiKey.DeleteRecords,
    version: 1,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, lowWatermark: 3n, errorCode: 0 }] }],
    },
    bytes: wire(i32(0), arr(wire(str('t'), arr(wire(i32(0), i64(3n), i16(0)))))),
  },
  {
    name: 'OffsetForLeaderEpoch v3 request',
    api: ApiKey.OffsetForLeaderEpoch,
    version: 3,
    kind: 'request',
    value: {
      replicaId: 2,
      topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: 4, leaderEpoch: 3 }] }],
    },
    bytes: wire(i32(2), arr(wire(str('t'), arr(wire(i32(0), i32(4), i32(3)))))),
  },
  {
    name: 'OffsetForLeaderEpoch v0 request (no replica id, no current epoch)',
    api: ApiKey.OffsetForLeaderEpoch,
    version: 0,
    kind: 'request',
    value: {
      replicaId: -2,
      topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 3 }] }],
    },
    bytes: wire(arr(wire(str('t'), arr(wire(i32(0), i32(3)))))),
  },
  {
    // Flexible: compact array/string lengths are uvarint(n + 1); every struct ends with an empty tagged-field count.
    name: 'OffsetForLeaderEpoch v4 request (flexible)',
    api: ApiKey.OffsetForLeaderEpoch,
    version: 4,
    kind: 'request',
    value: {
      replicaId: 2,
      topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: 4, leaderEpoch: 3 }] }],
    },
    bytes: wire(i32(2), i8(2), i8(2), Buffer.from('t'), i8(2), i32(0), i32(4), i32(3), i8(0), i8(0), i8(0)),
  },
  {
    name: 'OffsetForLeaderEpoch v3 response',
    api: ApiKey.OffsetForLeaderEpoch,
    version: 3,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      topics: [{ topic: 't', partitions: [{ errorCode: 0, partition: 0, leaderEpoch: 3, endOffset: 120n }] }],
    },
    bytes: wire(i32(0), arr(wire(str('t'), arr(wire(i16(0), i32(0), i32(3), i64(120n)))))),
  },
  {
    name: 'InitProducerId v1 request (idempotent: null transactional id)',
    api: ApiKey.InitProducerId,
    version: 1,
    kind: 'request',
    value: { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 },
    bytes: wire(str(null), i32(60000)),
  },
  {
    name: 'InitProducerId v0 response',
    api: ApiKey.InitProducerId,
    version: 0,
    kind: 'response',
    value: { throttleTimeMs: 0, errorCode: 0, producerId: 1000n, producerEpoch: 0 },
    bytes: wire(i32(0), i16(0), i64(1000n), i16(0)),
  },
  {
    name: 'CreatePartitions v1 request',
    api: ApiKey.CreatePartitions,
    version: 1,
    kind: 'request',
    value: { topics: [{ name: 't', count: 4, assignments: null }], timeoutMs: 100, validateOnly: true },
    bytes: wire(arr(wire(str('t'), i32(4), nullArr)), i32(100), bool(true)),
  },
  {
    name: 'CreatePartitions v1 response',
    api: ApiKey.CreatePartitions,
    version: 1,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      results: [{ name: 't', errorCode: 37, errorMessage: 'Topic currently has 4 partitions' }],
    },
    bytes: wire(i32(0), arr(wire(str('t'), i16(37), str('Topic currently has 4 partitions')))),
  },
  {
    name: 'DescribeCluster v0 request (flexible from v0)',
    api: ApiKey.DescribeCluster,
    version: 0,
    kind: 'request',
    value: { includeClusterAuthorizedOperations: false },
    bytes: wire(bool(false), noTags),
  },
  {
    name: 'DescribeCluster v2 request',
    api: ApiKey.DescribeCluster,
    version: 2,
    kind: 'request',
    value: { includeClusterAuthorizedOperations: true, endpointType: 1, includeFencedBrokers: true },
    bytes: wire(bool(true), i8(1), bool(true), noTags),
  },
  {
    name: 'DescribeCluster v2 response',
    api: ApiKey.DescribeCluster,
    version: 2,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      endpointType: 1,
      clusterId: 'c1',
      controllerId: 1,
      brokers: [{ brokerId: 1, host: 'h', port: 9092, rack: null, isFenced: false }],
      clusterAuthorizedOperations: -2147483648,
    },
    bytes: wire(
      i32(0),
      i16(0),
      cstr(null),
      i8(1),
      cstr('c1'),
      i32(1),
      carr(wire(i32(1), cstr('h'), i32(9092), cstr(null), bool(false), noTags)),
      i32(-2147483648),
      noTags,
    ),
  },
  {
    name: 'DescribeConfigs v1 request (null keys: all of them)',
    api: ApiKey.DescribeConfigs,
    version: 1,
    kind: 'request',
    value: { resources: [{ resourceType: 2, resourceName: 't', configurationKeys: null }], includeSynonyms: true },
    bytes: wire(arr(wire(i8(2), str('t'), nullArr)), bool(true)),
  },
  {
    name: 'DescribeConfigs v4 request',
    api: ApiKey.DescribeConfigs,
    version: 4,
    kind: 'request',
    value: {
      resources: [{ resourceType: 4, resourceName: '1', configurationKeys: ['num.partitions'] }],
      includeSynonyms: false,
      includeDocumentation: true,
    },
    bytes: wire(carr(wire(i8(4), cstr('1'), carr(cstr('num.partitions')), noTags)), bool(false), bool(true), noTags),
  },
  {
    name: 'DescribeConfigs v2 response',
    api: ApiKey.DescribeConfigs,
    version: 2,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      results: [
        {
          errorCode: 0,
          errorMessage: '',
          resourceType: 2,
          resourceName: 't',
          configs: [
            {
              name: 'retention.ms',
              value: '1000',
              readOnly: false,
              configSource: 1,
              isSensitive: false,
              synonyms: [{ name: 'retention.ms', value: '1000', source: 1 }],
            },
          ],
        },
      ],
    },
    bytes: wire(
      i32(0),
      arr(
        wire(
          i16(0),
          str(''),
          i8(2),
          str('t'),
          arr(
            wire(
              str('retention.ms'),
              str('1000'),
              bool(false),
              i8(1),
              bool(false),
              arr(wire(str('retention.ms'), str('1000'), i8(1))),
            ),
          ),
        ),
      ),
    ),
  },
  {
    name: 'DescribeConfigs v4 response (type and documentation, flexible)',
    api: ApiKey.DescribeConfigs,
    version: 4,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      results: [
        {
          errorCode: 0,
          errorMessage: '',
          resourceType: 2,
          resourceName: 't',
          configs: [
            {
              name: 'flush.messages',
              value: '9223372036854775807',
              readOnly: false,
              configSource: 5,
              isSensitive: false,
              synonyms: [],
              configType: 5,
              documentation: null,
            },
          ],
        },
      ],
    },
    bytes: wire(
      i32(0),
      carr(
        wire(
          i16(0),
          cstr(''),
          i8(2),
          cstr('t'),
          carr(
            wire(
              cstr('flush.messages'),
              cstr('9223372036854775807'),
              bool(false),
              i8(5),
              bool(false),
              carr(),
              i8(5),
              cstr(null),
              noTags,
            ),
          ),
          noTags,
        ),
      ),
      noTags,
    ),
  },
  {
    name: 'AlterConfigs v1 request',
    api: ApiKey.AlterConfigs,
    version: 1,
    kind: 'request',
    value: {
      resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', value: '1000' }] }],
      validateOnly: true,
    },
    bytes: wire(arr(wire(i8(2), str('t'), arr(wire(str('retention.ms'), str('1000'))))), bool(true)),
  },
  {
    name: 'AlterConfigs v2 response (flexible)',
    api: ApiKey.AlterConfigs,
    version: 2,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      responses: [{ errorCode: 40, errorMessage: 'bad', resourceType: 2, resourceName: 't' }],
    },
    bytes: wire(i32(0), carr(wire(i16(40), cstr('bad'), i8(2), cstr('t'), noTags)), noTags),
  },
  {
    name: 'IncrementalAlterConfigs v1 request (flexible)',
    api: ApiKey.IncrementalAlterConfigs,
    version: 1,
    kind: 'request',
    value: {
      resources: [
        {
          resourceType: 2,
          resourceName: 't',
          configs: [
            { name: 'retention.ms', configOperation: 0, value: '1000' },
            { name: 'retention.bytes', configOperation: 1, value: null },
          ],
        },
      ],
      validateOnly: false,
    },
    bytes: wire(
      carr(
        wire(
          i8(2),
          cstr('t'),
          carr(
            wire(cstr('retention.ms'), i8(0), cstr('1000'), noTags),
            wire(cstr('retention.bytes'), i8(1), cstr(null), noTags),
          ),
          noTags,
        ),
      ),
      bool(false),
      noTags,
    ),
  },
  {
    name: 'IncrementalAlterConfigs v0 response',
    api: ApiKey.IncrementalAlterConfigs,
    version: 0,
    kind: 'response',
    value: { throttleTimeMs: 0, responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' }] },
    bytes: wire(i32(0), arr(wire(i16(0), str(null), i8(2), str('t')))),
  },
  {
    name: 'ElectLeaders v0 request (no election type: PREFERRED)',
    api: ApiKey.ElectLeaders,
    version: 0,
    kind: 'request',
    value: { electionType: 0, topicPartitions: [{ topic: 't', partitions: [0, 2] }], timeoutMs: 60000 },
    bytes: wire(arr(wire(str('t'), arr(i32(0), i32(2)))), i32(60000)),
  },
  {
    name: 'ElectLeaders v2 request (flexible, UNCLEAN, null: every partition)',
    api: ApiKey.ElectLeaders,
    version: 2,
    kind: 'request',
    value: { electionType: 1, topicPartitions: null, timeoutMs: 30000 },
    bytes: wire(i8(1), uvarint(0), i32(30000), noTags),
  },
  {
    name: 'ElectLeaders v0 response (no top-level error code)',
    api: ApiKey.ElectLeaders,
    version: 0,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: [
        { topic: 't', partitionResult: [{ partitionId: 0, errorCode: 84, errorMessage: null }] },
      ],
    },
    bytes: wire(i32(0), arr(wire(str('t'), arr(wire(i32(0), i16(84), str(null)))))),
  },
  {
    name: 'ElectLeaders v2 response',
    api: ApiKey.ElectLeaders,
    version: 2,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: [{ topic: 't', partitionResult: [{ partitionId: 1, errorCode: 0, errorMessage: null }] }],
    },
    bytes: wire(i32(0), i16(0), carr(wire(cstr('t'), carr(wire(i32(1), i16(0), cstr(null), noTags)), noTags)), noTags),
  },
  {
    name: 'AlterPartitionReassignments v0 request (null replicas: cancel)',
    api: ApiKey.AlterPartitionReassignments,
    version: 0,
    kind: 'request',
    value: {
      timeoutMs: 60000,
      allowReplicationFactorChange: true,
      topics: [
        {
          name: 't',
          partitions: [
            { partitionIndex: 0, replicas: [2, 3] },
            { partitionIndex: 1, replicas: null },
          ],
        },
      ],
    },
    bytes: wire(
      i32(60000),
      carr(wire(cstr('t'), carr(wire(i32(0), carr(i32(2), i32(3)), noTags), wire(i32(1), uvarint(0), noTags)), noTags)),
      noTags,
    ),
  },
  {
    name: 'AlterPartitionReassignments v1 request (KIP-860 allow_replication_factor_change)',
    api: ApiKey.AlterPartitionReassignments,
    version: 1,
    kind: 'request',
    value: { timeoutMs: 30000, allowReplicationFactorChange: false, topics: [] },
    bytes: wire(i32(30000), i8(0), carr(), noTags),
  },
  {
    name: 'AlterPartitionReassignments v1 response (echoes allow_replication_factor_change)',
    api: ApiKey.AlterPartitionReassignments,
    version: 1,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      allowReplicationFactorChange: false,
      errorCode: 0,
      errorMessage: null,
      responses: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 85, errorMessage: 'x' }] }],
    },
    bytes: wire(
      i32(0),
      i8(0),
      i16(0),
      cstr(null),
      carr(wire(cstr('t'), carr(wire(i32(0), i16(85), cstr('x'), noTags)), noTags)),
      noTags,
    ),
  },
  {
    name: 'ListPartitionReassignments v0 request (null: every reassignment)',
    api: ApiKey.ListPartitionReassignments,
    version: 0,
    kind: 'request',
    value: { timeoutMs: 60000, topics: null },
    bytes: wire(i32(60000), uvarint(0), noTags),
  },
  {
    name: 'ListPartitionReassignments v0 response',
    api: ApiKey.ListPartitionReassignments,
    version: 0,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 0, replicas: [2, 3, 1], addingReplicas: [3], removingReplicas: [1] }],
        },
      ],
    },
    bytes: wire(
      i32(0),
      i16(0),
      cstr(null),
      carr(
        wire(cstr('t'), carr(wire(i32(0), carr(i32(2), i32(3), i32(1)), carr(i32(3)), carr(i32(1)), noTags)), noTags),
      ),
      noTags,
    ),
  },
  {
    name: 'DescribeLogDirs v1 request (null: every partition)',
    api: ApiKey.DescribeLogDirs,
    version: 1,
    kind: 'request',
    value: { topics: null },
    bytes: wire(nullArr),
  },
  {
    name: 'DescribeLogDirs v2 request (flexible)',
    api: ApiKey.DescribeLogDirs,
    version: 2,
    kind: 'request',
    value: { topics: [{ topic: 't', partitions: [0, 1] }] },
    bytes: wire(carr(wire(cstr('t'), uvarint(3), i32(0), i32(1), noTags)), noTags),
  },
  {
    name: 'DescribeLogDirs v5 response (volume bytes, is_cordoned)',
    api: ApiKey.DescribeLogDirs,
    version: 5,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      errorCode: 0,
      results: [
        {
          errorCode: 0,
          logDir: '/d',
          topics: [
            { name: 't', partitions: [{ partitionIndex: 0, partitionSize: 120n, offsetLag: 0n, isFutureKey: false }] },
          ],
          totalBytes: 1000n,
          usableBytes: 500n,
          isCordoned: false,
        },
      ],
    },
    bytes: wire(
      i32(0),
      i16(0),
      carr(
        wire(
          i16(0),
          cstr('/d'),
          carr(wire(cstr('t'), carr(wire(i32(0), i64(120n), i64(0n), bool(false), noTags)), noTags)),
          i64(1000n),
          i64(500n),
          bool(false),
          noTags,
        ),
      ),
      noTags,
    ),
  },
  {
    name: 'DescribeLogDirs v1 response',
    api: ApiKey.DescribeLogDirs,
    version: 1,
    kind: 'response',
    value: {
      throttleTimeMs: 0,
      results: [
        {
          errorCode: 0,
          logDir: '/d',
          topics: [
            { name: 't', partitions: [{ partitionIndex: 0, partitionSize: 120n, offsetLag: 0n, isFutureKey: false }] },
          ],
        },
      ],
    },
    bytes: wire(
      i32(0),
      arr(wire(i16(0), str('/d'), arr(wire(str('t'), arr(wire(i32(0), i64(120n), i64(0n), bool(false))))))),
    ),
  },
];

describe('per-version wire bytes from the message specs', () => {
  it('include a request and a response for every API', () => {
    // KRaft's quorum RPCs have their spec bytes in kraft-quorum-rpcs.test.ts, one case per message.
    const elsewhere: number[] = [
      ApiKey.Vote,
      ApiKey.BeginQuorumEpoch,
      ApiKey.EndQuorumEpoch,
      ApiKey.DescribeQuorum,
      // The controller RPCs have theirs in controller-rpcs.test.ts.
      ApiKey.AlterPartition,
      ApiKey.BrokerRegistration,
      ApiKey.BrokerHeartbeat,
      ApiKey.AllocateProducerIds,
    ];
    for (const key of Object.keys(API_CODECS)
      .map(Number)
      .filter((k) => !elsewhere.includes(k))) {
      expect(
        cases.some((c) => c.api === key && c.kind === 'request'),
        `request of api ${key}`,
      ).toBe(true);
      expect(
        cases.some((c) => c.api === key && c.kind === 'response'),
        `response of api ${key}`,
      ).toBe(true);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s: encodes to the spec bytes and decodes back', (_, c) => {
    const codec = API_CODECS[c.api][c.kind] as MessageCodec<object>;
    expect(codec.encode(c.version, c.value).toString('hex')).toBe(c.bytes.toString('hex'));
    // Decoded objects also carry fields of other versions at their defaults: compare what the case names,
    // and that re-encoding the decoded object gives the same bytes.
    const decoded = codec.decode(c.version, c.bytes);
    expect(decoded).toMatchObject(c.value);
    expect(codec.encode(c.version, decoded).toString('hex')).toBe(c.bytes.toString('hex'));
  });
});
