import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import type { KRaftControlPlane } from '../../../src/broker/cluster/kraft-control-plane.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

/**
 * ElectLeaders (the kafka-leader-election tool's RPC) sent to a broker of an in-process 3-node KRaft cluster: it is
 * forwarded to the active controller, which runs Kafka's PREFERRED / UNCLEAN rules; bad input gets Kafka's error
 * codes and changes nothing.
 */
// Sessions long enough that a loaded machine does not fence a live broker (stop() is a controlled shutdown: no wait).
const FAST_CLUSTER = {
  'broker.heartbeat.interval.ms': 200,
  'broker.session.timeout.ms': 3000,
  'replica.fetch.wait.max.ms': 50,
  'replica.fetch.backoff.ms': 50,
  // the rebalancer would undo the imbalance this test makes before ElectLeaders does
  'auto.leader.rebalance.enable': false,
};

let cluster: KafkaCluster | undefined;
let client: RawKafkaClient | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await cluster?.close();
  cluster = undefined;
});

const plane = (c: KafkaCluster) => c.controlPlane as KRaftControlPlane;

async function clusterWithTopic(): Promise<KafkaCluster> {
  const c = await KafkaCluster.start({ brokers: 3, config: FAST_CLUSTER });
  const created = await plane(c).activeControllerApis.createTopics({
    topics: [
      {
        name: 'orders',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 3] }],
        configs: [],
      },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  });
  expect(created.topics[0]?.errorCode).toBe(0);
  await waitUntil(() => c.broker(3).partition('orders', 0)?.leaderId === 1, 'broker 3 knows leader 1', 20_000);
  return c;
}

describe('ElectLeaders on a KRaft cluster', () => {
  it('moves leadership back to the preferred replica once it is in sync, and says when no election is needed', async () => {
    cluster = await clusterWithTopic();
    const c = cluster;
    await c.stop(1); // controlled shutdown: leadership moves to 2
    await waitUntil(() => c.broker(3).partition('orders', 0)?.leaderId === 2, 'leader 2 after the shutdown', 20_000);
    await c.start(1);
    await waitUntil(() => c.broker(2).partition('orders', 0)?.isr.includes(1) === true, '1 back in the ISR', 20_000);
    client = await RawKafkaClient.connect(c.broker(3).port);
    const elect = (electionType: number, topicPartitions: Array<{ topic: string; partitions: number[] }> | null) =>
      client!.request(ApiKey.ElectLeaders, 2, { electionType, topicPartitions, timeoutMs: 5000 });

    expect(await elect(0, [{ topic: 'orders', partitions: [0] }])).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      replicaElectionResults: [
        { topic: 'orders', partitionResult: [{ partitionId: 0, errorCode: 0, errorMessage: null }] },
      ],
    });
    await waitUntil(() => c.broker(3).partition('orders', 0)?.leaderId === 1, 'leader 1 again', 20_000);
    const again = await elect(0, [{ topic: 'orders', partitions: [0] }]);
    expect(again.replicaElectionResults[0]!.partitionResult[0]!.errorCode).toBe(ErrorCode.ELECTION_NOT_NEEDED);
    // UNCLEAN on a partition that has a leader: not needed either.
    const unclean = await elect(1, [{ topic: 'orders', partitions: [0] }]);
    expect(unclean.replicaElectionResults[0]!.partitionResult[0]!.errorCode).toBe(ErrorCode.ELECTION_NOT_NEEDED);
    // Every partition (null): the ones whose election was not needed are left out.
    expect((await elect(0, null)).replicaElectionResults).toContainEqual({ topic: 'orders', partitionResult: [] });
    const events = plane(c).events.filter((e) => e.kind === 'partition-change' && e.cause === 'elect-leaders');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ leader: 1, election: { kind: 'PREFERRED', rule: 'preferred-replica' } });
  });

  it('answers unknown topics and partitions UNKNOWN_TOPIC_OR_PARTITION, and an unknown election type INVALID_REQUEST, changing nothing', async () => {
    cluster = await clusterWithTopic();
    const c = cluster;
    const before = plane(c).quorum.highWatermark;
    client = await RawKafkaClient.connect(c.broker(2).port);
    const response = await client.request(ApiKey.ElectLeaders, 1, {
      electionType: 0,
      topicPartitions: [
        { topic: 'orders', partitions: [7] },
        { topic: 'nope', partitions: [0] },
      ],
      timeoutMs: 5000,
    });
    expect(response.errorCode).toBe(0);
    expect(response.replicaElectionResults.map((t) => t.partitionResult[0]!.errorCode)).toEqual([
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ]);
    const badType = await client.request(ApiKey.ElectLeaders, 2, {
      electionType: 5,
      topicPartitions: [{ topic: 'orders', partitions: [0] }],
      timeoutMs: 5000,
    });
    expect(badType.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(plane(c).quorum.highWatermark).toBe(before);
    expect(c.broker(2).partition('orders', 0)?.leaderId).toBe(1);
  });
});

describe('ElectLeaders on a broker without a controller', () => {
  it('needs no election for its own partitions and names unknown ones, as a one-node Kafka answers', async () => {
    const broker = await KafkaBroker.start({ host: '127.0.0.1', port: 0 });
    try {
      client = await RawKafkaClient.connect(broker.port);
      const created = await client.request(ApiKey.CreateTopics, 4, {
        topics: [{ name: 'solo', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
        timeoutMs: 1000,
        validateOnly: false,
      });
      expect(created.topics[0]?.errorCode).toBe(0);
      const response = await client.request(ApiKey.ElectLeaders, 2, {
        electionType: 0,
        topicPartitions: [
          { topic: 'solo', partitions: [0, 3] },
          { topic: 'none', partitions: [0] },
        ],
        timeoutMs: 1000,
      });
      expect(response.replicaElectionResults).toEqual([
        {
          topic: 'solo',
          partitionResult: [
            {
              partitionId: 0,
              errorCode: ErrorCode.ELECTION_NOT_NEEDED,
              errorMessage: 'Leader election not needed for the topic partition.',
            },
            {
              partitionId: 3,
              errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
              errorMessage: 'No such partition as solo-3',
            },
          ],
        },
        {
          topic: 'none',
          partitionResult: [
            { partitionId: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'No such topic as none' },
          ],
        },
      ]);
    } finally {
      client?.close();
      client = undefined;
      await broker.close();
    }
  });
});
