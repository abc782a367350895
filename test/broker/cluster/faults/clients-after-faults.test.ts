import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../../../src/broker/cluster/kafka-cluster.js';
import { describePlan, planFaults, runFaultPlan } from '../../../../src/broker/cluster/faults/fault-schedule.js';
import { waitUntil } from '../../../../src/broker/utils/wait-until.js';
import { CHAOS_BROKER_CONFIG } from '../../../../src/chaos/chaos-run.js';
import { JavaClient } from '../../../java/run-java.js';
import { kqBin } from '../../support/broker-process.js';
import { kcat, kcatInstalled } from '../../support/kcat.js';

const TOPIC = 'after-faults';
const NODES = [1, 2, 3];

/**
 * Real clients on a cluster that went through a seeded fault plan (issue 13: "faults tested with real clients
 * still working afterwards"): a kill, an isolation, a power loss and a pause of leaders, one after another, while
 * kafkajs writes; then kcat (librdkafka) and the Java client (kafka-clients of the Kafka version kq pins) produce
 * and consume on the healed cluster, and every acknowledged record is read back by both. The `cluster` area covers
 * the Java client *through* a leader change; this is what is left *after* a fault plan.
 */
let cluster: KafkaCluster | undefined;
let java: JavaClient;
const clients: Array<Admin | Producer> = [];

beforeAll(async () => {
  java = JavaClient.compile();
  cluster = await KafkaCluster.start({
    brokers: 3,
    mode: 'child-process',
    nodeCommand: [process.execPath, kqBin, 'broker'],
    faults: { seed: 7 },
    config: CHAOS_BROKER_CONFIG,
    startTimeoutMs: 60_000,
  });
}, 240_000);

afterAll(async () => {
  for (const client of clients) await client.disconnect().catch(() => undefined);
  await cluster?.close();
}, 60_000);

describe('real clients after a fault plan', () => {
  it.skipIf(!kcatInstalled)(
    'after kill, isolation, power loss and pause of leaders (seeded), kcat and the Java client produce and consume every acknowledged record',
    async () => {
      const c = cluster!;
      const kafka = new Kafka({
        clientId: 'after-faults',
        brokers: c.bootstrap.split(','),
        logLevel: logLevel.NOTHING,
        retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 20 },
      });
      const admin = kafka.admin();
      clients.push(admin);
      await admin.connect();
      await admin.createTopics({
        topics: [
          {
            topic: TOPIC,
            numPartitions: 3,
            replicationFactor: 3,
            configEntries: [{ name: 'min.insync.replicas', value: '2' }],
          },
        ],
        waitForLeaders: true,
      });

      // The plan, with kafkajs writing throughout (acks=all, idempotent): the faults act on a live cluster.
      // One fault of each kind, in this order (each step seeded, so the plan replays).
      const steps = ['kill-leader', 'isolate-leader', 'power-loss-leader', 'pause-leader'] as const;
      const plan = steps.flatMap((step, i) =>
        planFaults({ seed: 7 + i, nodes: NODES, steps: [step], count: 1, gapMs: [500, 1000], holdMs: [1500, 2500] }),
      );
      const leader = async () =>
        (await c.describe().catch(() => []))
          .flatMap((n) => n.partitions)
          .find((p) => p.topic === TOPIC && p.partition === 0 && p.role === 'leader')?.leader;
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      clients.push(producer);
      await producer.connect();
      const acked: string[] = [];
      let planDone = false;
      const writing = (async () => {
        for (let i = 0; !planDone; i++) {
          const value = `kafkajs-${i}`;
          await producer
            .send({ topic: TOPIC, acks: -1, timeout: 5000, messages: [{ key: `k${i % 5}`, value }] })
            .then(() => acked.push(value))
            .catch(() => undefined); // not acknowledged: may or may not be stored, not checked
        }
      })();
      const faultLog = await runFaultPlan(c.faults, plan, NODES, { leader }, 7).finally(() => (planDone = true));
      await writing;
      await c.faults.healAll();
      const injected = faultLog.filter((e) => e.action === 'inject').map((e) => e.fault.kind);
      expect(new Set(injected), describePlan(plan).join('\n')).toEqual(
        new Set(['kill', 'link', 'power-loss', 'pause']),
      );
      expect(acked.length).toBeGreaterThan(0);

      // Healed: every partition led again with its whole ISR (the condition itself, bounded for a loaded machine).
      await waitUntil(
        async () => {
          const replicas = (await c.describe()).flatMap((n) => n.partitions).filter((p) => p.topic === TOPIC);
          return [0, 1, 2].every((p) =>
            replicas.some((r) => r.partition === p && r.role === 'leader' && r.isr.length === 3),
          );
        },
        'every partition of after-faults led with all three replicas in sync',
        90_000,
        { everyMs: 200 },
      );

      // kcat (librdkafka) produces 30 keyed records with acks=all.
      const kcatValues = Array.from({ length: 30 }, (_, i) => `kcat-${i}`);
      const produced = await kcat(
        c.bootstrap,
        ['-P', '-t', TOPIC, '-K:', '-X', 'acks=all', '-X', 'message.timeout.ms=30000'],
        { input: kcatValues.map((v, i) => `k${i % 5}:${v}\n`).join(''), timeoutMs: 60_000 },
      );
      expect(produced.code, produced.stderr).toBe(0);

      // The Java producer (acks=all, idempotence on: its defaults) writes 100.
      const javaProduced = await java.run([c.bootstrap, 'produce', TOPIC, '100'], 120_000);
      const javaOffsets = Object.values(javaProduced.partitions as Record<string, number[]>).flat();
      expect(javaOffsets).toHaveLength(100);
      const javaValues = Array.from({ length: 100 }, (_, i) => `v${i}`);

      const everything = [...acked, ...kcatValues, ...javaValues];
      // kcat reads every partition from the beginning to its end.
      const consumed = await kcat(c.bootstrap, ['-C', '-t', TOPIC, '-o', 'beginning', '-e', '-f', '%s\n'], {
        timeoutMs: 60_000,
      });
      expect(consumed.code, consumed.stderr).toBe(0);
      const read = new Set(consumed.stdout.split('\n').filter(Boolean));
      expect(everything.filter((v) => !read.has(v))).toEqual([]);

      // The Java consumer, in a group, reads them all once each and commits.
      const javaRead = await java.run([c.bootstrap, 'consume', TOPIC, 'after-faults-java', String(read.size)], 120_000);
      const javaValuesRead = new Set(javaRead.values as string[]);
      expect(everything.filter((v) => !javaValuesRead.has(v))).toEqual([]);
      expect(javaRead).toMatchObject({ records: read.size, distinct: read.size, committedTotal: read.size });
    },
    420_000,
  );
});
