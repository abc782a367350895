// `npm run bench:broker [-- --quick] [--runs R] [--scale F] [--no-kafka] [--sections 1234] [--extra ade]
// [--profile DIR] [--partitions 1,10,100,1000] [--idle-connections N]`: kq's broker measured beside its
// yardsticks, as issue 16 asks, all in one run. Build first (the broker runs as `node bin/kq.js broker` children).
//  (1) kcat produce and consume at 1,000,000 x 100 B, 100,000 x 1 KB, 10,000 x 10 KB: kq vs librdkafka's mock
//      (produce) and vs Apache Kafka (both directions), kq's consume/produce ratio with its spread, and the
//      brokers' CPU seconds per million messages (scripts/bench-throughput.ts)
//  (2) kafkajs and Java producer/consumer throughput, kq vs Kafka (scripts/bench-throughput.ts)
//  (3) scale: 1/10/100/1,000 partitions, 1,000 idle connections, memory per partition and per connection,
//      start-up with the partitions on disk, recovery time per GB after SIGKILL (scripts/bench-scale.ts)
//  (4) latency p50/p99/p999 at 10k and 50k msgs/s with the broker's GC pauses (scripts/bench-latency.ts)
// then peak RSS (VmHWM) of every broker child. Medians of R alternating runs (default 5). --quick: 1/10 of the
// messages and one run (CI-compatible time); --scale overrides the fraction. Apache Kafka (one KRaft node,
// -Xmx512m) and the Java clients need Java 17+ and `npm run kafka:fetch`; --no-kafka leaves them out.
// Extras, not in the default run: (a) kq's codec vs a plain Node file server (scripts/bench-codec.ts),
// (d) consumer-group latency and rebalance pause (scripts/bench-group.ts), (e) idempotence on vs off
// (scripts/bench-idempotence.ts).
// Speed goals live here and are printed beside the figures; no unit test asserts a speed.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApacheKafkaCluster, KafkaSetupError } from '../src/kafka/index.js';
import { partD } from './bench-group.js';
import { partE } from './bench-idempotence.js';
import { codecPart } from './bench-codec.js';
import { latencySection } from './bench-latency.js';
import { scaleSection } from './bench-scale.js';
import { fmt, peakRssMb, startKqBroker, type BenchOptions } from './bench-support.js';
import { clientsSection, kcatSection, type Target } from './bench-throughput.js';

const VALUE_OPTIONS = ['--runs', '--scale', '--sections', '--extra', '--profile', '--partitions', '--idle-connections'];
const FLAGS = ['--quick', '--no-kafka'];

function usage(message: string): never {
  process.stderr.write(
    `bench:broker: ${message}\nusage: npm run bench:broker -- [--quick] [--runs R] [--scale F] [--no-kafka] [--sections 1234] [--extra ade] [--profile DIR] [--partitions 1,10,100,1000] [--idle-connections N]\n`,
  );
  process.exit(2);
}

function parseOptions(argv: string[]): { values: Map<string, string>; flags: Set<string> } {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (FLAGS.includes(arg)) flags.add(arg);
    else if (VALUE_OPTIONS.includes(arg)) {
      const value = argv[++i];
      if (value === undefined) usage(`${arg} needs a value`);
      values.set(arg, value);
    } else usage(`unknown option ${arg} (valid: ${[...FLAGS, ...VALUE_OPTIONS].join(', ')})`);
  }
  return { values, flags };
}

const { values, flags } = parseOptions(process.argv.slice(2));
const quick = flags.has('--quick');
const number = (name: string, fallback: number) => {
  const raw = values.get(name);
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!(parsed > 0)) usage(`${name} must be a positive number, got ${raw}`);
  return parsed;
};
const sections = values.get('--sections') ?? '1234';
const extra = values.get('--extra') ?? '';
if (!/^[1-4]*$/.test(sections)) usage(`--sections takes digits 1-4, got ${sections}`);
if (!/^[ade]*$/.test(extra)) usage(`--extra takes letters a, d, e, got ${extra}`);

