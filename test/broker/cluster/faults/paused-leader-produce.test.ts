import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../../src/broker/client/raw-kafka-client.js';
import { batchOf, produce } from '../../../../src/broker/client/request-builders.js';
import type { KafkaCluster, NodeDescription } from '../../../../src/broker/cluster/kafka-cluster.js';
import type { PartitionSnapshot } from '../../../../src/broker/cluster/partition-snapshot.js';
import { ApiKey } from '../../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../../src/broker/protocol/error-codes.js';
import { waitUntil, withTimeout } from '../../../../src/broker/utils/wait-until.js';
import { createReplicatedTopic, startChildProcessCluster } from '../../support/child-process-cluster.js';

/**
 * Kafka's DelayedProduce answers every parked acks=all produce: when the high watermark passes it, when the
 * leadership moves (NOT_LEADER_OR_FOLLOWER), or at its timeout (REQUEST_TIMED_OUT). The fault campaign saw a
 * kafkajs send that never settled after a leader was SIGSTOPped and SIGCONTed; this checks kq's side of it on
 * real processes: a produce parked when the freeze came, and one that arrived during it, are both answered.
 */
const PRODUCE_TIMEOUT_MS = 500;
/** Over FAST_KRAFT (fenced after 1 s without heartbeats): followers stay in the ISR while they are slowed. */
const NODE_CONFIG = { 'replica.lag.time.max.ms': 60_000 };

let cluster: KafkaCluster | undefined;
const raw: RawKafkaClient[] = [];
let admin: Admin | undefined;
afterEach(async () => {
  for (const c of raw.splice(0)) c.close();
  await admin?.disconnect();
  admin = undefined;
  await cluster?.close();
  cluster = undefined;
});

async function connect(port: number): Promise<RawKafkaClient> {
  const client = await RawKafkaClient.connect(port);
  raw.push(client);
  return client;
}

function replicaOf(nodes: readonly NodeDescription[], id: number): PartitionSnapshot | undefined {
  return nodes.find((n) => n.id === id)?.partitions.find((p) => p.topic === 'parked' && p.partition === 0);
}

async function describeUntil(c: KafkaCluster, done: (nodes: NodeDescription[]) => boolean, what: string) {
  let nodes: NodeDescription[] = [];
  await waitUntil(async () => done((nodes = await c.describe())), what, 30_000, {
    everyMs: 50,
    detail: () =>
      JSON.stringify(
        nodes.map((n) => [n.id, n.state, replicaOf(nodes, n.id)]),
        (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
      ),
  });
  return nodes;
}

function sendParked(client: RawKafkaClient, value: string): Promise<number> {
  const request = { ...produce('parked', batchOf([value]), { acks: -1 }), timeoutMs: PRODUCE_TIMEOUT_MS };
  return client
    .request(ApiKey.Produce, 8, request, 60_000)
    .then((response) => response.responses[0]!.partitions[0]!.errorCode);
}

describe('acks=all produces parked on a leader that is frozen (SIGSTOP) past their timeout', () => {
  it('are all answered after SIGCONT: REQUEST_TIMED_OUT or NOT_LEADER_OR_FOLLOWER, never silence', async () => {
    const c = (cluster = await startChildProcessCluster({ faults: { seed: 4 }, config: NODE_CONFIG }));
    admin = new Kafka({
      clientId: 'paused-leader',
      brokers: c.bootstrap.split(','),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await createReplicatedTopic(admin, c, 'parked');
    const leaderOf = (nodes: NodeDescription[]) =>
      nodes.flatMap((n) => n.partitions).find((p) => p.topic === 'parked' && p.role === 'leader');
    const start = leaderOf(await describeUntil(c, (n) => leaderOf(n)?.isr.length === 3, 'an ISR of 3'))!;
    const leader = start.leader;
    const followers = start.replicas.filter((r) => r !== leader);

    // Both followers' replica fetches reach the leader a minute late: the high watermark cannot pass a new batch.
    for (const node of followers) await c.faults.inject({ kind: 'slow-follower', node, ms: 60_000 });
    const port = c.info().find((n) => n.id === leader)!.port;
    const parked = sendParked(await connect(port), 'parked-before-the-freeze');
    await describeUntil(
      c,
      (n) => replicaOf(n, leader)?.logEndOffset === 1n && replicaOf(n, leader)?.highWatermark === 0n,
      'the leader to append the acks=all batch and park it (high watermark still 0)',
    );

    c.pause(leader);
    const pausedAt = Date.now();
    // Sent while the leader is frozen: the bytes wait in its socket until SIGCONT (a second connection, since
    // the first is busy with the parked produce).
    const duringFreeze = sendParked(await connect(port), 'sent-during-the-freeze');
    // Frozen until the others have fenced it and elected a new leader: at least broker.session.timeout.ms (1 s),
    // past the produces' 500 ms timeout.
    await describeUntil(
      c,
      (n) =>
        followers.some(
          (id) => replicaOf(n, id)?.role === 'leader' && replicaOf(n, id)!.leaderEpoch > start.leaderEpoch,
        ),
      'a follower to be elected leader while the old one is frozen',
    );
    expect(Date.now() - pausedAt).toBeGreaterThan(PRODUCE_TIMEOUT_MS);
    c.resume(leader);

    const answered = [ErrorCode.REQUEST_TIMED_OUT, ErrorCode.NOT_LEADER_OR_FOLLOWER];
    expect(answered).toContain(
      await withTimeout(parked, 'the produce parked before the freeze to be answered', 30_000),
    );
    expect(answered).toContain(
      await withTimeout(duringFreeze, 'the produce sent during the freeze to be answered', 30_000),
    );
    await c.faults.healAll();
  }, 180_000);
});
