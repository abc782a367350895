// Part (d) of `npm run bench:broker` (also runnable alone: `node scripts/run-ts.mjs scripts/bench-group.ts`):
// consumer groups on the mini-broker, measured with kafkajs 2.2.4 clients in this process against a broker child
// process (`node bin/kq.js broker`, so build first).
//  (d1) end-to-end latency: a producer paced at a steady 10,000 msgs/s into a 3-partition topic, one group of
//       two consumers; each message carries its send time, latency = receive time − send time (same clock).
//       p50 / p99 / max over the steady part (the first second is warm-up and not counted).
//  (d2) rebalance pause: while the stream flows, one of the two members leaves (consumer.disconnect); the time
//       until the remaining member receives a message from a partition the leaver owned. Run with kafkajs'
//       default heartbeat.interval (3 s: the survivor learns of the rebalance only from its next heartbeat)
//       and with 300 ms, to separate the client's share from the broker's.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Consumer, Producer } from 'kafkajs';
import { waitUntil } from '../src/broker/utils/wait-until.js';

const RATE = 10_000; // messages per second
const STEADY_SECONDS = 10;
const WARMUP_MS = 1_000;
const PARTITIONS = 3;

interface BrokerChild {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly bootstrap: string;
}

function startBroker(dataDir: string): Promise<BrokerChild> {
  // Defaults but the initial rebalance delay, which only slows the start of a brand-new group.
  const proc = spawn(process.execPath, [
    'bin/kq.js',
    'broker',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '-c',
    'group.initial.rebalance.delay.ms=0',
  ]);
  let out = '';
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker printed no "listening on" in 15 s\n${err}`)), 15_000);
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ proc, bootstrap: match[1] });
      }
    });
    proc.on('exit', (code) => reject(new Error(`broker exited ${code}\n${err}`)));
  });
}

async function stopBroker(child: BrokerChild): Promise<void> {
  const exited = new Promise((resolve) => child.proc.on('exit', resolve));
  child.proc.kill('SIGTERM');
  await exited;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Sends RATE msgs/s until stopped: every tick it sends what the schedule says is due, as one batch per partition. */
function pacedProducer(producer: Producer, topic: string): { stop(): Promise<number> } {
  let running = true;
  let sent = 0;
  const started = performance.now();
  const loop = (async () => {
    while (running) {
      const due = Math.floor(((performance.now() - started) / 1000) * RATE) - sent;
      if (due > 0) {
        const now = performance.now();
        const messages = Array.from({ length: due }, (_, i) => ({
          value: `${now}`,
          partition: (sent + i) % PARTITIONS,
        }));
        sent += due;
        await producer.send({ topic, acks: 1, messages });
      } else {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return sent;
    },
  };
}

interface Member {
  consumer: Consumer;
  partitions: Set<number>;
}

async function member(
  kafka: Kafka,
  groupId: string,
  topic: string,
  heartbeatInterval: number,
  onMessage: (partition: number, sentAt: number) => void,
): Promise<Member> {
  const consumer = kafka.consumer({ groupId, heartbeatInterval, maxWaitTimeInMs: 500 });
  const self: Member = { consumer, partitions: new Set() };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    self.partitions = new Set(payload.memberAssignment[topic] ?? []);
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    eachBatchAutoResolve: true,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) onMessage(batch.partition, Number(message.value?.toString()));
    },
  });
  return self;
}

async function latencyRun(kafka: Kafka, topic: string): Promise<void> {
  const latencies: number[] = [];
  let measuring = false;
  const record = (_partition: number, sentAt: number) => {
    if (measuring) latencies.push(performance.now() - sentAt);
  };
  const members = [
    await member(kafka, 'bench-latency', topic, 3_000, record),
    await member(kafka, 'bench-latency', topic, 3_000, record),
  ];
  await waitUntil(() => members.every((m) => m.partitions.size > 0), 'both members have partitions', 30_000);
  const producer = kafka.producer();
  await producer.connect();
  const paced = pacedProducer(producer, topic);
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  measuring = true;
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, STEADY_SECONDS * 1000));
  const sent = await paced.stop();
  const elapsed = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 500));
  measuring = false;
  for (const m of members) await m.consumer.disconnect();
  await producer.disconnect();
  latencies.sort((a, b) => a - b);
  const achieved = latencies.length / elapsed;
  console.log(
    `(d1) end-to-end latency, kafkajs producer at ${RATE.toLocaleString('en')} msgs/s (${sent.toLocaleString('en')} sent) → group of 2 kafkajs consumers, ${PARTITIONS} partitions, acks=1`,
  );
  console.log(
    `     ${latencies.length.toLocaleString('en')} messages over ${fmt(elapsed)} s steady (${fmt(achieved / 1000)}k msgs/s received): p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(latencies.at(-1) ?? NaN)} ms`,
  );
}

async function rebalanceRun(kafka: Kafka, topic: string, heartbeatInterval: number): Promise<void> {
  const groupId = `bench-rebalance-${heartbeatInterval}`;
  let leftAt = 0;
  let resumedAt = 0;
  let leaverPartitions = new Set<number>();
  const survivorMessage = (partition: number) => {
    if (leftAt > 0 && resumedAt === 0 && leaverPartitions.has(partition)) resumedAt = performance.now();
  };
  const survivor = await member(kafka, groupId, topic, heartbeatInterval, survivorMessage);
  await waitUntil(() => survivor.partitions.size === PARTITIONS, 'the first member owns every partition', 30_000);
  const leaver = await member(kafka, groupId, topic, heartbeatInterval, () => {});
  await waitUntil(
    () => leaver.partitions.size > 0 && survivor.partitions.size < PARTITIONS,
    'the second member gets partitions',
    30_000,
  );
  const producer = kafka.producer();
  await producer.connect();
  const paced = pacedProducer(producer, topic);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  leaverPartitions = new Set(leaver.partitions);
  leftAt = performance.now();
  await leaver.consumer.disconnect();
  const leaveReturned = performance.now();
  await waitUntil(() => resumedAt > 0, 'the survivor consumes the leaver’s partitions', 30_000);
  await paced.stop();
  await survivor.consumer.disconnect();
  await producer.disconnect();
  console.log(
    `(d2) member leaves → group consuming its partitions again, heartbeat.interval ${heartbeatInterval} ms: ${fmt(resumedAt - leftAt, 0)} ms ` +
      `(disconnect incl. LeaveGroup took ${fmt(leaveReturned - leftAt, 0)} ms; partitions ${[...leaverPartitions].join(',')} moved)`,
  );
}

export async function partD(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'kq-bench-group-'));
  const broker = await startBroker(join(work, 'broker'));
  try {
    const kafka = new Kafka({ clientId: 'bench-group', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: ['bench-latency', 'bench-rebalance-3000', 'bench-rebalance-300'].map((topic) => ({
        topic,
        numPartitions: PARTITIONS,
      })),
    });
    await admin.disconnect();
    await latencyRun(kafka, 'bench-latency');
    await rebalanceRun(kafka, 'bench-rebalance-3000', 3_000);
    await rebalanceRun(kafka, 'bench-rebalance-300', 300);
  } finally {
    await stopBroker(broker);
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('bench-group.mjs')) await partD();
