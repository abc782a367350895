// Sections 1 and 2 of `npm run bench:broker`: throughput of kq's broker beside its yardsticks, alternating runs in
// one bench run, medians with spreads.
//  (1) kcat producing and consuming 1,000,000 x 100 B, 100,000 x 1 KB and 10,000 x 10 KB messages: kq vs
//      librdkafka's in-process mock cluster (produce only: the mock lives inside one kcat process, so a second
//      kcat cannot consume from it) and vs one Apache Kafka node (both directions). kcat consumes with -e and
//      fetch.wait.max.ms=10 (the final long poll at the end of the partition would otherwise count) and prints
//      one byte per record (-f x), so its own formatting does not dominate.
//  (2) kafkajs and Java (Kafka's ProducerPerformance / ConsumerPerformance from kafka-tools) against kq and Kafka.
// Every figure includes the client's process start, as a user would see it. Beside each wall-clock figure the
// broker's own CPU seconds for the same phase (/proc): on a machine shared with other work, wall time measures
// the load as much as the broker, while CPU per message barely moves.
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  cpuSeconds,
  fmt,
  median,
  printTable,
  rate,
  runCommand,
  runCommandWithCpu,
  spread,
  thousands,
  times,
  writeMessageFile,
  type BenchOptions,
} from './bench-support.js';

/** A broker a client can be pointed at: kq's child or an Apache Kafka node. */
export interface Target {
  readonly name: 'kq' | 'Kafka';
  readonly bootstrap: string;
  readonly pid: number;
}

interface Sample {
  produceSeconds: number[];
  consumeSeconds: number[];
  produceCpu: number[];
  consumeCpu: number[];
  /** kcat's own CPU seconds while producing (for the mock: kcat and the mock broker inside it). */
  producerCpu: number[];
}
const emptySample = (): Sample => ({
  produceSeconds: [],
  consumeSeconds: [],
  produceCpu: [],
  consumeCpu: [],
  producerCpu: [],
});

export interface MessageSize {
  readonly count: number;
  readonly bytes: number;
  readonly label: string;
}

/** The three shapes, scaled (--quick). */
export function messageSizes(scale: number): MessageSize[] {
  return [
    { count: 1_000_000, bytes: 100, label: '100 B' },
    { count: 100_000, bytes: 1024, label: '1 KB' },
    { count: 10_000, bytes: 10 * 1024, label: '10 KB' },
  ].map((s) => ({ ...s, count: Math.max(100, Math.round(s.count * scale)) }));
}

/**
 * kcat reading a whole topic once (-e), printing one byte per record (-f x, so its own formatting does not
 * dominate). Without fetch.wait.max.ms=10 its last Fetch long-polls for 500 ms (Kafka's default) at the end of
 * the partition, and the figure would include that wait rather than transfer.
 */
export const kcatConsumeArgs = (bootstrap: string, topic: string): string[] => [
  '-b',
  bootstrap,
  '-C',
  '-t',
  topic,
  '-o',
  'beginning',
  '-e',
  '-q',
  '-X',
  'fetch.wait.max.ms=10',
  '-f',
  'x',
];

/** Produces `file` with kcat to `topic` and consumes it back; returns seconds and the broker's CPU seconds. */
async function kcatRoundTrip(target: Target, topic: string, file: string, count: number, sample: Sample) {
  let cpu = cpuSeconds(target.pid);
  const produced = await runCommandWithCpu('kcat', ['-b', target.bootstrap, '-P', '-t', topic, '-l', file]);
  let after = cpuSeconds(target.pid);
  sample.produceSeconds.push(produced.seconds);
  sample.produceCpu.push(after - cpu);
  sample.producerCpu.push(produced.cpuSeconds);
  cpu = after;
  const consumed = await runCommand('kcat', kcatConsumeArgs(target.bootstrap, topic));
  after = cpuSeconds(target.pid);
  if (consumed.stdoutBytes !== count)
    throw new Error(`kcat consumed ${consumed.stdoutBytes} of ${count} records from ${target.name} (${topic})`);
  sample.consumeSeconds.push(consumed.seconds);
  sample.consumeCpu.push(after - cpu);
}

export interface KcatFigures {
  /** Per size label: kq's consume rate over its produce rate, median of the runs' ratios. */
  consumeOverProduce: Map<string, number>;
}

