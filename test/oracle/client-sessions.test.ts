import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntilTopicServed } from '../../src/broker/index.js';
import { startOracleTargets, type OracleTarget } from './oracle-targets.js';

/**
 * Differential sessions with real clients: the same kcat and kafkajs scripts against kq's broker and Apache Kafka,
 * their visible results compared after normalising what legitimately differs (ports, cluster ids, timestamps,
 * member ids). The raw protocol is compared field by field in raw-protocol.test.ts; this is what a user sees.
 */
const run = promisify(execFile);
let targets: Awaited<ReturnType<typeof startOracleTargets>>;

beforeAll(async () => {
  targets = await startOracleTargets();
}, 180_000);
afterAll(async () => {
  await targets?.stop();
}, 60_000);

/** Runs one script on both targets (in parallel: they are independent) and returns both results. */
async function onBoth<T>(script: (target: OracleTarget) => Promise<T>): Promise<{ kq: T; kafka: T }> {
  const [kq, kafka] = await Promise.all([script(targets.kq), script(targets.kafka)]);
  return { kq, kafka };
}

async function kcat(target: OracleTarget, args: string[], input?: string): Promise<{ code: number; stdout: string }> {
  const child = run('kcat', ['-b', target.bootstrap, ...args], { timeout: 30_000 });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  try {
    const { stdout } = await child;
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '' };
  }
}

function kafkajs(target: OracleTarget): Kafka {
  return new Kafka({
    clientId: 'kq-oracle',
    brokers: [target.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 100 },
  });
}

describe('kcat', () => {
  it('produces keyed records and consumes them back identically (offsets, keys, values, partitions)', async () => {
    const topic = 'o-kcat-roundtrip';
    const results = await onBoth(async (target) => {
      const admin = kafkajs(target).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: false });
      await admin.disconnect();
      await waitUntilTopicServed(target.bootstrap, [topic]);
      const produced = await kcat(target, ['-P', '-t', topic, '-p', '0', '-K', ':'], 'k1:v1\nk2:v2\nk3:v3\n');
      await kcat(target, ['-P', '-t', topic, '-p', '1', '-K', ':'], 'k9:v9\n');
      const consumed = await kcat(target, ['-C', '-t', topic, '-o', 'beginning', '-e', '-J', '-q']);
      const records = consumed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .map(({ partition, offset, key, payload }) => ({ partition, offset, key, payload }))
        .sort((a, b) => Number(a.partition) - Number(b.partition) || Number(a.offset) - Number(b.offset));
      return { produced: produced.code, consumed: consumed.code, records };
    });
    expect(results.kq).toEqual(results.kafka);
    expect(results.kafka.records).toHaveLength(4);
  }, 60_000);

  it('lists the same metadata for a topic (-L -J)', async () => {
    const topic = 'o-kcat-metadata';
    const results = await onBoth(async (target) => {
      const admin = kafkajs(target).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: false });
      await admin.disconnect();
      await waitUntilTopicServed(target.bootstrap, [topic]);
      const listed = JSON.parse((await kcat(target, ['-L', '-J', '-t', topic])).stdout) as {
        brokers: Array<{ id: number }>;
        topics: Array<{
          topic: string;
          partitions: Array<{ partition: number; leader: number; replicas: unknown[]; isrs: unknown[] }>;
        }>;
      };
      return {
        brokers: listed.brokers.map((b) => b.id),
        topics: listed.topics.map((t) => ({
          topic: t.topic,
          partitions: t.partitions.map(({ partition, leader, replicas, isrs }) => ({
            partition,
            leader,
            replicas,
            isrs,
          })),
        })),
      };
    });
    expect(results.kq).toEqual(results.kafka);
  }, 60_000);

  it('consuming from an offset beyond the end ends the same way', async () => {
    const topic = 'o-kcat-beyond';
    const results = await onBoth(async (target) => {
      await kcat(target, ['-P', '-t', topic, '-p', '0'], 'only\n'); // kcat's Metadata auto-creates the topic
      const consumed = await kcat(target, ['-C', '-t', topic, '-p', '0', '-o', '5', '-e', '-q']);
      return { code: consumed.code, stdout: consumed.stdout };
    });
    expect(results.kq).toEqual(results.kafka);
    expect(results.kafka.stdout).not.toContain('only'); // the one record is below offset 5: nothing is printed
  }, 60_000);
});

