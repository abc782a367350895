// Part (f) of `npm run bench:broker`: kq's broker against a single Apache Kafka node (the version kafka/pom.xml
// pins, started by src/kafka/) on the same machine in the same run. Alternating runs, median of R:
//  - kcat producing 1,000,000 x 100 B from a file, and consuming them back (-e, fetch.wait.max.ms=10);
//  - Kafka's own ProducerPerformance (kafka-producer-perf-test: acks=all, idempotence on, its defaults) and
//    ConsumerPerformance (kafka-consumer-perf-test), the classes in kafka-tools, run as JVMs.
// Prints each figure for both, the ratio kq/Kafka (> 1 means kq is faster), both brokers' start-up times and
// their peak RSS (VmHWM) at the end.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApacheKafkaCluster } from '../src/kafka/index.js';

interface Target {
  name: 'kq' | 'kafka';
  bootstrap: string;
  pid: number;
}

const MB = 1024 * 1024;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

function timed(command: string, args: string[]): { seconds: number; stdout: string } {
  const started = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * MB, timeout: 600_000 });
  if (run.status !== 0)
    throw new Error(`${command} ${args.slice(0, 8).join(' ')} failed (${run.status}): ${run.stderr.slice(-2000)}`);
  return { seconds: (performance.now() - started) / 1000, stdout: run.stdout };
}

/** Starts `kq broker` as a child and measures spawn → "listening on". */
async function startKq(
  root: string,
  dataDir: string,
): Promise<{ target: Target; startMs: number; stop(): Promise<void> }> {
  const started = performance.now();
  const proc = spawn(process.execPath, ['bin/kq.js', 'broker', '--port', '0', '--data-dir', dataDir], { cwd: root });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`kq broker: no "listening on" in 15 s: ${out}`)), 15_000);
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (?:\S+:)?(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    proc.stderr.resume();
  });
  return {
    target: { name: 'kq', bootstrap: `127.0.0.1:${port}`, pid: proc.pid! },
    startMs: performance.now() - started,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.on('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

export async function partF(
  root: string,
  work: string,
  messagesFile: string,
  messages: number,
  runs: number,
): Promise<void> {
  const kq = await startKq(root, join(work, 'broker-f'));
  let cluster: ApacheKafkaCluster | undefined;
  try {
    cluster = await ApacheKafkaCluster.start({ brokers: 1 });
    const node = cluster.node(1);
    const kafka: Target = { name: 'kafka', bootstrap: node.address, pid: node.pid! };
    const java = ['-Xmx512m', '-Dlog4j2.level=WARN', '-cp', cluster.kafka.classpath];
    const samples: Record<string, Record<Target['name'], number[]>> = {};
    const add = (what: string, target: Target, perSecond: number) => {
      (samples[what] ??= { kq: [], kafka: [] })[target.name].push(perSecond);
    };

    for (let run = 0; run < runs; run++) {
      for (const target of run % 2 === 0 ? [kq.target, kafka] : [kafka, kq.target]) {
        const topic = `bench-f-${run}`;
        const produced = timed('kcat', ['-b', target.bootstrap, '-P', '-t', topic, '-l', messagesFile]);
        add('kcat produce', target, messages / produced.seconds);
        const consumed = timed('kcat', kcatConsumeArgs(target.bootstrap, topic));
        const count = consumed.stdout.split('\n').filter(Boolean).length;
        if (count !== messages) throw new Error(`kcat consumed ${count} of ${messages} from ${target.name}`);
        add('kcat consume', target, messages / consumed.seconds);

        const perfTopic = `bench-perf-${run}`;
        const producer = timed('java', [
          ...java,
          'org.apache.kafka.tools.ProducerPerformance',
          '--topic',
          perfTopic,
          '--num-records',
          String(messages),
          '--record-size',
          '100',
          '--throughput',
          '-1',
          '--producer-props',
          `bootstrap.servers=${target.bootstrap}`,
        ]);
        // last line: "1000000 records sent, 123456.7 records/sec (11.77 MB/sec), 12.3 ms avg latency, ..."
        const sent = /records sent, ([\d.]+) records\/sec/.exec(producer.stdout.trim().split('\n').pop() ?? '');
        if (!sent)
          throw new Error(
            `ProducerPerformance printed no summary against ${target.name}: ${producer.stdout.slice(-500)}`,
          );
        add('ProducerPerformance', target, Number(sent[1]));

        const consumer = timed('java', [
          ...java,
          'org.apache.kafka.tools.ConsumerPerformance',
          '--bootstrap-server',
          target.bootstrap,
          '--topic',
          perfTopic,
          '--num-records',
          String(messages),
          '--timeout',
          '60000',
          '--hide-header',
        ]);
        // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
        const fields = (consumer.stdout.trim().split('\n').pop() ?? '').split(',').map((f) => f.trim());
        if (Number(fields[4]) < messages)
          throw new Error(`ConsumerPerformance read ${fields[4]} of ${messages} from ${target.name}`);
        add('ConsumerPerformance', target, Number(fields[5]));
        add('ConsumerPerformance (fetch only)', target, Number(fields[9]));
      }
    }

    console.log(
      `(f) kq's broker vs Apache Kafka ${cluster.kafka.version} (1 KRaft node, -Xmx512m), ${messages.toLocaleString('en')} x 100 B, median of ${runs} alternating runs`,
    );
    for (const [what, bySide] of Object.entries(samples)) {
      const [k, a] = [median(bySide.kq), median(bySide.kafka)];
      console.log(
        `    ${what.padEnd(34)} kq ${fmt(k / 1000, 0).padStart(5)}k msg/s   Kafka ${fmt(a / 1000, 0).padStart(5)}k msg/s   kq/Kafka ${fmt(k / a, 2)}x`,
      );
    }
    console.log(
      `    start-up: kq broker ${fmt(kq.startMs, 0)} ms (spawn to listening); Kafka ${cluster.timings.startMs} ms (JVM spawn to Metadata answered) + ${cluster.timings.formatMs} ms formatting storage`,
    );
    console.log(
      `    peak RSS (VmHWM): kq broker ${fmt(peakRssMb(kq.target.pid))} MB, Kafka node ${fmt(peakRssMb(kafka.pid))} MB`,
    );
  } finally {
    await cluster?.stop();
    await kq.stop();
  }
}

/**
 * kcat reading a whole topic once, printing one line per message, as both broker benchmarks time it. Without
 * fetch.wait.max.ms=10, kcat's last Fetch long-polls for 500 ms (Kafka's default) at the end of the partition,
 * and the figure would include that wait rather than transfer.
 */
export function kcatConsumeArgs(bootstrap: string, topic: string): string[] {
  return [
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
    '%o\n',
  ];
}
