import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import type { KRaftControlPlane } from '../../../src/broker/cluster/kraft-control-plane.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

/** Short sessions so a lost broker is fenced in well under a second; fast follower fetches. */
const FAST_CLUSTER = {
  'broker.heartbeat.interval.ms': 50,
  'broker.session.timeout.ms': 400,
  'replica.fetch.wait.max.ms': 50,
  'replica.fetch.backoff.ms': 50,
};

let cluster: KafkaCluster | undefined;
let producer: Producer | undefined;
afterEach(async () => {
  await producer?.disconnect();
  producer = undefined;
  await cluster?.close();
  cluster = undefined;
});

function plane(c: KafkaCluster): KRaftControlPlane {
  return c.controlPlane as KRaftControlPlane;
}

async function createTopic(c: KafkaCluster, name: string, assignment: number[][], minIsr = 2): Promise<void> {
  const response = await plane(c).activeControllerApis.createTopics({
    topics: [
      {
        name,
        numPartitions: -1,
        replicationFactor: -1,
        assignments: assignment.map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
        configs: [{ name: 'min.insync.replicas', value: String(minIsr) }],
      },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  });
  expect(response.topics[0]?.errorCode).toBe(0);
  await waitUntil(
    () => assignment[0]!.every((id) => c.broker(id).partition(name, 0) !== undefined),
    `every replica of ${name}-0 exists`,
  );
}

function committedValues(c: KafkaCluster, id: number, topic = 'orders'): string[] {
  const log = c.broker(id).log(topic, 0);
  const { records } = log.read(log.logStartOffset, 1 << 30, { minOneBatch: true, maxOffset: log.highWatermark });
  return [...batchesIn(records)].flatMap((b) => decodeRecords(b).map((r) => r.value?.toString() ?? ''));
}

async function produceThrough(
  c: KafkaCluster,
  total: number,
  at: number,
  fault: () => Promise<void>,
): Promise<string[]> {
  const kafka = new Kafka({
    clientId: 'kraft-failover',
    brokers: c.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, retries: 30 },
  });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  const acked: string[] = [];
  for (let i = 0; i < total; i++) {
    if (i === at) await fault();
    const value = `v${i}`;
    await producer.send({ topic: 'orders', acks: -1, timeout: 5000, messages: [{ value }] });
    acked.push(value);
  }
  return acked;
}

describe('KafkaCluster in-process on the KRaft controller (combined nodes, in-memory metadata log)', () => {
  it('starts three brokers that register, are unfenced, and see one another in Metadata', async () => {
    cluster = await KafkaCluster.start({ brokers: 3, config: FAST_CLUSTER });
    const image = cluster.controllerImage!;
    expect(image.activeBrokers().map((b) => b.id)).toEqual([1, 2, 3]);
    expect(plane(cluster).activeController()?.nodeId).toBe(1);
    const ports = cluster.info().map((n) => n.port);
    expect(image.brokers().map((b) => b.port)).toEqual(ports);
  });

  it('survives a leader crash: the controller fences it after the session timeout and elects the next ISR replica; kafkajs loses nothing', async () => {
    cluster = await KafkaCluster.start({ brokers: 3, config: FAST_CLUSTER });
    const c = cluster;
    await createTopic(c, 'orders', [[1, 2, 3]]);
    const acked = await produceThrough(c, 150, 60, () => c.kill(1));
    // The rule, not one outcome: under load a survivor may miss a heartbeat too, and an extra election follows.
    const partition = c.controllerImage!.partition('orders', 0)!;
    expect([2, 3]).toContain(partition.leader);
    expect(partition.leaderEpoch).toBeGreaterThanOrEqual(1);
    expect(partition.isr).toContain(partition.leader);
    expect(partition.isr).not.toContain(1);
    expect(plane(c).events).toContainEqual(
      expect.objectContaining({ kind: 'broker-fenced', brokerId: 1, reason: 'session-timeout' }),
    );
    await waitUntil(
      () => [2, 3].every((id) => committedValues(c, id).length >= acked.length),
      'both survivors learn the final high watermark',
    );
    for (const id of [2, 3]) expect(committedValues(c, id)).toEqual(acked);
  });

  it('moves leadership away before a clean stop (controlled shutdown), without waiting for a session timeout', async () => {
    cluster = await KafkaCluster.start({ brokers: 3, config: FAST_CLUSTER });
    const c = cluster;
    await createTopic(c, 'orders', [[1, 2, 3]]);
    const acked = await produceThrough(c, 100, 40, () => c.stop(1));
    const moved = c.controllerImage!.partition('orders', 0)!;
    expect([2, 3]).toContain(moved.leader);
    expect(moved.leaderEpoch).toBeGreaterThanOrEqual(1);
    const events = plane(c).events.map((e) => e.kind);
    expect(events).toContain('controlled-shutdown');
    expect(plane(c).events).toContainEqual(
      expect.objectContaining({ kind: 'broker-fenced', brokerId: 1, reason: 'controlled-shutdown-done' }),
    );
    expect(plane(c).events).not.toContainEqual(
      expect.objectContaining({ kind: 'broker-fenced', brokerId: 1, reason: 'session-timeout' }),
    );
    await waitUntil(
      () => [2, 3].every((id) => committedValues(c, id).length >= acked.length),
      'both survivors learn the final high watermark',
    );
    for (const id of [2, 3]) expect(committedValues(c, id)).toEqual(acked);
  });

  it('fails the controller over with its node: the next controller becomes active, fences the lost broker, and a restart rejoins the ISR', async () => {
    cluster = await KafkaCluster.start({ brokers: 3, config: FAST_CLUSTER });
    const c = cluster;
    await createTopic(c, 'orders', [[1, 2, 3]]);
    expect(plane(c).activeController()?.nodeId).toBe(1);
    await c.kill(1);
    await waitUntil(() => plane(c).activeController()?.nodeId === 2, 'controller 2 becomes active');
    await waitUntil(() => c.controllerImage!.broker(1)?.fenced === true, 'the new controller fences broker 1');
    expect(c.controllerImage!.partition('orders', 0)).toMatchObject({ leader: 2, isr: [2, 3] });
    await c.start(1);
    const before = c.controllerImage!.broker(1)!;
    expect(before.fenced).toBe(false);
    await waitUntil(
      () => c.controllerImage!.partition('orders', 0)!.isr.includes(1),
      'broker 1 rejoins the ISR after catching up',
    );
    expect(c.controllerImage!.partition('orders', 0)!.leader).toBe(2);
  });
});
