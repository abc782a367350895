import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import type { KRaftControlPlane } from '../../../src/broker/cluster/kraft-control-plane.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { formatWhy } from '../../../src/broker/why/why-log.js';
import type { WhyEvent } from '../../../src/broker/why/why-log.js';

/**
 * The why log of an in-process 5-node KRaft cluster through an unclean election: every step — the ISR shrinking
 * when a follower dies, the fencing, the offline partition, the unclean election and its rule, the old leader's
 * truncation with the acknowledged records it loses counted — is an event naming its config or KIP, in both
 * languages.
 */
const FAST_CLUSTER = {
  'broker.heartbeat.interval.ms': 100,
  'broker.session.timeout.ms': 1500,
  'replica.fetch.wait.max.ms': 50,
  'replica.fetch.backoff.ms': 50,
  'replica.lag.time.max.ms': 1000,
};

let cluster: KafkaCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

const plane = (c: KafkaCluster) => c.controlPlane as KRaftControlPlane;

async function produce(c: KafkaCluster, topic: string, values: string[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'why-log',
    brokers: c.bootstrap.split(','),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, retries: 20 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const value of values) await producer.send({ topic, acks: -1, timeout: 5000, messages: [{ value }] });
  } finally {
    await producer.disconnect();
  }
}

const find = (events: WhyEvent[], kind: WhyEvent['kind'], match: (e: WhyEvent) => boolean = () => true) =>
  events.find((e) => e.kind === kind && match(e));

describe('the why log', () => {
  it('explains an unclean election step by step and counts the acknowledged records it lost', async () => {
    // Five voters: the metadata quorum keeps its majority while the partition's two replicas are both down.
    cluster = await KafkaCluster.start({ brokers: 5, config: FAST_CLUSTER });
    const c = cluster;
    const created = await plane(c).activeControllerApis.createTopics({
      topics: [
        {
          name: 'lossy',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [2, 3] }],
          configs: [{ name: 'unclean.leader.election.enable', value: 'true' }],
        },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });
    expect(created.topics[0]?.errorCode).toBe(0);
    await waitUntil(() => c.broker(3).partition('lossy', 0)?.leaderId === 2, 'broker 3 follows leader 2', 20_000);
    await produce(c, 'lossy', ['a', 'b', 'c', 'd', 'e']);

    await waitUntil(() => c.broker(3).partition('lossy', 0)?.logEndOffset === 5n, 'broker 3 holds the 5', 20_000);
    await c.kill(3); // the follower dies: fenced, out of the ISR
    await waitUntil(
      () => c.controllerImage?.partition('lossy', 0)?.isr.join() === '2',
      'the ISR shrinks to [2]',
      20_000,
    );
    await produce(c, 'lossy', ['f', 'g', 'h', 'i', 'j', 'k', 'l']); // acknowledged by the ISR [2] alone

    await c.kill(2); // the last ISR member dies: nobody live may lead cleanly
    await waitUntil(
      () => c.controllerImage?.partition('lossy', 0)?.leader === -1,
      'the partition goes offline',
      20_000,
    );
    await c.start(3); // the out-of-sync replica comes back and the topic allows an unclean election
    await waitUntil(() => c.controllerImage?.partition('lossy', 0)?.leader === 3, 'broker 3 is elected', 20_000);
    await c.start(2); // the old leader returns and truncates to the new leader
    await waitUntil(() => c.broker(2).partition('lossy', 0)?.logEndOffset === 5n, 'broker 2 truncated to 5', 20_000);

    const events = c.why();
    const fenced = find(events, 'broker-fenced', (e) => e.data.brokerId === 3);
    expect(fenced).toMatchObject({ rule: 'broker.session.timeout.ms' });
    expect(find(events, 'isr-committed', (e) => e.partition === 'lossy-0' && String(e.data.isr) === '2')).toBeDefined();
    expect(find(events, 'election', (e) => e.partition === 'lossy-0' && e.data.leader === -1)).toMatchObject({
      rule: 'unclean.leader.election.enable=false',
      data: { electionRule: 'no-eligible-leader' },
    });
    const unclean = find(events, 'election', (e) => e.partition === 'lossy-0' && e.data.unclean === true);
    expect(unclean).toMatchObject({
      rule: 'unclean.leader.election.enable',
      data: {
        leader: 3,
        isr: [3],
        // eligible.leader.replicas.version=1 (kq's default, as Kafka 4.4): the last ISR member 2 died into the ELR
        previousIsr: [],
        previousElr: [2],
        electionRule: 'unclean-first-live-replica',
        cause: 'broker-unfenced',
      },
    });
    expect(unclean!.text.en).toContain('acknowledged records it lacks are lost');
    expect(unclean!.text.en).toContain('nor of the ELR [2]');
    expect(unclean!.text.zh).toContain('unclean 选举');
    const truncation = find(events, 'truncation', (e) => e.partition === 'lossy-0' && e.node === 2);
    expect(truncation).toMatchObject({
      rule: 'KIP-101 / KIP-279 OffsetsForLeaderEpoch',
      data: { from: '12', to: '5', removed: 7, acknowledgedLost: 7 },
    });
    expect(formatWhy(truncation!)).toMatch(
      /^why: node 2 lossy-0 truncation: truncated 12 → 5, 7 record\(s\) removed .*7 of them/,
    );
    // Every event names its rule and says it in both languages.
    for (const e of events) {
      expect(e.rule.length, JSON.stringify(e)).toBeGreaterThan(0);
      expect(e.text.zh.length * e.text.en.length, JSON.stringify(e)).toBeGreaterThan(0);
    }
  });
});