export async function kcatSection(options: BenchOptions, kq: Target, kafka: Target | undefined): Promise<KcatFigures> {
  const sizes = messageSizes(options.scale);
  const files = new Map(sizes.map((s) => [s.label, join(options.work, `messages-${s.bytes}.txt`)]));
  for (const s of sizes) writeMessageFile(files.get(s.label)!, s.count, s.bytes);
  const samples = new Map<string, Map<string, Sample>>(); // size label -> target name -> sample
  const sampleOf = (size: MessageSize, name: string) => {
    const bySize = samples.get(size.label) ?? new Map<string, Sample>();
    samples.set(size.label, bySize);
    const sample = bySize.get(name) ?? emptySample();
    bySize.set(name, sample);
    return sample;
  };
  for (let run = 0; run < options.runs; run++) {
    for (const size of sizes) {
      const file = files.get(size.label)!;
      const order = ['kq', 'mock', 'Kafka'];
      for (const name of run % 2 === 0 ? order : order.reverse()) {
        const topic = `bench-kcat-${size.bytes}-${run}`;
        if (name === 'kq') await kcatRoundTrip(kq, topic, file, size.count, sampleOf(size, 'kq'));
        if (name === 'Kafka' && kafka) await kcatRoundTrip(kafka, topic, file, size.count, sampleOf(size, 'Kafka'));
        if (name === 'mock') {
          const mock = await runCommandWithCpu('kcat', [
            '-b',
            'mock:9092',
            '-X',
            'test.mock.num.brokers=1',
            '-P',
            '-t',
            topic,
            '-l',
            file,
          ]);
          sampleOf(size, 'mock').produceSeconds.push(mock.seconds);
          sampleOf(size, 'mock').producerCpu.push(mock.cpuSeconds);
        }
      }
    }
  }

  console.log(
    `(1) kcat ${kafka ? 'against kq, librdkafka’s mock cluster and Apache Kafka' : 'against kq and librdkafka’s mock cluster (Apache Kafka skipped)'}: messages per second, median of ${options.runs} alternating run(s)`,
  );
  const rows: string[][] = [];
  const cpuRows: string[][] = [];
  const mockRows: string[][] = [];
  const consumeOverProduce = new Map<string, number>();
  for (const size of sizes) {
    const bySize = samples.get(size.label)!;
    const k = bySize.get('kq')!;
    const m = bySize.get('mock')!;
    const a = bySize.get('Kafka');
    const perSecond = (seconds: number[]) => size.count / median(seconds);
    const ratios = k.produceSeconds.map((p, i) => p / k.consumeSeconds[i]!);
    consumeOverProduce.set(size.label, median(ratios));
    rows.push([
      `${thousands(size.count)} x ${size.label}`,
      rate(perSecond(k.produceSeconds)),
      rate(perSecond(m.produceSeconds)),
      times(perSecond(k.produceSeconds), perSecond(m.produceSeconds)),
      a ? rate(perSecond(a.produceSeconds)) : '–',
      a ? times(perSecond(k.produceSeconds), perSecond(a.produceSeconds)) : '–',
      rate(perSecond(k.consumeSeconds)),
      a ? rate(perSecond(a.consumeSeconds)) : '–',
      a ? times(perSecond(k.consumeSeconds), perSecond(a.consumeSeconds)) : '–',
      `${fmt(median(ratios), 2)}x (${spread(ratios)})`,
    ]);
    const perMillion = (cpu: number[]) => fmt((median(cpu) / size.count) * 1e6, 2);
    cpuRows.push([
      `${thousands(size.count)} x ${size.label}`,
      perMillion(k.produceCpu),
      a ? perMillion(a.produceCpu) : '–',
      perMillion(k.consumeCpu),
      a ? perMillion(a.consumeCpu) : '–',
      times(median(k.produceCpu), median(k.consumeCpu)),
    ]);
    const mockOwn = median(m.producerCpu) - median(k.producerCpu);
    mockRows.push([
      `${thousands(size.count)} x ${size.label}`,
      perMillion(k.producerCpu),
      perMillion(k.produceCpu),
      perMillion(m.producerCpu),
      fmt((mockOwn / size.count) * 1e6, 2),
      times(median(k.producerCpu) + median(k.produceCpu), median(m.producerCpu)),
    ]);
  }
  printTable(
    [
      'messages',
      'kq produce',
      'mock',
      'kq/mock',
      'Kafka',
      'kq/Kafka',
      'kq consume',
      'Kafka',
      'kq/Kafka',
      'kq consume/produce (spread)',
    ],
    rows,
  );
  console.log('    goals: kq produce >= 1.0x the mock; kq >= 1.0x Kafka both ways; kq consume >= 1.2x kq produce');
  console.log('    broker CPU seconds per 1,000,000 messages (user + system, /proc; median), the load-robust view:');
  printTable(['messages', 'kq produce', 'Kafka produce', 'kq consume', 'Kafka consume', 'kq produce/consume'], cpuRows);
  console.log(
    '    produce CPU seconds per 1,000,000 messages (median), kcat from the shell’s `times`: what the mock costs beside kq',
  );
  printTable(
    ['messages', 'kcat to kq', 'kq broker', 'kcat + mock', 'mock alone (difference)', 'CPU kq path / mock path'],
    mockRows,
  );
  console.log(
    '    the mock is librdkafka’s C broker inside kcat, keeping batches in memory; the kq path adds a broker process that',
  );
  console.log(
    '    writes every batch to a segment: on shared cores its wall time follows the CPU of both columns, the mock’s of one',
  );
  return { consumeOverProduce };
}

// ---------------------------------------------------------------- (2) kafkajs and Java

