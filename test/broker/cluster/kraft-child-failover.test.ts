import type { Admin, Consumer, Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import type { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { startChildProcessCluster, failoverKafkaClient } from '../support/child-process-cluster.js';

/** Fast failure detection: heartbeats every 100 ms, fenced after 1 s; Raft elects within about a second. */

let cluster: KafkaCluster | undefined;
const clients: Array<Admin | Producer | Consumer> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.disconnect();
  await cluster?.close();
  cluster = undefined;
});

describe('kq broker nodes as child processes on the KRaft controller (Raft over the network)', () => {
  it('kafkajs keeps producing through a SIGKILL of the leader (acks=all, RF=3, min.insync.replicas=2): every acknowledged record is read back once, in order', async () => {
    cluster = await startChildProcessCluster();
    const c = cluster;
    const kafka = failoverKafkaClient(c, 'kraft-child-failover');
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    await admin.createTopics({
      topics: [
        {
          topic: 'orders',
          numPartitions: 1,
          replicationFactor: 3,
          configEntries: [{ name: 'min.insync.replicas', value: '2' }],
        },
      ],
      waitForLeaders: true,
    });
    const leaderOf = async () => (await admin.fetchTopicMetadata({ topics: ['orders'] })).topics[0]!.partitions[0]!;
    const before = await leaderOf();
    expect(before.isr.sort()).toEqual([1, 2, 3]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    clients.push(producer);
    await producer.connect();
    const acked: string[] = [];
    let killedAt = 0;
    let firstAfterKill = 0;
    for (let i = 0; i < 120; i++) {
      if (i === 50) {
        killedAt = Date.now();
        await c.kill(before.leader);
      }
      const value = `v${i}`;
      await producer.send({ topic: 'orders', acks: -1, timeout: 10_000, messages: [{ value }] });
      if (i === 50) firstAfterKill = Date.now();
      acked.push(value);
    }
    const after = await leaderOf();
    expect(after.leader).not.toBe(before.leader);
    expect(after.isr).not.toContain(before.leader);
    console.log(`leader SIGKILL -> first acks=all produce acknowledged: ${firstAfterKill - killedAt} ms`);

    const consumer = kafka.consumer({ groupId: 'checker', maxWaitTimeInMs: 100 });
    clients.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: 'orders', fromBeginning: true });
    const read: string[] = [];
    void consumer.run({ eachMessage: async ({ message }) => void read.push(message.value?.toString() ?? '') });
    await waitUntil(() => read.length >= acked.length, `the consumer reads ${acked.length} records`, 30_000, {
      detail: () => `read ${read.length}`,
    });
    expect(read).toEqual(acked);
    // The surviving replicas hold the same log: equal log end offsets and high watermarks.
    const survivors = (await c.describe()).filter((n) => n.state === 'running');
    const ends = survivors.map((n) => n.partitions.find((p) => p.topic === 'orders')?.logEndOffset);
    expect(new Set(ends.map(String)).size).toBe(1);
  }, 120_000);
});
