import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import type { KRaftControlPlane } from '../../../src/broker/cluster/kraft-control-plane.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { RawPartitionReader } from '../../../src/demo/raw-partition-reader.js';
import { failoverKafkaClient, startChildProcessCluster } from '../support/child-process-cluster.js';

/**
 * Eligible Leader Replicas (KIP-966) on an in-process 5-node KRaft cluster with `eligible.leader.replicas.version=1`
 * (kq's default, as Kafka 4.4's): topic `elr` on [1,2], min.insync.replicas 2, acks=all from kafkajs. The follower
 * stops cleanly and goes from the ISR into the ELR; acks=all is refused below min ISR; the leader is killed and the
 * ISR becomes empty with both replicas in the ELR; the follower comes back and is elected from the ELR, holding
 * every acknowledged record. RF 2, not 3: the in-process metadata quorum has every node as a voter (at most 5), and
 * three replicas down at once would take its majority. The RF 3 walk (followers one by one) is in
 * test/broker/controller/eligible-leader-replicas.test.ts, on the controller alone.
 */
const FAST_CLUSTER = {
  'broker.heartbeat.interval.ms': 100,
  'broker.session.timeout.ms': 1500,
  'replica.fetch.wait.max.ms': 50,
  'replica.fetch.backoff.ms': 50,
  'replica.lag.time.max.ms': 1000,
};
/** Generous for a loaded 2-core machine: each wait is for a condition, this is only its bound. */
const WAIT_MS = 30_000;

let cluster: KafkaCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const plane = (c: KafkaCluster) => c.controlPlane as KRaftControlPlane;

async function produce(c: KafkaCluster, values: string[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'elr',
    brokers: c.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, retries: 20 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const value of values) await producer.send({ topic: 'elr', acks: -1, timeout: 5000, messages: [{ value }] });
  } finally {
    await producer.disconnect();
  }
}

/** One acks=all send without retries, to see the broker's answer. */
async function produceOnce(c: KafkaCluster, value: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'elr-once',
    brokers: c.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic: 'elr', acks: -1, timeout: 5000, messages: [{ value }] });
  } finally {
    await producer.disconnect();
  }
}

