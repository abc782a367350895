import { afterEach, describe, expect, it } from 'vitest';
import type { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import {
  createTopics,
  idempotentBatchOf,
  initProducerId,
  produce,
} from '../../../src/broker/client/request-builders.js';
import { waitUntilTopicServed } from '../../../src/broker/client/topic-readiness.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { startChildProcessCluster } from '../support/child-process-cluster.js';

/** Over FAST_KRAFT: fenced after 2 s without heartbeats (a loaded machine can stall a live node past 1 s). */
const NODE_CONFIG = {
  'broker.session.timeout.ms': 2000,
};

let cluster: KafkaCluster | undefined;
const clients: RawKafkaClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await cluster?.close();
  cluster = undefined;
});

describe('idempotent producer state across a leader SIGKILL (3 child processes, controller-elected leader)', () => {
  it('the new leader knows the producer from the replicated log: a retried batch gets its original offset, a sequence gap is OUT_OF_ORDER_SEQUENCE_NUMBER, the next sequence is appended', async () => {
    cluster = await startChildProcessCluster({
      config: NODE_CONFIG,
    });
    const c = cluster;
    const ports = new Map(c.info().map((n) => [n.id, n.port]));
    const connect = async (id: number) => {
      const client = await RawKafkaClient.connect(ports.get(id)!);
      clients.push(client);
      return client;
    };
    const admin = await connect(1);
    const created = await admin.request(
      ApiKey.CreateTopics,
      7,
      createTopics([
        { name: 'orders', numPartitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      ]),
    );
    expect(created.topics[0]?.errorCode).toBe(ErrorCode.NONE);
    await waitUntilTopicServed(c.bootstrap, ['orders']);
    const leaderOf = async () =>
      (await c.describe())
        .filter((n) => n.state === 'running')
        .find((n) => n.partitions.some((p) => p.topic === 'orders' && p.role === 'leader'))?.id;
    const oldLeader = (await leaderOf())!;
    expect(oldLeader).toBeDefined();

    const { producerId, errorCode } = await admin.request(ApiKey.InitProducerId, 4, initProducerId());
    expect(errorCode).toBe(ErrorCode.NONE);
    const batch = (seq: number) => idempotentBatchOf([`v${seq}`], { producerId, baseSequence: seq });
    const send = async (client: RawKafkaClient, seq: number) =>
      (await client.request(ApiKey.Produce, 8, produce('orders', batch(seq), { acks: -1 }), 10_000)).responses[0]!
        .partitions[0]!;
    const toOld = await connect(oldLeader);
    for (let seq = 0; seq < 4; seq++)
      expect(await send(toOld, seq)).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: BigInt(seq) });

    // Every replica has all four batches (acks=-1 answered once the ISR had them); the leader dies.
    await c.kill(oldLeader);
    let newLeader: number | undefined;
    await waitUntil(
      async () => {
        newLeader = await leaderOf();
        return newLeader !== undefined && newLeader !== oldLeader;
      },
      'a surviving replica to lead orders-0',
      30_000,
      { everyMs: 100 },
    );
    const toNew = await connect(newLeader!);

    // The retry of seq 3 (its acknowledgement "lost" with the old leader) is recognised, not stored again.
    expect(await send(toNew, 3)).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 3n });
    // A gap after the last sequence the replicated state holds (3) is refused, nothing appended.
    expect(await send(toNew, 5)).toMatchObject({ errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    // The next sequence is appended right after the four.
    expect(await send(toNew, 4)).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 4n });
    const snapshot = (await c.describe())
      .find((n) => n.id === newLeader)!
      .partitions.find((p) => p.topic === 'orders')!;
    expect(snapshot).toMatchObject({ role: 'leader', logEndOffset: 5n });
    expect(snapshot.leaderEpoch).toBeGreaterThan(0);
  }, 120_000);
});
