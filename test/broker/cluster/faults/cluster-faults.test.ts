import { Kafka } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../../src/broker/client/raw-kafka-client.js';
import { waitUntilTopicServed } from '../../../../src/broker/client/topic-readiness.js';
import { parseFault } from '../../../../src/broker/cluster/faults/fault.js';
import type { KafkaCluster } from '../../../../src/broker/cluster/kafka-cluster.js';
import type { NodeDescription } from '../../../../src/broker/cluster/kafka-cluster.js';
import { ApiKey } from '../../../../src/broker/protocol/api-keys.js';
import { decodeResponseFrame } from '../../../../src/broker/protocol/frames.js';
import { waitUntil } from '../../../../src/broker/utils/wait-until.js';
import { quorumFromStateFiles } from '../../../../src/demo/demo-cluster.js';
import { startChildProcessCluster, failoverKafkaClient } from '../../support/child-process-cluster.js';

/** Over FAST_KRAFT (fenced after 1 s): a follower leaves the ISR after 1 s without fetching. */
const NODE_CONFIG = {
  'replica.lag.time.max.ms': 1000,
};

let cluster: KafkaCluster | undefined;
const raw: RawKafkaClient[] = [];
const clients: Array<Admin | Producer> = [];
afterEach(async () => {
  for (const c of raw.splice(0)) c.close();
  for (const c of clients.splice(0)) await c.disconnect();
  await cluster?.close();
  cluster = undefined;
});

async function startCluster(brokers: number, config: Record<string, number> = {}): Promise<KafkaCluster> {
  cluster = await startChildProcessCluster({
    brokers,
    fastKraft: brokers > 1,
    faults: { seed: 7 },
    config,
  });
  return cluster;
}

async function connect(port: number): Promise<RawKafkaClient> {
  const client = await RawKafkaClient.connect(port);
  raw.push(client);
  return client;
}

function kafkaOf(c: KafkaCluster): Kafka {
  return failoverKafkaClient(c, 'cluster-faults-test', 30);
}

async function describeUntil(c: KafkaCluster, done: (nodes: NodeDescription[]) => boolean, what: string) {
  let nodes: NodeDescription[] = [];
  await waitUntil(async () => done((nodes = await c.describe())), what, 20_000, {
    detail: () =>
      JSON.stringify(nodes.map((n) => [n.id, n.state, n.partitions.map((p) => [p.topic, p.leader, p.isr])])),
    everyMs: 50,
  });
  return nodes;
}

describe('link faults through the transport proxy in front of each node', () => {
  it('holds frames on a cut link and lets them through when it heals; delays and drops them on a bad one', async () => {
    const c = await startCluster(1);
    const client = await connect(c.info()[0]!.port);
    await client.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'kq', clientSoftwareVersion: '1' });

    await c.faults.inject(parseFault('cut 1 clients'));
    const sent = client.send(ApiKey.ApiVersions, 3, { clientSoftwareName: 'kq', clientSoftwareVersion: '1' });
    await expect(client.nextFrame(400, 'an answer through a cut link')).rejects.toThrow(/an answer through a cut link/);
    await c.faults.heal(parseFault('cut 1 clients'));
    const held = decodeResponseFrame(ApiKey.ApiVersions, 3, await client.nextFrame(5000, 'the held answer'));
    expect(held.correlationId).toBe(sent);

    await c.faults.inject(parseFault('delay 1 clients 150'));
    const before = Date.now();
    await client.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'kq', clientSoftwareVersion: '1' });
    // 150 ms on the way in and 150 ms on the way out.
    expect(Date.now() - before).toBeGreaterThanOrEqual(295);
    expect(c.faults.counters(1, 'clients').delayed).toBeGreaterThanOrEqual(2);
    await c.faults.heal(parseFault('delay 1 clients 150'));

    await c.faults.inject(parseFault('drop 1 clients 1'));
    await expect(
      client.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'kq', clientSoftwareVersion: '1' }, 400),
    ).rejects.toThrow(/response/);
    expect(c.faults.counters(1, 'clients').dropped).toBe(1);
    await c.faults.healAll();
    const fresh = await connect(c.info()[0]!.port);
    await fresh.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'kq', clientSoftwareVersion: '1' });
    expect(c.faults.log.map((e) => e.text)).toEqual([
      'inject link node 1 <-> clients: cut',
      'heal link node 1 <-> clients: cut',
      'inject link node 1 <-> clients: delay 150 ms',
      'heal link node 1 <-> clients: delay 150 ms',
      'inject link node 1 <-> clients: drop 1',
      'heal link node 1 <-> clients: drop 1',
    ]);
  }, 60_000);

  it('a cut between the leader and a follower takes the follower out of the ISR; healed, it rejoins (real nodes, Raft over the proxies)', async () => {
    const c = await startCluster(3, NODE_CONFIG);
    const kafka = kafkaOf(c);
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: 'cut', numPartitions: 1, replicationFactor: 3 }],
      waitForLeaders: false,
    });
    await waitUntilTopicServed(c.bootstrap, ['cut']);
    const leaderView = (nodes: NodeDescription[]) =>
      nodes.flatMap((n) => n.partitions).find((p) => p.topic === 'cut' && p.role === 'leader');
    const start = leaderView(await describeUntil(c, (n) => leaderView(n)?.isr.length === 3, 'an ISR of 3'))!;
    // The cut must not part the partition leader from the active controller: with pre-vote (KIP-996) a voter cut
    // from the quorum's leader stays a prospective (the third voter still hears the leader and says no), so the
    // partition leader could not reach the controller with its AlterPartition; its session would expire instead
    // and the controller, on the far side of the cut, would elect itself leader. So: a follower that is not the
    // active controller (when the partition leader is the controller, either follower will do).
    const controller = quorumFromStateFiles(c.info().map((n) => n.dataDir))?.leaderId ?? -1;
    const follower = start.replicas.find((r) => r !== start.leader && r !== controller)!;

    await c.faults.inject({ kind: 'link', a: start.leader, b: follower, fault: { kind: 'cut' } });
    await describeUntil(
      c,
      (n) => {
        // Not always exactly [leader, other]: when the leader is the controller the cut also parts two Raft
        // voters, and the cut follower may be fenced (its heartbeats cannot cross) as well as shrunk away.
        const p = leaderView(n);
        return p !== undefined && !p.isr.includes(follower);
      },
      `node ${follower} to leave the ISR while cut from the leader`,
    );
    await c.faults.heal({ kind: 'link', a: start.leader, b: follower, fault: { kind: 'cut' } });
    await describeUntil(c, (n) => leaderView(n)?.isr.length === 3, `node ${follower} to rejoin the ISR after the heal`);

    // A slow follower: its Fetch requests reach the leader late (counted as delayed at the leader's proxy).
    const now = leaderView(await c.describe())!;
    const slow = now.replicas.find((r) => r !== now.leader)!;
    const delayedBefore = c.faults.counters(now.leader, slow).delayed;
    await c.faults.inject({ kind: 'slow-follower', node: slow, ms: 100 });
    await waitUntil(
      () => c.faults.counters(now.leader, slow).delayed >= delayedBefore + 3,
      `three of node ${slow}'s fetches delayed at node ${now.leader}'s proxy`,
      10_000,
    );
    await c.faults.healAll();
  }, 120_000);
});

