import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntilTopicServed } from '../../src/broker/index.js';
import { ApacheKafkaCluster, fetchKafka } from '../../src/kafka/index.js';
import { isAlive, kcatMetadata, pidsMentioning, processGroupOf } from './support.js';

/**
 * `kq kafka start --brokers 3` / `--kafka --brokers 3` underneath: three combined KRaft nodes, each JVM in its own
 * process group, and the per-node faults the replication demos use. The producer keeps its Kafka defaults that
 * matter here (acks=all) and only gets a retry budget longer than a failover (the controller fences a SIGKILLed
 * broker after broker.session.timeout.ms, 9 s, plus a controller election when the victim led the quorum).
 */
beforeAll(() => {
  fetchKafka();
}, 600_000);

const TOPIC = 'replicated';
let cluster: ApacheKafkaCluster;
let admin: Admin;
let producer: Producer;
let pids: number[] = [];

beforeAll(async () => {
  cluster = await ApacheKafkaCluster.start({ brokers: 3, heap: '384m', readyTimeoutMs: 180_000 });
  pids = cluster.nodes.map((n) => n.pid!);
  const kafka = new Kafka({
    clientId: 'three-node-test',
    brokers: cluster.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 3000 },
  });
  admin = kafka.admin();
  producer = kafka.producer();
  await admin.connect();
  await producer.connect();
}, 240_000);

afterAll(async () => {
  await producer?.disconnect().catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
}, 60_000);

async function leaderOf(topic: string): Promise<{ leader: number; isr: number[]; replicas: number[] }> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const partition = topics[0]!.partitions[0]!;
  return { leader: partition.leader, isr: [...partition.isr].sort(), replicas: [...partition.replicas].sort() };
}

describe('three Apache Kafka nodes', () => {
  it('are three JVMs, each in a process group of its own, on distinct ports, and every one lists all three', () => {
    expect(cluster.nodes.map((n) => n.nodeId)).toEqual([1, 2, 3]);
    expect(new Set(cluster.nodes.map((n) => n.port)).size).toBe(3);
    for (const node of cluster.nodes) {
      expect(processGroupOf(node.pid!)).toBe(node.pid);
      expect(
        kcatMetadata(node.address)
          .brokers.map((b) => b.id)
          .sort(),
      ).toEqual([1, 2, 3]);
    }
    expect(cluster.bootstrap).toBe(cluster.nodes.map((n) => n.address).join(','));
  });

  it('keep an acks=all producer working when the leader of its RF=3 partition is SIGKILLed', async () => {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: 3 }],
    });
    await waitUntilTopicServed(cluster.bootstrap, [TOPIC]);
    const before = await leaderOf(TOPIC);
    expect(before.replicas).toEqual([1, 2, 3]);
    const first = await producer.send({ topic: TOPIC, acks: -1, messages: [{ value: 'before the kill' }] });
    expect(first[0]!.errorCode).toBe(0);

    const victim = cluster.node(before.leader);
    const exit = await victim.kill();
    expect(exit.signal).toBe('SIGKILL');
    expect(cluster.running.map((n) => n.nodeId)).not.toContain(before.leader);

    const offsets: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [ack] = await producer.send({ topic: TOPIC, acks: -1, messages: [{ value: `after the kill ${i}` }] });
      offsets.push(ack!.baseOffset!);
    }
    expect(offsets.map(Number)).toEqual([1, 2, 3, 4, 5]);
    const after = await leaderOf(TOPIC);
    expect(after.leader).not.toBe(before.leader);
    expect(after.isr).not.toContain(before.leader);
  }, 120_000);

  it('restart() brings the killed node back on its port with its data dir, and it rejoins the ISR', async () => {
    const dead = cluster.nodes.find((n) => !n.isRunning)!;
    const { port, dataDir } = dead;
    await cluster.restart(dead.nodeId, 120_000);
    expect(dead.port).toBe(port);
    expect(dead.dataDir).toBe(dataDir);
    expect(
      kcatMetadata(dead.address)
        .brokers.map((b) => b.id)
        .sort(),
    ).toEqual([1, 2, 3]);
    let isr: number[] = [];
    const deadline = Date.now() + 60_000;
    while (!isr.includes(dead.nodeId) && Date.now() < deadline) {
      isr = (await leaderOf(TOPIC)).isr;
      if (!isr.includes(dead.nodeId)) await new Promise((r) => setTimeout(r, 250)); // bounded by the deadline
    }
    expect(isr, `node ${dead.nodeId} back in the ISR within 60 s`).toEqual([1, 2, 3]);
  }, 180_000);

  it('pause() freezes one node while the others keep serving; resume() thaws it', async () => {
    const { leader } = await leaderOf(TOPIC);
    const follower = cluster.nodes.find((n) => n.nodeId !== leader)!;
    follower.pause();
    try {
      const other = cluster.nodes.find((n) => n.nodeId !== leader && n !== follower)!;
      expect(kcatMetadata(other.address).brokers.length).toBeGreaterThanOrEqual(2);
    } finally {
      follower.resume();
    }
    expect(follower.isPaused).toBe(false);
    expect(
      kcatMetadata(follower.address)
        .brokers.map((b) => b.id)
        .sort(),
    ).toEqual([1, 2, 3]);
  }, 60_000);

  it('stop() leaves no JVM of the cluster behind', async () => {
    pids.push(...cluster.nodes.map((n) => n.pid!).filter((p) => !pids.includes(p)));
    await producer.disconnect();
    await admin.disconnect();
    await cluster.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(pidsMentioning(cluster.dir)).toEqual([]);
  }, 60_000);
});
