import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaCluster } from '../../src/broker/cluster/kafka-cluster.js';
import { RawKafkaClient } from '../../src/broker/client/raw-kafka-client.js';
import { createTopics, fetch } from '../../src/broker/client/request-builders.js';
import { waitUntilTopicServed } from '../../src/broker/client/topic-readiness.js';
import { ApiKey } from '../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../src/broker/protocol/error-codes.js';
import { readBatchAt } from '../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../src/broker/record/record-decoder.js';
import { waitUntil } from '../../src/broker/utils/wait-until.js';
import { JavaClient } from './run-java.js';
import type { JvmSession } from './run-jvm.js';
import { startChildProcessCluster } from '../broker/support/child-process-cluster.js';

/**
 * Over FAST_KRAFT: fenced after 2 s without heartbeats. 2 s rather than 1 s: under the
 * full suite's load a live node can miss a 1 s session, which would only add leader changes, not lose records.
 */
const NODE_CONFIG = {
  'broker.session.timeout.ms': 2000,
};
const TOPIC = 'orders';
const PARTITIONS = 3;
const TOTAL = 200;

let java: JavaClient;
let cluster: KafkaCluster | undefined;
const jvms: JvmSession[] = [];
beforeAll(() => {
  java = JavaClient.compile();
}, 180_000);
afterEach(async () => {
  for (const jvm of jvms.splice(0)) jvm.kill();
  await cluster?.close();
  cluster = undefined;
});
afterAll(() => {
  for (const jvm of jvms.splice(0)) jvm.kill();
});

interface Ack {
  index: number;
  partition: number;
  offset: number;
}

/** `ack INDEX PARTITION OFFSET` lines of KqInterop produce-lines. */
function acksIn(lines: readonly string[]): Ack[] {
  return lines
    .filter((l) => l.startsWith('ack '))
    .map((l) => {
      const [, index, partition, offset] = l.split(' ').map(Number);
      return { index: index!, partition: partition!, offset: offset! };
    });
}

/** One replica's records of a partition as `offset:value`, read with a consumer's Fetch (v11+ may read a follower) up to its high watermark. */
async function replicaRecords(port: number, partition: number): Promise<{ highWatermark: bigint; records: string[] }> {
  const client = await RawKafkaClient.connect(port);
  try {
    const response = await client.request(ApiKey.Fetch, 12, fetch(TOPIC, 0n, { partition, maxBytes: 4 << 20 }), 5000);
    const part = response.responses[0]!.partitions[0]!;
    if (part.errorCode !== ErrorCode.NONE)
      throw new Error(`partition ${partition} on port ${port}: error ${part.errorCode}`);
    const records: string[] = [];
    const bytes = part.records ?? Buffer.alloc(0);
    for (let at = 0; at < bytes.length;) {
      const batch = readBatchAt(bytes, at);
      if (batch instanceof Error) throw batch;
      if (!batch.isControl) records.push(...decodeRecords(batch).map((r) => `${r.offset}:${r.value!.toString()}`));
      at += batch.sizeInBytes;
    }
    return { highWatermark: part.highWatermark, records };
  } finally {
    client.close();
  }
}

