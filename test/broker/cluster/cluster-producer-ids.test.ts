import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import type { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { waitUntilTopicServed } from '../../../src/broker/client/topic-readiness.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { startChildProcessCluster, failoverKafkaClient } from '../support/child-process-cluster.js';

/** Over FAST_KRAFT: no initial rebalance delay, few offsets partitions. */
const NODE_CONFIG = {
  'group.initial.rebalance.delay.ms': 0,
  'offsets.topic.num.partitions': 3,
};

let cluster: KafkaCluster | undefined;
const clients: Array<Admin | Producer | Consumer> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.disconnect();
  await cluster?.close();
  cluster = undefined;
});

/** InitProducerId v1 for an idempotent producer, asked of one node. */
async function initProducerId(port: number): Promise<bigint> {
  const client = await RawKafkaClient.connect(port);
  try {
    const response = await client.request(ApiKey.InitProducerId, 1, {
      transactionalId: null,
      transactionTimeoutMs: 60_000,
      producerId: -1n,
      producerEpoch: -1,
    });
    expect(response.errorCode).toBe(ErrorCode.NONE);
    return response.producerId;
  } finally {
    client.close();
  }
}

describe('idempotent producers on a kq cluster: producer ids from the controller (AllocateProducerIds)', () => {
  it('each broker hands out ids from its own block of the controller’s, a restarted broker takes a new block, and an idempotent producer writes to partitions led by every broker', async () => {
    cluster = await startChildProcessCluster({
      config: NODE_CONFIG,
    });
    const c = cluster;
    const ports = c.bootstrap.split(',').map((b) => Number(b.split(':')[1]));
    const ids = [];
    for (const port of ports) ids.push(await initProducerId(port));
    // Blocks of 1000 from 0, one per broker, in the order the brokers asked: three different blocks.
    const blocks = ids.map((id) => id / 1000n);
    expect(new Set(blocks).size).toBe(3);
    for (const block of blocks) expect(block).toBeLessThan(3n);
    // The next id from the same broker comes from the same block.
    expect(await initProducerId(ports[0]!)).toBe(ids[0]! + 1n);

    // A restarted broker has no block: it asks the controller, which gives the next one, never an old one.
    await c.kill(1);
    await c.start(1);
    const afterRestart = await initProducerId(ports[0]!);
    expect(afterRestart).toBeGreaterThanOrEqual(3000n);

    const kafka = failoverKafkaClient(c, 'cluster-producer-ids', 30);
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    // One partition led by each broker (manual assignment: leader first).
    await admin.createTopics({
      topics: [
        {
          topic: 'orders',
          replicaAssignment: [
            { partition: 0, replicas: [1, 2, 3] },
            { partition: 1, replicas: [2, 3, 1] },
            { partition: 2, replicas: [3, 1, 2] },
          ],
        },
      ],
      waitForLeaders: false,
    });
    await waitUntilTopicServed(c.bootstrap, ['orders']);
    const leaders = (await admin.fetchTopicMetadata({ topics: ['orders'] })).topics[0]!.partitions.sort(
      (a, b) => a.partitionId - b.partitionId,
    ).map((p) => p.leader);
    expect(leaders).toEqual([1, 2, 3]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    clients.push(producer);
    await producer.connect();
    const sent: string[] = [];
    for (let i = 0; i < 30; i++) {
      const value = `v${i}`;
      await producer.send({ topic: 'orders', acks: -1, messages: [{ value, partition: i % 3 }] });
      sent.push(value);
    }
    const consumer = kafka.consumer({ groupId: 'checker', maxWaitTimeInMs: 100 });
    clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    const read: string[] = [];
    void consumer.run({ eachMessage: async ({ message }) => void read.push(message.value?.toString() ?? '') });
    await waitUntil(() => read.length >= sent.length, `the consumer reads ${sent.length} records`, 30_000, {
      detail: () => `read ${read.length}`,
    });
    expect([...read].sort()).toEqual([...sent].sort());
  }, 120_000);
});
