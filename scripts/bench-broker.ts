// `npm run bench:broker [-- --batches N --messages M --runs R]`: throughput of the mini-broker, each part against
// a yardstick, printed with ratios. The broker runs as a child process (`node bin/kq.js broker`, so build first)
// and its peak RSS (VmHWM) is read from /proc at the end.
//  (a) kq's own codec as load generator: pre-encoded Produce requests (batches of 1,000 x 100 B records),
//      pipelined, then pipelined Fetches reading them back; the same frames against a plain Node TCP server
//      that appends them to a file and streams them back (scripts/bench-baseline-server.mjs). Goal >= 0.5x.
//  (b) kcat producing and consuming 1,000,000 x 100 B messages against the broker vs librdkafka's in-process
//      mock cluster (`-b mock:9092 -X test.mock.num.brokers=1`); median of R alternating runs. Goal >= 0.8x of
//      the mock's produce rate. The mock lives inside one kcat process, so a second kcat cannot consume what
//      the first produced: consume is measured against the broker only.
//  (c) kafkajs producing the same messages in batches of 1,000.
//  (e) the idempotent producer, on vs off in the same run: kafkajs and the Java producer
//      (scripts/bench-idempotence.ts).
//  (f) against Apache Kafka (scripts/bench-vs-kafka.ts): kcat produce/consume and Kafka's ProducerPerformance /
//      ConsumerPerformance against a fresh kq broker and one Apache Kafka node, alternating, with ratios,
//      start-up times and peak RSS of both. Needs Java 17+ (npm run kafka:fetch).
//  (d) consumer groups (scripts/bench-group.ts, its own broker child): end-to-end latency at a steady
//      10,000 msgs/s, p50/p99; and the time from a member leaving to the group consuming its partitions again.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ApiKey } from '../src/broker/protocol/api-keys.js';
import { encodeRequestFrame } from '../src/broker/protocol/frames.js';
import { buildRecordBatch } from '../src/broker/record/record-batch-builder.js';
import { RawKafkaClient } from '../src/broker/client/raw-kafka-client.js';
import { createTopics, fetch, produce } from '../src/broker/client/request-builders.js';
import { partD } from './bench-group.js';
import { partE } from './bench-idempotence.js';
import { kcatConsumeArgs, partF } from './bench-vs-kafka.js';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const BATCHES = option('batches', 500); // (a): 500 x 1,000 x 100 B = 50 MB of values
const MESSAGES = option('messages', 1_000_000); // (b), (c)
const RUNS = option('runs', 3);
/** `--parts ab` runs only those parts; `--profile DIR` runs the broker under --cpu-prof into DIR. */
const PARTS = process.argv.includes('--parts')
  ? (process.argv[process.argv.indexOf('--parts') + 1] ?? 'abcdef')
  : 'abcdef';
const PROFILE_DIR = process.argv.includes('--profile')
  ? process.argv[process.argv.indexOf('--profile') + 1]
  : undefined;
const WINDOW = 32; // requests in flight on the pipelined connection
const root = process.cwd();
const work = mkdtempSync(join(tmpdir(), 'kq-bench-'));
const MB = 1024 * 1024;

interface Child {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly port: number;
}

/** Starts a child that prints `listening on [HOST:]PORT`, waiting at most 15 s. */
function startChild(args: string[]): Promise<Child> {
  const proc = spawn(process.execPath, args, { cwd: root });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${args.join(' ')}: no "listening on" in 15 s\n${out}\n${err}`)),
      15_000,
    );
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (?:\S+:)?(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ proc, port: Number(match[1]) });
      }
    });
    proc.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}\n${err}`)));
  });
}

async function stopChild(child: Child): Promise<void> {
  const exited = new Promise((resolve) => child.proc.on('exit', resolve));
  child.proc.kill('SIGTERM');
  await exited;
}

/** Writes `frames` on one connection keeping at most WINDOW unanswered; returns response bytes and seconds. */
function pipeline(port: number, frames: Buffer[]): Promise<{ responseBytes: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let sent = 0;
    let answered = 0;
    let responseBytes = 0;
    let pending: Buffer = Buffer.alloc(0);
    let started = 0;
    const pump = () => {
      while (sent < frames.length && sent - answered < WINDOW) socket.write(frames[sent++]!);
    };
    socket.on('connect', () => {
      started = performance.now();
      pump();
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      let offset = 0;
      while (pending.length - offset >= 4) {
        const size = pending.readInt32BE(offset);
        if (pending.length - offset - 4 < size) break;
        offset += 4 + size;
        responseBytes += 4 + size;
        answered++;
      }
      pending = pending.subarray(offset);
      if (answered === frames.length) {
        const seconds = (performance.now() - started) / 1000;
        socket.destroy();
        resolve({ responseBytes, seconds });
      } else pump();
    });
    socket.on('error', reject);
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);
const ratio = (a: number, b: number) => `${fmt(a / b, 2)}x`;

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

