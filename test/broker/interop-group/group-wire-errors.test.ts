import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { partitionForGroup } from '../../../src/broker/group/group-metadata-manager.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { FAST_GROUPS } from './group-test-kit.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

let broker: KafkaBroker | undefined;
let client: RawKafkaClient | undefined;
afterEach(async () => {
  client?.close();
  await broker?.close();
  client = undefined;
  broker = undefined;
});

const join = (memberId: string, sessionTimeoutMs: number) => ({
  groupId: 'w',
  sessionTimeoutMs,
  rebalanceTimeoutMs: 10_000,
  memberId,
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: Buffer.from([0, 0, 0, 0, 0, 0, 255, 255, 255, 255]) }],
});

const commit = (memberId: string, generationId: number, offset: bigint) => ({
  groupId: 'w',
  generationId,
  memberId,
  groupInstanceId: null,
  retentionTimeMs: -1n,
  topics: [
    {
      name: 't',
      partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: '' }],
    },
  ],
});

async function start(): Promise<RawKafkaClient> {
  broker = await KafkaBroker.start({ config: { ...FAST_GROUPS, 'group.max.session.timeout.ms': 30_000 } });
  client = await RawKafkaClient.connect(broker.port);
  await client.request(ApiKey.CreateTopics, 4, {
    topics: [{ name: 't', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 5000,
    validateOnly: false,
  });
  return client;
}

describe('group requests refused on the wire', () => {
  it.each([
    { sessionTimeoutMs: 499, why: 'below group.min.session.timeout.ms' },
    { sessionTimeoutMs: 30_001, why: 'above group.max.session.timeout.ms' },
  ])('JoinGroup with a session timeout $why gets INVALID_SESSION_TIMEOUT (26)', async ({ sessionTimeoutMs }) => {
    const c = await start();
    const response = await c.request(ApiKey.JoinGroup, 5, join('', sessionTimeoutMs));
    expect(response.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(broker?.groups()).toEqual([]);
  });

  it('OffsetCommit from an unknown member or a stale generation is refused and changes nothing', async () => {
    const c = await start();
    const joined = await c.request(ApiKey.JoinGroup, 3, join('', 10_000));
    expect(joined.errorCode).toBe(0);
    const { memberId, generationId } = joined;
    const synced = await c.request(ApiKey.SyncGroup, 3, {
      groupId: 'w',
      generationId,
      memberId,
      groupInstanceId: null,
      assignments: [{ memberId, assignment: Buffer.alloc(0) }],
    });
    expect(synced.errorCode).toBe(0);
    expect(
      (await c.request(ApiKey.OffsetCommit, 7, commit(memberId, generationId, 4n))).topics[0]?.partitions[0]?.errorCode,
    ).toBe(0);
    const offsetsLog = broker?.log('__consumer_offsets', partitionForGroup('w', 50));
    const written = offsetsLog?.logEndOffset;
    expect(written).toBeGreaterThan(0n);

    for (const [who, gen, expected] of [
      ['ghost', generationId, ErrorCode.UNKNOWN_MEMBER_ID],
      [memberId, generationId - 1, ErrorCode.ILLEGAL_GENERATION],
    ] as const) {
      const refused = await c.request(ApiKey.OffsetCommit, 7, commit(who, gen, 99n));
      expect(refused.topics[0]?.partitions[0]?.errorCode).toBe(expected);
    }
    const fetched = await c.request(ApiKey.OffsetFetch, 5, {
      groupId: 'w',
      topics: [{ name: 't', partitionIndexes: [0] }],
    });
    expect(fetched.topics[0]?.partitions[0]?.committedOffset).toBe(4n);
    expect(offsetsLog?.logEndOffset).toBe(written);
  });
});

describe('a held JoinGroup is parked, not on a request handler', () => {
  // A JoinGroup waiting for the rebalance is a deferred response, as Kafka's DelayedJoin: it frees its request
  // handler. Otherwise, with more members waiting than num.io.threads, the heartbeats that tell the others to
  // rejoin could not be served and the group would never become Stable.
  it('serves a heartbeat while the only request handler holds another member’s JoinGroup', async () => {
    broker = await KafkaBroker.start({ config: { ...FAST_GROUPS, 'num.io.threads': 1 } });
    const a = await RawKafkaClient.connect(broker.port);
    const b = await RawKafkaClient.connect(broker.port);
    try {
      const joined = await a.request(ApiKey.JoinGroup, 3, join('', 10_000));
      const { memberId, generationId } = joined;
      await a.request(ApiKey.SyncGroup, 3, {
        groupId: 'w',
        generationId,
        memberId,
        groupInstanceId: null,
        assignments: [],
      });
      b.send(ApiKey.JoinGroup, 3, join('', 10_000)); // held until a rejoins or 10 s pass
      await waitUntil(
        () => broker?.group('w')?.state === 'PreparingRebalance',
        'the second join starts a rebalance',
        15_000,
      );
      const heartbeat = await a.request(
        ApiKey.Heartbeat,
        3,
        { groupId: 'w', generationId, memberId, groupInstanceId: null },
        1_000,
      );
      expect(heartbeat.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    } finally {
      a.close();
      b.close();
    }
  });
});
