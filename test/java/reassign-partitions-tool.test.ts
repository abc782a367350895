import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../src/broker/cluster/kafka-cluster.js';
import { waitUntil } from '../../src/broker/utils/wait-until.js';
import { KafkaTools } from './kafka-tools.js';
import type { JvmRun } from './run-jvm.js';

/**
 * Kafka's kafka-reassign-partitions.sh (its class from the fetched distribution, through Kafka's Java Admin client:
 * AlterPartitionReassignments, ListPartitionReassignments, Metadata) against an in-process 3-node kq cluster: it
 * moves a partition, verifies the move completed, and the records are all on the new replicas.
 */
const FAST_CLUSTER = {
  'broker.heartbeat.interval.ms': 200,
  'broker.session.timeout.ms': 4000,
  'replica.fetch.wait.max.ms': 50,
  'replica.fetch.backoff.ms': 50,
  'auto.leader.rebalance.enable': false,
};
/** Generous: JVM start-up and replication on a loaded 2-core machine. */
const WAIT_MS = 60_000;

let cluster: KafkaCluster;
let tools: KafkaTools;
let dir: string;
beforeAll(async () => {
  tools = KafkaTools.locate();
  dir = mkdtempSync(join(tmpdir(), 'kq-reassign-'));
  cluster = await KafkaCluster.start({ brokers: 3, config: FAST_CLUSTER });
}, 180_000);
afterAll(async () => {
  await cluster?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ok = (run: JvmRun): string => {
  expect(run.code, `exit ${run.code}\n${run.stdout}\n${run.stderr}`).toBe(0);
  return run.stdout;
};

describe("Kafka's kafka-reassign-partitions.sh against a kq cluster", () => {
  it('--execute moves a partition from [1] to [2, 3], --verify sees it completed, --list finds nothing left', async () => {
    const c = cluster;
    const kafka = new Kafka({
      clientId: 'reassign-tool',
      brokers: c.bootstrap.split(','),
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 100, retries: 30 },
    });
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'tool', replicaAssignment: [{ partition: 0, replicas: [1] }] }] });
      await waitUntil(() => c.broker(1).partition('tool', 0)?.isLeader === true, 'broker 1 leads tool-0', WAIT_MS);
      await producer.connect();
      const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
      await producer.send({ topic: 'tool', acks: -1, messages: values.map((value) => ({ value })) });

      const plan = join(dir, 'plan.json');
      writeFileSync(
        plan,
        JSON.stringify({ version: 1, partitions: [{ topic: 'tool', partition: 0, replicas: [2, 3] }] }),
      );
      const bootstrap = ['--bootstrap-server', c.bootstrap.split(',')[0]!];
      const executed = ok(
        await tools.run('reassign.ReassignPartitionsCommand', [
          ...bootstrap,
          '--reassignment-json-file',
          plan,
          '--execute',
        ]),
      );
      expect(executed).toContain('Current partition replica assignment');
      expect(executed).toContain('"replicas":[1]');
      expect(executed).toContain('Successfully started partition reassignment for tool-0');

      // --verify until the tool itself says the move is done (it asks ListPartitionReassignments and Metadata).
      let verified = '';
      await waitUntil(
        async () => {
          verified = ok(
            await tools.run('reassign.ReassignPartitionsCommand', [
              ...bootstrap,
              '--reassignment-json-file',
              plan,
              '--verify',
              '--preserve-throttles',
            ]),
          );
          return verified.includes('Reassignment of partition tool-0 is completed.');
        },
        'kafka-reassign-partitions.sh --verify to report tool-0 completed',
        WAIT_MS * 2,
        { everyMs: 1000, detail: () => verified },
      );
      const listed = ok(await tools.run('reassign.ReassignPartitionsCommand', [...bootstrap, '--list']));
      expect(listed).toContain('No partition reassignments found.');

      const metadata = await admin.fetchTopicMetadata({ topics: ['tool'] });
      expect(metadata.topics[0]!.partitions[0]).toMatchObject({ replicas: [2, 3], isr: [2, 3] });
      await waitUntil(() => c.broker(1).partition('tool', 0) === undefined, 'broker 1 to drop tool-0', WAIT_MS);
      for (const id of [2, 3]) {
        const log = c.broker(id).log('tool', 0);
        await waitUntil(() => log.highWatermark === 20n, `broker ${id}'s replica at high watermark 20`, WAIT_MS);
      }
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 400_000);
});