// ---------------------------------------------------------------- (a) codec load generator vs baseline
async function partA(brokerPort: number): Promise<void> {
  const value = Buffer.alloc(100, 'v');
  const batch = buildRecordBatch({ records: Array.from({ length: 1000 }, () => ({ key: null, value })) });
  const batchesPerFetch = Math.max(1, Math.floor(MB / batch.length));
  const admin = await RawKafkaClient.connect(brokerPort);
  await admin.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'bench-a' }]));
  admin.close();
  const produceFrames = Array.from({ length: BATCHES }, (_, i) =>
    encodeRequestFrame(
      ApiKey.Produce,
      { apiVersion: 8, correlationId: i, clientId: 'bench' },
      produce('bench-a', batch, { acks: 1 }),
    ),
  );
  const fetchCount = Math.ceil(BATCHES / batchesPerFetch);
  const fetchFrames = Array.from({ length: fetchCount }, (_, i) =>
    encodeRequestFrame(
      ApiKey.Fetch,
      { apiVersion: 11, correlationId: i, clientId: 'bench' },
      fetch('bench-a', BigInt(i * batchesPerFetch * 1000), {
        maxBytes: batchesPerFetch * batch.length,
        partitionMaxBytes: batchesPerFetch * batch.length,
      }),
    ),
  );
  const payload = BATCHES * batch.length;

  const rate = (bytes: number, seconds: number) => bytes / MB / seconds;
  const samples = { bp: [] as number[], bf: [] as number[], np: [] as number[], nf: [] as number[] };
  const baseline = await startChild([
    'scripts/bench-baseline-server.mjs',
    join(work, 'baseline.bin'),
    String(batchesPerFetch),
  ]);
  try {
    for (let run = 0; run < RUNS; run++) {
      // Alternating runs, each appending the same frames again: the baseline streams back what this run
      // appended (its fetch cursor moves on), the broker's fetches read the first BATCHES batches again.
      const baseProduce = await pipeline(baseline.port, produceFrames);
      const baseFetch = await pipeline(baseline.port, fetchFrames);
      const brokerProduce = await pipeline(brokerPort, produceFrames);
      const brokerFetch = await pipeline(brokerPort, fetchFrames);
      if (brokerFetch.responseBytes < payload)
        throw new Error(`broker fetched ${brokerFetch.responseBytes} bytes, expected at least ${payload}`);
      samples.np.push(rate(payload, baseProduce.seconds));
      samples.nf.push(rate(baseFetch.responseBytes, baseFetch.seconds));
      samples.bp.push(rate(payload, brokerProduce.seconds));
      samples.bf.push(rate(brokerFetch.responseBytes, brokerFetch.seconds));
    }
  } finally {
    await stopChild(baseline);
  }
  const [bp, bf, np, nf] = [median(samples.bp), median(samples.bf), median(samples.np), median(samples.nf)];
  console.log(
    `(a) kq codec, ${BATCHES} batches x 1,000 x 100 B (${fmt(payload / MB)} MB), ${WINDOW} in flight, fetch ${batchesPerFetch} batches/request, median of ${RUNS} alternating runs`,
  );
  console.log(
    `    produce: broker ${fmt(bp)} MB/s, baseline file server ${fmt(np)} MB/s, ratio ${ratio(bp, np)} (goal >= 0.5x)`,
  );
  console.log(
    `    fetch:   broker ${fmt(bf)} MB/s, baseline file server ${fmt(nf)} MB/s, ratio ${ratio(bf, nf)} (goal >= 0.5x)`,
  );
}

// ---------------------------------------------------------------- (b) kcat vs librdkafka's mock cluster
function kcatSeconds(args: string[]): { seconds: number; stdout: string } {
  const started = performance.now();
  const run = spawnSync('kcat', args, { encoding: 'utf8', maxBuffer: 256 * MB, timeout: 300_000 });
  if (run.status !== 0) throw new Error(`kcat ${args.join(' ')} failed (${run.status}): ${run.stderr}`);
  return { seconds: (performance.now() - started) / 1000, stdout: run.stdout };
}

