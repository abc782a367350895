import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import type { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { partitionForGroup } from '../../../src/broker/group/group-metadata-manager.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { waitUntilTopicServed } from '../../../src/broker/client/topic-readiness.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { startChildProcessCluster, failoverKafkaClient } from '../support/child-process-cluster.js';

/** Over FAST_KRAFT: no initial rebalance delay, few offsets partitions. */
const NODE_CONFIG = {
  'group.initial.rebalance.delay.ms': 0,
  'offsets.topic.num.partitions': 5,
};
const OFFSETS_PARTITIONS = 5;

let cluster: KafkaCluster | undefined;
const clients: Array<Admin | Producer | Consumer> = [];
const raw: RawKafkaClient[] = [];
afterEach(async () => {
  for (const c of raw.splice(0)) c.close();
  for (const c of clients.splice(0)) await c.disconnect();
  await cluster?.close();
  cluster = undefined;
});

/** FindCoordinator v2 asked of one node: the coordinator it names, or its error. */
async function findCoordinator(port: number, groupId: string): Promise<{ errorCode: number; nodeId: number }> {
  const client = await RawKafkaClient.connect(port);
  raw.push(client);
  const response = await client.request(ApiKey.FindCoordinator, 2, { key: groupId, keyType: 0 });
  client.close();
  return { errorCode: response.errorCode, nodeId: response.nodeId };
}

describe('consumer groups on a kq cluster (child processes, Raft over the network)', () => {
  it('the coordinator is the leader of the group’s __consumer_offsets partition, and committed offsets survive its SIGKILL', async () => {
    cluster = await startChildProcessCluster({
      config: NODE_CONFIG,
    });
    const c = cluster;
    const kafka = failoverKafkaClient(c, 'cluster-groups');
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'orders', numPartitions: 1, replicationFactor: 3 }],
      waitForLeaders: false,
    });
    await waitUntilTopicServed(c.bootstrap, ['orders']);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    clients.push(producer);
    await producer.connect();
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i++)
        await producer.send({ topic: 'orders', acks: -1, messages: [{ value: `v${i}` }] });
    };
    await send(0, 20);

    const groupId = 'billing';
    const consumeAndCommit = async (expected: number): Promise<string[]> => {
      const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 6000, heartbeatInterval: 500 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'orders', fromBeginning: true });
      const read: string[] = [];
      let next = '';
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => {
          read.push(message.value?.toString() ?? '');
          next = (BigInt(message.offset) + 1n).toString();
        },
      });
      await waitUntil(() => read.length >= expected, `the consumer reads ${expected} records`, 30_000, {
        detail: () => `read ${read.join(',')}`,
      });
      await consumer.commitOffsets([{ topic: 'orders', partition: 0, offset: next }]);
      await consumer.disconnect();
      return read;
    };
    expect(await consumeAndCommit(20)).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));

    // Every node names the same coordinator: the leader of partition abs(hash) % 5 of __consumer_offsets (RF 3).
    const offsetsPartition = partitionForGroup(groupId, OFFSETS_PARTITIONS);
    const offsetsTopic = async () =>
      (await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] })).topics[0]!.partitions.find(
        (p) => p.partitionId === offsetsPartition,
      )!;
    const before = await offsetsTopic();
    expect(before.replicas).toHaveLength(3);
    const ports = c.bootstrap.split(',').map((b) => Number(b.split(':')[1]));
    for (const port of ports)
      expect(await findCoordinator(port, groupId)).toEqual({ errorCode: ErrorCode.NONE, nodeId: before.leader });
    expect(await admin.fetchOffsets({ groupId, topics: ['orders'] })).toEqual([
      { topic: 'orders', partitions: [{ partition: 0, offset: '20', metadata: null }] },
    ]);

    // SIGKILL the coordinator. Another replica of the partition is elected and loads the group from its copy.
    await c.kill(before.leader);
    const survivor = ports.find((_, i) => i + 1 !== before.leader)!;
    let after: { errorCode: number; nodeId: number } = { errorCode: -1, nodeId: -1 };
    await waitUntil(
      async () => {
        after = await findCoordinator(survivor, groupId);
        return after.errorCode === ErrorCode.NONE && after.nodeId !== before.leader;
      },
      'FindCoordinator names a new coordinator',
      20_000,
      { detail: () => JSON.stringify(after) },
    );
    expect((await offsetsTopic()).leader).toBe(after.nodeId);

    // The committed offset is still 20: a new member of the group reads only what was produced since.
    await send(20, 25);
    expect(await consumeAndCommit(5)).toEqual(['v20', 'v21', 'v22', 'v23', 'v24']);
    expect(await admin.fetchOffsets({ groupId, topics: ['orders'] })).toEqual([
      { topic: 'orders', partitions: [{ partition: 0, offset: '25', metadata: null }] },
    ]);
  }, 120_000);
});
