// Part (e) of `npm run bench:broker`: the idempotent producer path against the same broker child, each producer
// with idempotence on and off in alternating runs of the same bench run (median of R each):
//  (e1) kafkajs 2.2.4: sends of 1,000 x 100 B, 4 sends in flight, acks=-1 (kafkajs' idempotent producer
//       requires acks=-1, so both sides use it); on = `idempotent: true` (InitProducerId, sequence checks).
//  (e2) the Java producer (kafka-clients 4.x via Kafka's ProducerPerformance, -Xmx256m): acks=all,
//       enable.idempotence=true (its default) vs false. Skipped when no Java 17+ or no fetched Kafka
//       (`npm run kafka:fetch`).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { findJava, locateKafka } from '../src/kafka/index.js';

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function kafkajsRate(brokerPort: number, idempotent: boolean, messages: number, run: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench-e', brokers: [`127.0.0.1:${brokerPort}`], logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent, retry: { retries: 5 } });
  await producer.connect();
  const value = 'v'.repeat(100);
  const batch = Array.from({ length: 1000 }, () => ({ value }));
  const topic = `bench-e1-${idempotent ? 'on' : 'off'}-${run}`;
  await producer.send({ topic, acks: -1, messages: [{ value }] }); // creates the topic outside the timing
  let sent = 0;
  const started = performance.now();
  const loop = async () => {
    while (sent < messages) {
      sent += 1000;
      await producer.send({ topic, acks: -1, messages: batch });
    }
  };
  await Promise.all(Array.from({ length: 4 }, loop));
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return messages / seconds;
}

function javaRate(
  classpath: string,
  java: string,
  brokerPort: number,
  idempotent: boolean,
  records: number,
  run: number,
) {
  const args = [
    '-Xmx256m',
    '-cp',
    classpath,
    'org.apache.kafka.tools.ProducerPerformance',
    '--topic',
    `bench-e2-${idempotent ? 'on' : 'off'}-${run}`,
    '--num-records',
    String(records),
    '--record-size',
    '100',
    '--throughput',
    '-1',
    '--command-property',
    `bootstrap.servers=127.0.0.1:${brokerPort}`,
    'acks=all',
    `enable.idempotence=${idempotent}`,
  ];
  const result = spawnSync(java, args, { encoding: 'utf8', timeout: 300_000 });
  const summary = /(\d+) records sent, ([\d.]+) records\/sec/.exec(result.stdout.trim().split('\n').at(-1) ?? '');
  if (result.status !== 0 || !summary) {
    throw new Error(
      `ProducerPerformance failed (${result.status}): ${result.stderr.slice(-500)} ${result.stdout.slice(-500)}`,
    );
  }
  return Number(summary[2]);
}

export async function partE(brokerPort: number, runs: number, messages: number): Promise<void> {
  const on: number[] = [];
  const off: number[] = [];
  await kafkajsRate(brokerPort, true, messages / 4, -1); // warm-up, not counted: the broker's JIT and page cache
  for (let run = 0; run < runs; run++) {
    off.push(await kafkajsRate(brokerPort, false, messages, run));
    on.push(await kafkajsRate(brokerPort, true, messages, run));
  }
  console.log(
    `(e1) kafkajs 2.2.4, ${messages.toLocaleString('en')} x 100 B in sends of 1,000, 4 in flight, acks=-1, median of ${runs} alternating runs`,
  );
  console.log(
    `    idempotent off: ${fmt(median(off) / 1000, 0)}k msg/s   on: ${fmt(median(on) / 1000, 0)}k msg/s   (on/off ${fmt(median(on) / median(off), 2)}x)`,
  );

  let java;
  let kafka;
  try {
    java = findJava();
    // run-ts bundles this script into a temp dir, where locateKafka cannot find kafka/pom.xml from its own
    // module: the bench runs from the package root, so the pinned version is read from there.
    const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync('kafka/pom.xml', 'utf8'))?.[1];
    kafka = locateKafka(version ? { version } : {});
  } catch (error) {
    console.log(`(e2) skipped: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  if (!kafka) {
    console.log('(e2) skipped: no Apache Kafka fetched (npm run kafka:fetch)');
    return;
  }
  const javaOn: number[] = [];
  const javaOff: number[] = [];
  for (let run = 0; run < runs; run++) {
    javaOff.push(javaRate(kafka.classpath, java.executable, brokerPort, false, messages, run));
    javaOn.push(javaRate(kafka.classpath, java.executable, brokerPort, true, messages, run));
  }
  console.log(
    `(e2) Java producer (kafka-clients ${kafka.version}, ProducerPerformance), ${messages.toLocaleString('en')} x 100 B, acks=all, median of ${runs} alternating runs`,
  );
  console.log(
    `    enable.idempotence=false: ${fmt(median(javaOff) / 1000, 0)}k msg/s   true (default): ${fmt(median(javaOn) / 1000, 0)}k msg/s   (on/off ${fmt(median(javaOn) / median(javaOff), 2)}x)`,
  );
}
