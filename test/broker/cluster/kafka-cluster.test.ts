import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { batchOf, createTopics, produce } from '../../../src/broker/client/request-builders.js';
import { KafkaCluster, KafkaClusterConfigError } from '../../../src/broker/cluster/kafka-cluster.js';
import type { NodeDescription } from '../../../src/broker/cluster/kafka-cluster.js';
import { kqBin } from '../support/broker-process.js';
import { ControllerDouble } from '../support/controller-double.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

let cluster: KafkaCluster | undefined;
const clients: RawKafkaClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await cluster?.close();
  cluster = undefined;
});

async function connect(port: number): Promise<RawKafkaClient> {
  const client = await RawKafkaClient.connect(port);
  clients.push(client);
  return client;
}

/** Polls describe() until `done` holds (bounded), and returns that description. */
async function describeUntil(
  c: KafkaCluster,
  done: (nodes: NodeDescription[]) => boolean,
  timeoutMs = 10_000,
): Promise<NodeDescription[]> {
  let nodes: NodeDescription[] = [];
  await waitUntil(async () => done((nodes = await c.describe())), 'the cluster to converge', timeoutMs, {
    detail: () => JSON.stringify(nodes, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}` : v)),
    everyMs: 20,
  });
  return nodes;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('KafkaCluster (in-process, controller double)', () => {
  it('describes every node’s replicas: leader and followers, LEO, HW, ISR and the leader’s view of each follower', async () => {
    const controller = new ControllerDouble();
    cluster = await KafkaCluster.start({
      brokers: 3,
      controlPlane: controller,
      config: { 'replica.fetch.wait.max.ms': 50 },
    });
    expect(cluster.info().map((n) => [n.id, n.state, n.dataDir.endsWith(`node-${n.id}`)])).toEqual([
      [1, 'running', true],
      [2, 'running', true],
      [3, 'running', true],
    ]);
    controller.createTopic('orders', [[2, 3, 1]]);
    const leader = await connect(cluster.info()[1]!.port);
    const response = await leader.request(ApiKey.Produce, 8, produce('orders', batchOf(['a', 'b'])));
    expect(response.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
    const nodes = await describeUntil(cluster, (ns) => ns.every((n) => n.partitions[0]?.highWatermark === 2n));
    const byNode = Object.fromEntries(nodes.map((n) => [n.id, n.partitions[0]!]));
    expect(byNode[2]).toMatchObject({ role: 'leader', leader: 2, leaderEpoch: 0, isr: [2, 3, 1], logEndOffset: 2n });
    expect(byNode[2]!.followers.map((f) => [f.brokerId, f.logEndOffset])).toEqual([
      [3, 2n],
      [1, 2n],
    ]);
    expect(byNode[1]).toMatchObject({ role: 'follower', leader: 2, replicas: [2, 3, 1], outOfSync: [] });
    expect(cluster.controllerImage?.partition('orders', 0)?.leader).toBe(2);
  });

  it('restarts a stopped node on the same port and data dir', async () => {
    cluster = await KafkaCluster.start({ brokers: 2, controlPlane: new ControllerDouble() });
    const before = cluster.info()[1]!;
    await cluster.stop(2);
    expect(cluster.info()[1]!.state).toBe('stopped');
    await cluster.start(2);
    expect(cluster.info()[1]).toMatchObject({ state: 'running', port: before.port, dataDir: before.dataDir });
  });

  it.each([
    [{ brokers: 0 }, /1 to 5/],
    [{ brokers: 6 }, /1 to 5/],
    [{ brokers: 1, mode: 'child-process' as const }, /nodeCommand/],
  ])('refuses %o', async (options, message) => {
    await expect(KafkaCluster.start(options)).rejects.toThrow(KafkaClusterConfigError);
    await expect(KafkaCluster.start(options)).rejects.toThrow(message);
  });
});

describe('KafkaCluster (child-process node)', () => {
  it('pauses, resumes, kills and restarts a node; its data survives SIGKILL and close() leaves no process', async () => {
    cluster = await KafkaCluster.start({
      brokers: 1,
      mode: 'child-process',
      nodeCommand: [process.execPath, kqBin, 'broker'],
    });
    const [node] = cluster.info();
    expect(node).toMatchObject({ id: 1, state: 'running' });
    expect(isAlive(node!.pid)).toBe(true);
    const client = await connect(node!.port);
    const created = await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'orders' }]));
    expect(created.topics[0]!.errorCode).toBe(ErrorCode.NONE);
    const first = await client.request(ApiKey.Produce, 8, produce('orders', batchOf(['kept']), { acks: 1 }));
    expect(first.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);

    cluster.pause(1);
    expect(cluster.info()[0]!.state).toBe('paused');
    // A frozen node answers nothing; after SIGCONT the same connection gets its answer.
    client.send(ApiKey.Produce, 8, produce('orders', batchOf(['while-paused']), { acks: 1 }));
    expect(client.pendingFrames).toBe(0);
    cluster.resume(1);
    await client.nextFrame(10_000, 'the produce sent while paused');

    await cluster.kill(1);
    expect(cluster.info()[0]!.state).toBe('killed');
    expect(isAlive(node!.pid)).toBe(false);
    await cluster.start(1);
    const restarted = cluster.info()[0]!;
    expect(restarted).toMatchObject({ state: 'running', port: node!.port });
    const described = await cluster.describe();
    expect(described[0]!.partitions.map((p) => [p.topic, p.role, p.logEndOffset])).toEqual([['orders', 'leader', 2n]]);
    await cluster.close();
    expect(isAlive(restarted.pid)).toBe(false);
  });
});