async function kafkajsProduce(target: Target, topic: string, messages: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [target.bootstrap], logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const value = 'v'.repeat(100);
  await producer.send({ topic, acks: 1, messages: [{ value }] }); // creates the topic outside the timing
  const batch = Array.from({ length: 1000 }, () => ({ value }));
  let sent = 0;
  const started = performance.now();
  const loop = async () => {
    while (sent < messages) {
      sent += 1000;
      await producer.send({ topic, acks: 1, messages: batch });
    }
  };
  await Promise.all(Array.from({ length: 4 }, loop));
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return messages / seconds;
}

/** A new group reads the topic from the beginning; timed from its first batch (the group join is not counted). */
async function kafkajsConsume(target: Target, topic: string, messages: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [target.bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let first = 0;
  let received = 0;
  const seconds = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kafkajs read ${received} of ${messages} in 300 s`)), 300_000);
    void consumer
      .run({
        eachBatch: async ({ batch }) => {
          if (first === 0) first = performance.now();
          received += batch.messages.length;
          if (received >= messages) {
            clearTimeout(timer);
            resolve((performance.now() - first) / 1000);
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return messages / seconds;
}

async function javaProducer(classpath: string, target: Target, topic: string, messages: number): Promise<number> {
  const run = await runCommand(
    'java',
    [
      '-Xmx512m',
      '-Dlog4j2.level=WARN',
      '-cp',
      classpath,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      topic,
      '--num-records',
      String(messages),
      '--record-size',
      '100',
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${target.bootstrap}`,
    ],
    { keepStdout: true },
  );
  // last line: "1000000 records sent, 123456.7 records/sec (11.77 MB/sec), 12.3 ms avg latency, ..."
  const sent = /records sent, ([\d.]+) records\/sec/.exec(run.stdout.trim().split('\n').pop() ?? '');
  if (!sent)
    throw new Error(`ProducerPerformance printed no summary against ${target.name}: ${run.stdout.slice(-500)}`);
  return Number(sent[1]);
}

async function javaConsumer(classpath: string, target: Target, topic: string, messages: number): Promise<number> {
  const run = await runCommand(
    'java',
    [
      '-Xmx512m',
      '-Dlog4j2.level=WARN',
      '-cp',
      classpath,
      'org.apache.kafka.tools.ConsumerPerformance',
      '--bootstrap-server',
      target.bootstrap,
      '--topic',
      topic,
      '--num-records',
      String(messages),
      '--timeout',
      '60000',
      '--hide-header',
    ],
    { keepStdout: true },
  );
  // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
  // fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec — the fetch-only rate leaves out the group join.
  const fields = (run.stdout.trim().split('\n').pop() ?? '').split(',').map((f) => f.trim());
  if (Number(fields[4]) < messages)
    throw new Error(`ConsumerPerformance read ${fields[4]} of ${messages} from ${target.name}`);
  return Number(fields[9]);
}

export async function clientsSection(
  options: BenchOptions,
  kq: Target,
  kafka: Target | undefined,
  javaClasspath: string | undefined,
): Promise<void> {
  const messages = Math.max(1000, Math.round(1_000_000 * options.scale));
  const samples = new Map<string, { kq: number[]; Kafka: number[] }>();
  const add = (what: string, target: Target, perSecond: number) => {
    const entry = samples.get(what) ?? { kq: [], Kafka: [] };
    samples.set(what, entry);
    entry[target.name].push(perSecond);
  };
  for (let run = 0; run < options.runs; run++) {
    const targets = kafka ? (run % 2 === 0 ? [kq, kafka] : [kafka, kq]) : [kq];
    for (const target of targets) {
      const topic = `bench-clients-${run}`;
      add('kafkajs produce', target, await kafkajsProduce(target, topic, messages));
      add('kafkajs consume', target, await kafkajsConsume(target, topic, messages));
      if (javaClasspath) {
        const javaTopic = `bench-java-${run}`;
        add('Java producer', target, await javaProducer(javaClasspath, target, javaTopic, messages));
        add('Java consumer', target, await javaConsumer(javaClasspath, target, javaTopic, messages));
      }
    }
  }
  console.log(
    `(2) kafkajs 2.2.4 and Java (kafka-clients via ProducerPerformance/ConsumerPerformance), ${thousands(messages)} x 100 B, messages per second, median of ${options.runs} alternating run(s)`,
  );
  const rows = [...samples].map(([what, bySide]) => [
    what,
    rate(median(bySide.kq)),
    kafka ? rate(median(bySide.Kafka)) : '–',
    kafka ? times(median(bySide.kq), median(bySide.Kafka)) : '–',
    `${spread(
      bySide.kq.map((v) => v / 1000),
      0,
    )}k`,
  ]);
  printTable(['client', 'kq', 'Kafka', 'kq/Kafka', 'kq runs'], rows);
  console.log(
    '    kafkajs: sends of 1,000, 4 in flight, acks=1; consume timed from the first batch (group join excluded).',
  );
  if (javaClasspath)
    console.log(
      '    Java: ProducerPerformance with its defaults (acks=all, idempotent); ConsumerPerformance fetch rate.',
    );
  else console.log('    Java: skipped (no Apache Kafka distribution: npm run kafka:fetch, Java 17+).');
}
