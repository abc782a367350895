import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { createTopics } from '../../../src/broker/client/request-builders.js';
import { FAST_GROUPS } from './group-test-kit.js';

// One member's whole life at the group APIs' newest flexible versions, over the wire: JoinGroup v9 (twice:
// MEMBER_ID_REQUIRED first), SyncGroup v5, Heartbeat v4, OffsetCommit v9, OffsetFetch v9 for two groups,
// DescribeGroups v6, ListGroups v5, LeaveGroup v5 with a reason.

let broker: KafkaBroker | undefined;
let client: RawKafkaClient | undefined;
afterEach(async () => {
  client?.close();
  await broker?.close();
});

const METADATA = Buffer.from([0, 0, 0, 0, 0, 0, 255, 255, 255, 255]);

describe('group APIs at their flexible versions', () => {
  it('join, sync, heartbeat, commit, fetch (two groups), describe, list and leave', async () => {
    broker = await KafkaBroker.start({ config: FAST_GROUPS });
    const c = (client = await RawKafkaClient.connect(broker.port));
    await c.request(ApiKey.CreateTopics, 4, createTopics([{ name: 't', numPartitions: 1 }]));

    const join = (memberId: string) =>
      c.request(ApiKey.JoinGroup, 9, {
        groupId: 'fx',
        sessionTimeoutMs: 10_000,
        rebalanceTimeoutMs: 10_000,
        memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'range', metadata: METADATA }],
        reason: 'starting up',
      });
    const first = await join('');
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.protocolType).toBeNull();
    expect(first.protocolName).toBeNull();
    const joined = await join(first.memberId);
    expect(joined).toMatchObject({
      errorCode: ErrorCode.NONE,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: first.memberId,
      skipAssignment: false,
    });

    const wrongProtocol = await c.request(ApiKey.SyncGroup, 5, {
      groupId: 'fx',
      generationId: joined.generationId,
      memberId: joined.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'roundrobin',
      assignments: [],
    });
    expect(wrongProtocol.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const synced = await c.request(ApiKey.SyncGroup, 5, {
      groupId: 'fx',
      generationId: joined.generationId,
      memberId: joined.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: joined.memberId, assignment: Buffer.from('plan') }],
    });
    expect(synced).toMatchObject({
      errorCode: ErrorCode.NONE,
      protocolType: 'consumer',
      protocolName: 'range',
      assignment: Buffer.from('plan'),
    });

    const beat = await c.request(ApiKey.Heartbeat, 4, {
      groupId: 'fx',
      generationId: joined.generationId,
      memberId: joined.memberId,
      groupInstanceId: null,
    });
    expect(beat.errorCode).toBe(ErrorCode.NONE);

    const committed = await c.request(ApiKey.OffsetCommit, 9, {
      groupId: 'fx',
      generationId: joined.generationId,
      memberId: joined.memberId,
      groupInstanceId: null,
      retentionTimeMs: -1n,
      topics: [
        {
          name: 't',
          partitions: [{ partitionIndex: 0, committedOffset: 42n, committedLeaderEpoch: 0, committedMetadata: 'm' }],
        },
      ],
    });
    expect(committed.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);

    const fetched = await c.request(ApiKey.OffsetFetch, 9, {
      groupId: '',
      topics: null,
      requireStable: true,
      groups: [
        { groupId: 'fx', memberId: null, memberEpoch: -1, topics: [{ name: 't', partitionIndexes: [0] }] },
        { groupId: 'empty', memberId: null, memberEpoch: -1, topics: null },
      ],
    });
    expect(fetched.groups).toMatchObject([
      {
        groupId: 'fx',
        errorCode: ErrorCode.NONE,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 42n, metadata: 'm' }] }],
      },
      { groupId: 'empty', errorCode: ErrorCode.NONE, topics: [] },
    ]);

    const described = await c.request(ApiKey.DescribeGroups, 6, {
      groups: ['fx', 'nobody'],
      includeAuthorizedOperations: false,
    });
    expect(described.groups).toMatchObject([
      { groupId: 'fx', errorCode: ErrorCode.NONE, groupState: 'Stable', errorMessage: null },
      { groupId: 'nobody', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);

    const listed = await c.request(ApiKey.ListGroups, 5, { statesFilter: ['Stable'], typesFilter: ['classic'] });
    expect(listed.groups).toEqual([
      { groupId: 'fx', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
    ]);

    const left = await c.request(ApiKey.LeaveGroup, 5, {
      groupId: 'fx',
      memberId: '',
      members: [{ memberId: joined.memberId, groupInstanceId: null, reason: 'shutting down' }],
    });
    expect(left.errorCode).toBe(ErrorCode.NONE);
    expect(left.members[0]?.errorCode).toBe(ErrorCode.NONE);
  });

  it('FindCoordinator v4 answers a batch of keys; v6 (share groups) is not advertised', async () => {
    broker = await KafkaBroker.start({ config: FAST_GROUPS });
    const c = (client = await RawKafkaClient.connect(broker.port));
    const found = await c.request(ApiKey.FindCoordinator, 4, { key: '', keyType: 0, coordinatorKeys: ['a', 'b'] });
    expect(found.coordinators?.map((k) => [k.key, k.nodeId, k.port, k.errorCode])).toEqual([
      ['a', 0, broker.port, ErrorCode.NONE],
      ['b', 0, broker.port, ErrorCode.NONE],
    ]);
    const versions = await c.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'kq', clientSoftwareVersion: '1' });
    expect(versions.apiKeys.find((k) => k.apiKey === ApiKey.FindCoordinator)?.maxVersion).toBe(5);
  });
});