describe('Java kafka-clients through a leader SIGKILL on a kq cluster (3 child processes, RF=3, min.insync.replicas=2)', () => {
  it('the default producer (acks=all, idempotence on) and a group consumer keep working: every acknowledged record is stored once, in order, on every survivor, and consumed', async () => {
    cluster = await startChildProcessCluster({
      config: NODE_CONFIG,
    });
    const c = cluster;
    const ports = new Map(c.info().map((n) => [n.id, n.port]));
    const admin = await RawKafkaClient.connect(ports.get(1)!);
    const created = await admin.request(
      ApiKey.CreateTopics,
      7,
      createTopics([
        { name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
      ]),
    );
    admin.close();
    expect(created.topics[0]?.errorCode).toBe(ErrorCode.NONE);
    await waitUntilTopicServed(c.bootstrap, [TOPIC]);

    const consumer = java.start([c.bootstrap, 'consume-lines', TOPIC, 'java-failover', String(TOTAL)]);
    const producer = java.start([c.bootstrap, 'produce-lines', TOPIC]);
    jvms.push(consumer, producer);
    const state = () =>
      `producer printed ${producer.lines.length} lines (last: ${producer.lines.at(-1) ?? '-'}), consumer ${consumer.lines.length}`;

    for (let i = 0; i < 100; i++) producer.writeLine(`v${i}`);
    await waitUntil(() => acksIn(producer.lines).length === 100, 'the first 100 records acknowledged', 90_000, {
      detail: state,
      everyMs: 50,
    });

    // The leader of partition 0 dies while the next records are in flight; the last 50 are sent after the kill,
    // while the producer's metadata still names the dead node.
    const leaderOf = async (partition: number) =>
      (await c.describe())
        .filter((n) => n.state === 'running')
        .find((n) => n.partitions.some((p) => p.topic === TOPIC && p.partition === partition && p.role === 'leader'))
        ?.id;
    const victim = await leaderOf(0);
    expect(victim).toBeDefined();
    for (let i = 100; i < 150; i++) producer.writeLine(`v${i}`);
    await c.kill(victim!);
    for (let i = 150; i < TOTAL; i++) producer.writeLine(`v${i}`);
    producer.endInput();

    const produced = await producer.exited;
    expect(
      { code: produced.code, summary: produced.stdout.trim().split('\n').pop() },
      produced.stderr.slice(-2000),
    ).toEqual({
      code: 0,
      summary: `{"sent":${TOTAL},"acked":${TOTAL},"failed":0}`,
    });
    const acks = acksIn(producer.lines);
    expect(acks).toHaveLength(TOTAL);
    // Per partition, acknowledgements come in send order with rising offsets: idempotence kept order, no reuse.
    for (let p = 0; p < PARTITIONS; p++) {
      const mine = acks.filter((a) => a.partition === p);
      for (let i = 1; i < mine.length; i++) {
        expect(mine[i]!.index).toBeGreaterThan(mine[i - 1]!.index);
        expect(mine[i]!.offset).toBe(mine[i - 1]!.offset + 1);
      }
    }
    const newLeader = await leaderOf(0);
    expect(newLeader).toBeDefined();
    expect(newLeader).not.toBe(victim);

    // Every survivor's replica of every partition holds exactly the acknowledged records at their offsets.
    const expected = (p: number) =>
      acks
        .filter((a) => a.partition === p)
        .sort((a, b) => a.offset - b.offset)
        .map((a) => `${a.offset}:v${a.index}`);
    const survivors = [...ports.keys()].filter((id) => id !== victim);
    for (const id of survivors)
      for (let p = 0; p < PARTITIONS; p++) {
        const want = expected(p);
        await waitUntil(
          async () => (await replicaRecords(ports.get(id)!, p).catch(() => undefined))?.records.length === want.length,
          `node ${id}'s replica of ${TOPIC}-${p} to reach its high watermark of ${want.length}`,
          30_000,
          { everyMs: 100 },
        );
        expect((await replicaRecords(ports.get(id)!, p)).records, `node ${id}, partition ${p}`).toEqual(want);
      }

    // The group consumer read every acknowledged record; a record seen twice (a rewind to a commit made before the
    // coordinator moved) never breaks offset order in its first sighting.
    const consumed = await consumer.exited;
    expect(
      { code: consumed.code, summary: consumed.stdout.trim().split('\n').pop() },
      consumed.stderr.slice(-2000),
    ).toMatchObject({ code: 0 });
    const summary = JSON.parse(consumed.stdout.trim().split('\n').pop()!) as { distinct: number };
    expect(summary.distinct).toBe(TOTAL);
    const seen = new Map<number, string[]>();
    for (const line of consumer.lines.filter((l) => l.startsWith('rec '))) {
      const [, partition, offset, value] = line.split(' ');
      const list = seen.get(Number(partition)) ?? [];
      const record = `${offset}:${value}`;
      if (!list.includes(record)) list.push(record);
      seen.set(Number(partition), list);
    }
    for (let p = 0; p < PARTITIONS; p++) expect(seen.get(p) ?? [], `consumed from partition ${p}`).toEqual(expected(p));
  }, 300_000);
});