const partitionCounts = (values.get('--partitions') ?? '1,10,100,1000').split(',').map(Number);
if (partitionCounts.some((n) => !Number.isInteger(n) || n < 1) || !partitionCounts.includes(1))
  usage(
    `--partitions takes a comma-separated list of positive integers including 1, got ${values.get('--partitions')}`,
  );

const work = mkdtempSync(join(tmpdir(), 'kq-bench-'));
const options: BenchOptions = {
  root: process.cwd(),
  work,
  runs: Math.round(number('--runs', quick ? 1 : 5)),
  scale: number('--scale', quick ? 0.1 : 1),
  quick,
  kafka: !flags.has('--no-kafka'),
  profileDir: values.get('--profile'),
  partitionCounts,
  idleConnections: Math.round(number('--idle-connections', 1000)),
};

const load = loadavg().map((l) => fmt(l, 2));
console.log(
  `kq broker benchmark ${new Date().toISOString()}: node ${process.version}, ${cpus().length} CPUs, load average ${load.join(' ')} (1/5/15 min); ${options.runs} run(s), message counts x${options.scale}`,
);
const peaks: Array<[string, number]> = [];
const kq = await startKqBroker(options, join(work, 'broker'));
let cluster: ApacheKafkaCluster | undefined;
try {
  console.log(
    `kq broker pid ${kq.pid} on ${kq.bootstrap}, started in ${fmt(kq.startMs, 0)} ms; CRC-32C ${kq.crc32c()}`,
  );
  if (options.kafka && /[12]/.test(sections)) {
    try {
      cluster = await ApacheKafkaCluster.start({ brokers: 1, heap: '512m', fetch: false });
      const node = cluster.node(1);
      console.log(
        `Apache Kafka ${cluster.kafka.version} pid ${node.pid} on ${node.address}, started in ${cluster.timings.startMs} ms (+ ${cluster.timings.formatMs} ms formatting storage)`,
      );
    } catch (error) {
      if (!(error instanceof KafkaSetupError)) throw error;
      console.log(`Apache Kafka skipped: ${error.message}`);
    }
  }
  const kqTarget: Target = { name: 'kq', bootstrap: kq.bootstrap, pid: kq.pid };
  const kafkaNode = cluster?.node(1);
  const kafkaTarget: Target | undefined = kafkaNode
    ? { name: 'Kafka', bootstrap: kafkaNode.address, pid: kafkaNode.pid! }
    : undefined;
  console.log();
  if (sections.includes('1')) await kcatSection(options, kqTarget, kafkaTarget);
  if (sections.includes('2')) await clientsSection(options, kqTarget, kafkaTarget, cluster?.kafka.classpath);
  if (extra.includes('a')) await codecPart(options, kq.port);
  if (extra.includes('e')) await partE(kq.port, options.runs, Math.round(200_000 * options.scale));
  peaks.push(['kq broker of (1)(2)', peakRssMb(kq.pid)]);
  if (kafkaNode) peaks.push(['Apache Kafka node (JVM, -Xmx512m)', peakRssMb(kafkaNode.pid!)]);
} finally {
  await cluster?.stop();
  await kq.stop();
}
try {
  if (sections.includes('3')) {
    const scale = await scaleSection(options);
    for (const peak of scale.peakRssMb) peaks.push(['kq broker of (3) (all its partitions and connections)', peak]);
  }
  if (sections.includes('4')) {
    const latency = await latencySection(options);
    for (const peak of latency.peakRssMb) peaks.push(['kq broker of (4)', peak]);
  }
  if (extra.includes('d')) await partD();
  console.log('peak RSS (VmHWM), goal <= 150 MB for kq:');
  for (const [who, mb] of peaks) console.log(`    ${who}: ${fmt(mb)} MB`);
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