describe('power loss: every file loses what was written since its last fsync', () => {
  it('a SIGKILL keeps unsynced records (the OS has them), a power loss loses exactly those; flush.messages=1 loses none', async () => {
    const c = await startCluster(1);
    const kafka = kafkaOf(c);
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: 'cached', numPartitions: 1 },
        { topic: 'synced', numPartitions: 1, configEntries: [{ name: 'flush.messages', value: '1' }] },
      ],
      waitForLeaders: true,
    });
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    clients.push(producer);
    await producer.connect();
    const send = async (topic: string, from: number, n: number) => {
      for (let i = from; i < from + n; i++) await producer.send({ topic, acks: 1, messages: [{ value: `v${i}` }] });
    };
    const ends = async () => {
      const out: Record<string, string | undefined> = {};
      for (const topic of ['cached', 'synced']) out[topic] = (await admin.fetchTopicOffsets(topic))[0]?.high;
      return out;
    };
    await send('cached', 0, 10);
    await send('synced', 0, 10);
    expect(await c.unsyncedFiles(1)).toEqual(expect.arrayContaining([expect.stringMatching(/cached-0\/0+\.log$/)]));

    await c.faults.inject({ kind: 'kill', node: 1 });
    await c.faults.heal({ kind: 'kill', node: 1 });
    expect(await ends()).toEqual({ cached: '10', synced: '10' });

    // Recovery after the SIGKILL fsynced what it recovered; the next 10 records are in the page cache only.
    await send('cached', 10, 10);
    await send('synced', 10, 10);
    await c.faults.inject({ kind: 'power-loss', node: 1 });
    expect(c.info()[0]!.state).toBe('killed');
    await c.faults.heal({ kind: 'power-loss', node: 1 });
    expect(await ends()).toEqual({ cached: '10', synced: '20' });
  }, 90_000);
});

describe('slow disk', () => {
  it('delays every append by the asked time, and stops when healed', async () => {
    const c = await startCluster(1);
    const kafka = kafkaOf(c);
    const producer = kafka.producer();
    clients.push(producer);
    await producer.connect();
    await producer.send({ topic: 'disk', acks: 1, messages: [{ value: 'warm-up' }] });
    await c.faults.inject({ kind: 'slow-disk', node: 1, ms: 300 });
    const before = Date.now();
    await producer.send({ topic: 'disk', acks: 1, messages: [{ value: 'slow' }] });
    expect(Date.now() - before).toBeGreaterThanOrEqual(300);
    await c.faults.heal({ kind: 'slow-disk', node: 1, ms: 300 });
    expect(c.faults.active()).toEqual([]);
  }, 60_000);
});
