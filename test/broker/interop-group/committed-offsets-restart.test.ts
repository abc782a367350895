import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBrokerProcess, type BrokerProcess } from '../support/broker-process.js';
import { GroupTestKit, kafkaFor, messages } from './group-test-kit.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

let dataDir: string;
let kit: GroupTestKit | undefined;
const processes: BrokerProcess[] = [];
const clients: Array<Admin | Producer | Consumer> = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kq-group-restart-'));
});

afterEach(async () => {
  for (const c of clients.splice(0).reverse()) await c.disconnect();
  await kit?.close();
  kit = undefined;
  for (const p of processes.splice(0)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** Consumes `topic` as member of `groupId`, committing each message; returns what it saw. */
async function consume(kafka: Kafka, groupId: string, topic: string): Promise<{ consumer: Consumer; seen: string[] }> {
  const seen: string[] = [];
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 6_000,
    heartbeatInterval: 200,
    maxWaitTimeInMs: 100,
    retry: { retries: 10, initialRetryTime: 50, maxRetryTime: 500 },
  });
  clients.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommitThreshold: 1,
    eachMessage: async ({ message }) => void seen.push(message.value?.toString() ?? ''),
  });
  return { consumer, seen };
}

async function connected<T extends Admin | Producer>(client: T): Promise<T> {
  clients.push(client);
  await client.connect();
  return client;
}

async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<string[]> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (result?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => p.offset);
}

async function stop(consumer: Consumer): Promise<void> {
  clients.splice(clients.indexOf(consumer), 1);
  await consumer.disconnect();
}

/**
 * One run: consume everything in `topic` (2 partitions) as group `g` until its commits reach the end, then stop the
 * consumer. Returns the committed offsets seen through the admin API.
 */
async function consumeAllAndCommit(kafka: Kafka, admin: Admin, topic: string, expected: string[]): Promise<string[]> {
  const { consumer, seen } = await consume(kafka, 'g', topic);
  await waitUntil(
    () => expected.every((v) => seen.includes(v)),
    `the consumer reads ${expected.length} messages`,
    15_000,
  );
  let offsets: string[] = [];
  const ends = ['5', '5'];
  await waitUntil(
    async () => JSON.stringify((offsets = await committedOffsets(admin, 'g', topic))) === JSON.stringify(ends),
    `the commits to reach ${ends.join(',')}`,
    15_000,
    { detail: () => `committed: ${offsets.join(',')}` },
  );
  await stop(consumer);
  return offsets;
}

describe('committed offsets survive a broker restart', () => {
  it('after a clean close, a consumer of the same group reads only what arrived since', async () => {
    kit = await GroupTestKit.start({ dataDir });
    const admin = await kit.admin();
    await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 2 }] });
    const producer = await kit.producer();
    await producer.send({ topic: 'kept', messages: messages('old', 10, 2) });
    const before = await consumeAllAndCommit(
      kit.kafka,
      admin,
      'kept',
      messages('old', 10, 2).map((m) => m.value),
    );
    await kit.close();

    kit = await GroupTestKit.start({ dataDir });
    // Replayed from __consumer_offsets before the first request: the programmatic API already shows the commits.
    expect(kit.broker.group('g')?.offsets.map((o) => o.committedOffset)).toEqual([5n, 5n]);
    const admin2 = await kit.admin();
    expect(await committedOffsets(admin2, 'g', 'kept')).toEqual(before);
    await (await kit.producer()).send({ topic: 'kept', messages: messages('new', 4, 2) });
    const { seen } = await consume(kit.kafka, 'g', 'kept');
    await waitUntil(() => seen.length >= 4, 'the new messages are read', 15_000);
    // Per partition the consumer reads in offset order, so any old message re-read would have come first.
    expect(seen.sort()).toEqual(['new-0', 'new-1', 'new-2', 'new-3']);
  });

  it('after SIGKILL of a child-process broker, acknowledged commits are replayed from __consumer_offsets', async () => {
    const args = [
      '--data-dir',
      dataDir,
      '-c',
      'group.initial.rebalance.delay.ms=0',
      '-c',
      'group.min.session.timeout.ms=500',
    ];
    const first = await startBrokerProcess(args);
    processes.push(first);
    const kafka = kafkaFor(first.bootstrap);
    const admin = await connected(kafka.admin());
    await admin.createTopics({ topics: [{ topic: 'crash', numPartitions: 2 }] });
    const producer = await connected(kafka.producer());
    await producer.send({ topic: 'crash', messages: messages('old', 10, 2) });
    const before = await consumeAllAndCommit(
      kafka,
      admin,
      'crash',
      messages('old', 10, 2).map((m) => m.value),
    );
    for (const c of clients.splice(0).reverse()) await c.disconnect();

    // `kq broker` logs every group state change.
    expect(first.stderr()).toMatch(
      /group g: generation 1 completed \(RoundRobinAssigner, leader kq-group-test-[0-9a-f-]+\): kq-group-test-[0-9a-f-]+ → crash-0,crash-1/,
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    processes.splice(0);

    const second = await startBrokerProcess(args);
    processes.push(second);
    expect(second.stderr()).toContain('group coordinator: 1 group(s) loaded from __consumer_offsets');
    const kafka2 = kafkaFor(second.bootstrap);
    const admin2 = await connected(kafka2.admin());
    expect(await committedOffsets(admin2, 'g', 'crash')).toEqual(before);
    await (await connected(kafka2.producer())).send({ topic: 'crash', messages: messages('new', 4, 2) });
    const { seen } = await consume(kafka2, 'g', 'crash');
    await waitUntil(() => seen.length >= 4, 'the new messages are read', 15_000);
    expect(seen.sort()).toEqual(['new-0', 'new-1', 'new-2', 'new-3']);
  });
});

it('an existing __consumer_offsets keeps its partition count when offsets.topic.num.partitions changes', async () => {
  kit = await GroupTestKit.start({ dataDir, config: { 'offsets.topic.num.partitions': 3 } });
  const admin = await kit.admin();
  await admin.createTopics({ topics: [{ topic: 't', numPartitions: 1 }] });
  await admin.setOffsets({ groupId: 'standalone', topic: 't', partitions: [{ partition: 0, offset: '0' }] });
  expect(kit.broker.group('standalone')?.offsets.map((o) => o.committedOffset)).toEqual([0n]);
  await kit.close();
  kit = await GroupTestKit.start({ dataDir, config: { 'offsets.topic.num.partitions': 50 } });
  expect(kit.broker.group('standalone')?.offsets.map((o) => o.committedOffset)).toEqual([0n]);
  const admin2 = await kit.admin();
  await admin2.setOffsets({ groupId: 'standalone', topic: 't', partitions: [{ partition: 0, offset: '0' }] });
  expect(await admin2.fetchOffsets({ groupId: 'standalone', topics: ['t'] })).toEqual([
    { topic: 't', partitions: [{ partition: 0, offset: '0', metadata: null }] },
  ]);
});