describe('Eligible Leader Replicas (KIP-966) in a running cluster', () => {
  it('min ISR 2: the ISR shrinks into the ELR, empties when the leader dies, and a cleanly stopped ELR member is elected with every acknowledged record', async () => {
    cluster = await KafkaCluster.start({ brokers: 5, config: FAST_CLUSTER });
    const c = cluster;
    const registration = () => c.controllerImage?.partition('elr', 0);
    const state = () => {
      const p = registration();
      return p ? `leader ${p.leader} isr [${p.isr.join()}] elr [${(p.elr ?? []).join()}]` : 'no partition';
    };
    const created = await plane(c).activeControllerApis.createTopics({
      topics: [
        {
          name: 'elr',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
          configs: [{ name: 'min.insync.replicas', value: '2' }],
        },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });
    expect(created.topics[0]?.errorCode).toBe(0);
    expect(plane(c).activeController()?.features.isElrFeatureEnabled()).toBe(true);
    await waitUntil(() => registration()?.isr.join() === '1,2', 'the ISR is [1,2]', WAIT_MS, { detail: state });
    expect(registration()?.elr).toBeUndefined();
    const acked: string[] = [];
    const write = async (values: string[]) => {
      await produce(c, values);
      acked.push(...values);
    };
    await write(['a', 'b', 'c', 'd', 'e']); // acknowledged by 1 and 2

    // A follower learns the high watermark one fetch after the leader moves it; a new leader below min ISR keeps
    // its own (KAFKA-15583), so wait until 2 knows all five are committed before taking it away.
    await waitUntil(
      () => c.broker(2).partition('elr', 0)?.highWatermark === BigInt(acked.length),
      `broker 2's high watermark reaches ${acked.length}`,
      WAIT_MS,
    );
    await c.stop(2); // a clean stop: controlled shutdown takes 2 out of the ISR, below min ISR, into the ELR
    await waitUntil(() => registration()?.elr?.join() === '2', 'the ELR is [2]', WAIT_MS, { detail: state });
    expect(registration()).toMatchObject({ leader: 1, isr: [1] });
    // The watch's source: the leader's PartitionSnapshot carries the ELR too.
    await waitUntil(
      async () => (await c.describe()).some((n) => n.partitions.some((p) => p.topic === 'elr' && p.elr.join() === '2')),
      'a broker snapshot shows the ELR [2]',
      WAIT_MS,
    );

    // Below min ISR an acks=all write is refused: nothing is acknowledged that 2 lacks.
    await expect(produceOnce(c, 'refused')).rejects.toThrow(/NOT_ENOUGH_REPLICAS|replicas/i);

    await c.kill(1); // the last ISR member dies: the ISR empties, 1 joins the ELR, and is the last known leader
    await waitUntil(() => registration()?.leader === -1, 'the partition goes offline', WAIT_MS, { detail: state });
    expect(registration()).toMatchObject({ isr: [], elr: [1, 2], lastKnownElr: [1] });

    await c.start(2); // it shut down cleanly, so it is still eligible: elected from the ELR, no unclean election
    await waitUntil(() => registration()?.leader === 2, 'broker 2 is elected from the ELR', WAIT_MS, { detail: state });
    expect(registration()).toMatchObject({ isr: [2], elr: [1] });
    const election = c
      .why()
      .find(
        (e) => e.kind === 'election' && e.partition === 'elr-0' && e.data.electionRule === 'eligible-leader-replica',
      );
    expect(election).toMatchObject({ rule: 'KIP-966 Eligible Leader Replicas', data: { leader: 2, unclean: false } });

    // Every acknowledged record is on the new leader, in order.
    const leader = c.broker(2);
    const reader = new RawPartitionReader(`${leader.host}:${leader.port}`);
    try {
      let read: string[] = [];
      let failure = '';
      await waitUntil(
        async () => {
          try {
            const batches = await reader.readBatches('elr', 0);
            read = batches.flatMap((b) => b.records.map((r) => r.value?.toString() ?? ''));
          } catch (error) {
            failure = String(error);
          }
          return read.length >= acked.length;
        },
        `the new leader serves the ${acked.length} acknowledged records`,
        WAIT_MS,
        { detail: () => `read [${read.join()}] ${failure} ${state()}`, everyMs: 200 },
      );
      expect(read).toEqual(acked);
    } finally {
      reader.close();
    }
  }, 240_000);
});

/** Node `id`'s own snapshot of elr-0 (over the child's IPC channel), or undefined when it is down or has none. */
async function replicaOn(c: KafkaCluster, id: number) {
  const node = (await c.describe()).find((n) => n.id === id);
  return node?.partitions.find((p) => p.topic === 'elr' && p.partition === 0);
}

describe('Eligible Leader Replicas (KIP-966) with kq broker child processes', () => {
  it('a node stopped with SIGTERM leaves Kafka’s clean shutdown file, so it comes back eligible and is elected from the ELR', async () => {
    cluster = await startChildProcessCluster({ brokers: 5 });
    const c = cluster;
    const admin = failoverKafkaClient(c, 'elr-child').admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [
          {
            topic: 'elr',
            replicaAssignment: [{ partition: 0, replicas: [1, 2] }],
            configEntries: [{ name: 'min.insync.replicas', value: '2' }],
          },
        ],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }
    const values = ['a', 'b', 'c'];
    const producer = failoverKafkaClient(c, 'elr-child').producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      for (const value of values) await producer.send({ topic: 'elr', acks: -1, messages: [{ value }] });
    } finally {
      await producer.disconnect();
    }
    const show = async () =>
      JSON.stringify([await replicaOn(c, 1), await replicaOn(c, 2)], (_k, v: unknown) =>
        typeof v === 'bigint' ? String(v) : v,
      );
    let detail = '';
    const seen = async (what: () => Promise<boolean>) => {
      const ok = await what();
      if (!ok) detail = await show();
      return ok;
    };
    await waitUntil(
      () => seen(async () => (await replicaOn(c, 2))?.highWatermark === BigInt(values.length)),
      'node 2 knows every record is committed',
      WAIT_MS,
      { detail: () => detail, everyMs: 200 },
    );

    await c.stop(2); // SIGTERM: controlled shutdown, then the clean shutdown file
    await waitUntil(
      () => seen(async () => (await replicaOn(c, 1))?.elr.join() === '2'),
      'the leader’s registration has the ELR [2]',
      WAIT_MS,
      { detail: () => detail, everyMs: 200 },
    );
    await c.kill(1); // SIGKILL: the ISR empties
    await c.start(2);
    await waitUntil(
      () => seen(async () => (await replicaOn(c, 2))?.role === 'leader'),
      'node 2 is elected from the ELR',
      WAIT_MS,
      { detail: () => detail, everyMs: 200 },
    );
    expect(await replicaOn(c, 2)).toMatchObject({ isr: [2], elr: [1] });
    const node2 = c.info().find((n) => n.id === 2)!;
    const reader = new RawPartitionReader(`${node2.host}:${node2.port}`);
    try {
      const read = (await reader.readBatches('elr', 0)).flatMap((b) => b.records.map((r) => r.value?.toString() ?? ''));
      expect(read).toEqual(values);
    } finally {
      reader.close();
    }
  }, 240_000);
});