describe('kafkajs', () => {
  it('a consumer group reads every record once, commits, and the committed offsets and group read back the same', async () => {
    const topic = 'o-kafkajs-group';
    const groupId = 'o-kafkajs-group-1';
    const results = await onBoth(async (target) => {
      const kafka = kafkajs(target);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: false });
      await waitUntilTopicServed(target.bootstrap, [topic]);
      const producer = kafka.producer();
      await producer.connect();
      const sent = await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i % 4}`, value: `v${i}` })),
      });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`read ${seen.length} of 10 on ${target.name}`)), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(message.value!.toString());
            if (seen.length === 10) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await consumer.stop(); // commits what was processed
      const described = await admin.describeGroups([groupId]);
      await consumer.disconnect();
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      const afterLeave = await admin.describeGroups([groupId]);
      await admin.disconnect();
      return {
        sent: sent
          .map((r) => ({ partition: r.partition, errorCode: r.errorCode, baseOffset: r.baseOffset }))
          .sort((a, b) => a.partition - b.partition),
        seen: seen.sort(),
        offsets: offsets.map((t) => ({
          topic: t.topic,
          partitions: t.partitions
            .map((p) => ({ partition: p.partition, offset: p.offset }))
            .sort((a, b) => a.partition - b.partition),
        })),
        group: described.groups.map((g) => ({
          state: g.state,
          protocolType: g.protocolType,
          protocol: g.protocol,
          members: g.members.length,
        })),
        afterLeave: afterLeave.groups.map((g) => ({ state: g.state, members: g.members.length })),
      };
    });
    expect(results.kq).toEqual(results.kafka);
    expect(results.kafka.seen).toHaveLength(10);
  }, 120_000);

  it('admin errors surface as the same kafkajs error types', async () => {
    const topic = 'o-kafkajs-admin';
    const results = await onBoth(async (target) => {
      const kafka = kafkajs(target);
      const admin = kafka.admin();
      await admin.connect();
      const errorOf = async (work: () => Promise<unknown>) => {
        try {
          await work();
          return 'ok';
        } catch (error) {
          const e = error as { type?: string; name?: string; errors?: Array<{ type?: string }> };
          return e.errors?.map((x) => x.type).join(',') || e.type || e.name || 'error';
        }
      };
      const created = await admin.createTopics({ topics: [{ topic }], waitForLeaders: false });
      await waitUntilTopicServed(target.bootstrap, [topic]);
      const again = await admin.createTopics({ topics: [{ topic }] });
      const badName = await errorOf(() => admin.createTopics({ topics: [{ topic: 'bad name!' }] }));
      const badConfig = await errorOf(() =>
        admin.createTopics({
          topics: [{ topic: 'o-kafkajs-bad-config', configEntries: [{ name: 'retention.ms', value: 'soon' }] }],
        }),
      );
      const shrink = await errorOf(() => admin.createPartitions({ topicPartitions: [{ topic, count: 1 }] }));
      const offsets = await admin.fetchTopicOffsets(topic);
      const deleted = await errorOf(() => admin.deleteTopics({ topics: [topic] }));
      await admin.disconnect();
      return { created, again, badName, badConfig, shrink, offsets, deleted };
    });
    expect(results.kq).toEqual(results.kafka);
    expect(results.kafka).toMatchObject({
      created: true,
      again: false,
      badName: 'INVALID_TOPIC_EXCEPTION',
      badConfig: 'INVALID_CONFIG',
      shrink: 'INVALID_PARTITIONS',
      deleted: 'ok',
    });
  }, 60_000);
});