async function partB(brokerPort: number, messagesFile: string): Promise<void> {
  if (spawnSync('kcat', ['-V']).status !== 0) {
    console.log('(b) skipped: kcat is not installed (apt-get install -y kcat)');
    return;
  }
  const brokerProduce: number[] = [];
  const mockProduce: number[] = [];
  const brokerConsume: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const topic = `bench-b-${run}`;
    brokerProduce.push(kcatSeconds(['-b', `127.0.0.1:${brokerPort}`, '-P', '-t', topic, '-l', messagesFile]).seconds);
    mockProduce.push(
      kcatSeconds(['-b', 'mock:9092', '-X', 'test.mock.num.brokers=1', '-P', '-t', topic, '-l', messagesFile]).seconds,
    );
    // kcat -e learns it reached the end only from an empty Fetch at the high watermark, which the broker
    // long-polls for fetch.wait.max.ms (500 ms by default, as Kafka does); shortened so the figure is transfer.
    const consumed = kcatSeconds(kcatConsumeArgs(`127.0.0.1:${brokerPort}`, topic));
    const count = consumed.stdout.split('\n').filter(Boolean).length;
    if (count !== MESSAGES) throw new Error(`kcat consumed ${count} messages from ${topic}, expected ${MESSAGES}`);
    brokerConsume.push(consumed.seconds);
  }
  const perSecond = (seconds: number) => MESSAGES / seconds;
  const mbps = (seconds: number) => (MESSAGES * 100) / MB / seconds;
  const [bp, mp, bc] = [median(brokerProduce), median(mockProduce), median(brokerConsume)];
  console.log(
    `(b) kcat, ${MESSAGES.toLocaleString('en')} x 100 B, median of ${RUNS} alternating runs (process start included)`,
  );
  console.log(
    `    produce: broker ${fmt(perSecond(bp) / 1000, 0)}k msg/s (${fmt(mbps(bp))} MB/s), mock cluster ${fmt(perSecond(mp) / 1000, 0)}k msg/s (${fmt(mbps(mp))} MB/s), ratio ${ratio(mp, bp)} (goal >= 0.8x)`,
  );
  console.log(
    `    consume: broker ${fmt(perSecond(bc) / 1000, 0)}k msg/s (${fmt(mbps(bc))} MB/s); fetch.wait.max.ms=10 so the end-of-partition long poll does not count; the mock cannot be consumed from another process`,
  );
  console.log(
    `    runs (s): broker produce ${brokerProduce.map((s) => fmt(s, 2)).join(', ')}; mock produce ${mockProduce.map((s) => fmt(s, 2)).join(', ')}; broker consume ${brokerConsume.map((s) => fmt(s, 2)).join(', ')}`,
  );
}

// ---------------------------------------------------------------- (c) kafkajs producer
async function partC(brokerPort: number): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [`127.0.0.1:${brokerPort}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const value = 'v'.repeat(100);
  const messages = Array.from({ length: 1000 }, () => ({ value }));
  const started = performance.now();
  const inFlight = 4;
  let sent = 0;
  const loop = async () => {
    while (sent < MESSAGES) {
      sent += 1000;
      await producer.send({ topic: 'bench-c', acks: 1, messages });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  console.log(
    `(c) kafkajs 2.2.4, ${MESSAGES.toLocaleString('en')} x 100 B in sends of 1,000, ${inFlight} sends in flight, acks=1`,
  );
  console.log(
    `    produce: ${fmt(MESSAGES / seconds / 1000, 0)}k msg/s (${fmt((MESSAGES * 100) / MB / seconds)} MB/s)`,
  );
}

const messagesFile = join(work, 'messages.txt');
writeFileSync(
  messagesFile,
  Array.from({ length: MESSAGES }, (_, i) => `${String(i).padStart(9, '0')}:${'x'.repeat(90)}`).join('\n') + '\n',
);
const profile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
const broker = await startChild([...profile, 'bin/kq.js', 'broker', '--port', '0', '--data-dir', join(work, 'broker')]);
try {
  console.log(`kq broker pid ${broker.proc.pid} on port ${broker.port}; node ${process.version}`);
  if (PARTS.includes('a')) await partA(broker.port);
  if (PARTS.includes('b')) await partB(broker.port, messagesFile);
  if (PARTS.includes('c')) await partC(broker.port);
  const rss = peakRss(broker.proc.pid!);
  console.log(`broker peak RSS (VmHWM): ${fmt(rss)} MB (goal <= 150 MB)`);
  if (PARTS.includes('e')) await partE(broker.port, RUNS, option('idempotent-messages', 200_000));
  if (PARTS.includes('d')) await partD();
  if (PARTS.includes('f')) await partF(root, work, messagesFile, MESSAGES, RUNS);
} finally {
  await stopChild(broker);
  rmSync(work, { recursive: true, force: true });
}
