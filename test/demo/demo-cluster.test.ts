import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApacheKafkaDemoCluster } from '../../src/demo/apache-kafka-demo-cluster.js';
import { ClusterView } from '../../src/demo/cluster-view.js';
import { FAULT_DEMO_BROKER_CONFIG, type DemoCluster } from '../../src/demo/demo-cluster.js';
import { KqDemoCluster } from '../../src/demo/kq-demo-cluster.js';
import { waitUntil as waitFor, waitUntilTopicServed } from '../../src/broker/index.js';

/** Waits for an observation that may fail while a broker dies (a failed look is "not yet"). */
const waitUntil = (condition: () => Promise<boolean>, what: string, timeoutMs = 15_000) =>
  waitFor(() => condition().catch(() => false), what, timeoutMs);

/**
 * The cluster a fault demo runs on, through the one interface both kinds implement: a broker killed is seen by a
 * client as a new leader in a higher epoch, chosen from the ISR; a broker restarted is back in the ISR.
 */
let kafka: ApacheKafkaDemoCluster;
beforeAll(async () => {
  kafka = await ApacheKafkaDemoCluster.start(3, FAULT_DEMO_BROKER_CONFIG);
}, 240_000);
afterAll(async () => {
  await kafka?.close();
}, 60_000);

async function leaderMovesWhenKilled(cluster: DemoCluster): Promise<void> {
  const view = new ClusterView(cluster);
  const admin = new Kafka({ brokers: cluster.bootstrap.split(','), logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    const topic = `demo-cluster-${Date.now()}`;
    await admin.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions: 1, replicationFactor: 3 }] });
    await waitUntilTopicServed(cluster.bootstrap, [topic]);
    let before = await view.partition(topic, 0);
    await waitUntil(async () => (before = await view.partition(topic, 0)).isr.length === 3, 'the ISR holds all 3');
    expect(before.replicas.sort()).toEqual([...cluster.brokerIds].sort());

    await cluster.kill(before.leader);
    expect(cluster.broker(before.leader).state).toBe('killed');
    expect(cluster.broker(before.leader).pid).toBeUndefined();
    let after = before;
    await waitUntil(
      async () => (after = await view.partition(topic, 0)).leader !== before.leader && after.leader !== -1,
      'a new leader',
      30_000,
    );
    expect(before.isr).toContain(after.leader);
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    expect(after.isr).not.toContain(before.leader);

    await cluster.restart(before.leader);
    expect(cluster.broker(before.leader).state).toBe('running');
    await waitUntil(
      async () => (await view.partition(topic, 0)).isr.length === 3,
      'the restarted broker rejoins',
      30_000,
    );
  } finally {
    view.close();
    await admin.disconnect();
  }
}

describe('DemoCluster on Apache Kafka (3 nodes)', () => {
  it('runs with the fault settings, every broker reachable', () => {
    expect(kafka.brokerIds).toEqual([1, 2, 3]);
    expect(kafka.brokerConfig).toMatchObject(FAULT_DEMO_BROKER_CONFIG);
    for (const id of kafka.brokerIds) expect(kafka.broker(id)).toMatchObject({ id, state: 'running' });
  });

  it('a killed leader is replaced from the ISR in a higher epoch, and rejoins after restart', async () => {
    await leaderMovesWhenKilled(kafka);
  }, 120_000);

  it('pause freezes a broker and resume thaws it', () => {
    kafka.pause(2);
    expect(kafka.broker(2).state).toBe('paused');
    expect(() => kafka.pause(2)).toThrow(/paused/);
    kafka.resume(2);
    expect(kafka.broker(2).state).toBe('running');
  });
});

describe('DemoCluster on kq', () => {
  it('starts 3 kq brokers, or says the KRaft controller is what is missing', async () => {
    let cluster: KqDemoCluster | undefined;
    try {
      cluster = await KqDemoCluster.start(3, FAULT_DEMO_BROKER_CONFIG);
    } catch (error) {
      // Until issue 11's controller lands, KafkaCluster refuses several child brokers and names the reason.
      expect(String(error)).toMatch(/KRaft (controller|quorum)/);
      return;
    }
    try {
      await leaderMovesWhenKilled(cluster);
    } finally {
      await cluster.close();
    }
  }, 120_000);
});
