// Section 3 of `npm run bench:broker`: how kq's broker grows, each on a fresh broker child.
//  - kcat throughput into a topic of 1, 10, 100 and 1,000 partitions (kcat spreads unkeyed messages at random),
//    consumed back with -e; RSS before and after creating each topic gives the memory per partition.
//  - 1,000 idle connections (each has had an ApiVersions answered, so it is a registered Kafka connection) held
//    open beside the 1-partition load: RSS per connection and the throughput with them open.
//  - start-up with the topics above (1,111 partitions) on disk after a clean shutdown, against an empty data dir.
//  - recovery after SIGKILL: a log written without fsync (Kafka's default flush policy) into one segment is
//    re-read and checksummed from its recovery point on the next start; the extra start-up time per GB written.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ApiKey } from '../src/broker/protocol/api-keys.js';
import { RawKafkaClient } from '../src/broker/client/raw-kafka-client.js';
import {
  cpuSeconds,
  fmt,
  median,
  peakRssDuring,
  peakRssMb,
  printTable,
  rate,
  rssMb,
  runCommand,
  startKqBroker,
  thousands,
  times,
  writeMessageFile,
  type BenchOptions,
  type CommandResult,
  type KqBroker,
} from './bench-support.js';
import { kcatConsumeArgs } from './bench-throughput.js';

/** Creates the topic and returns the seconds CreateTopics took. */
async function createTopic(bootstrap: string, topic: string, partitions: number): Promise<number> {
  const kafka = new Kafka({
    clientId: 'bench-scale',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    requestTimeout: 600_000,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const started = performance.now();
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], timeout: 600_000 });
    return (performance.now() - started) / 1000;
  } finally {
    await admin.disconnect();
  }
}

interface RoundTrip {
  produce: number;
  consume: number;
  produceCpu: number;
  consumeCpu: number;
  /** Peak RSS (MB) inside the produce and inside the consume. */
  producePeak: number;
  consumePeak: number;
}

async function kcatRoundTrip(broker: KqBroker, topic: string, file: string, count: number): Promise<RoundTrip> {
  const cpu0 = cpuSeconds(broker.pid);
  let produced: CommandResult | undefined;
  const producePeak = await peakRssDuring(broker.pid, async () => {
    produced = await runCommand('kcat', ['-b', broker.bootstrap, '-P', '-t', topic, '-l', file]);
  });
  const cpu1 = cpuSeconds(broker.pid);
  let consumed: CommandResult | undefined;
  const consumePeak = await peakRssDuring(broker.pid, async () => {
    consumed = await runCommand('kcat', kcatConsumeArgs(broker.bootstrap, topic));
  });
  const cpu2 = cpuSeconds(broker.pid);
  if (consumed!.stdoutBytes !== count)
    throw new Error(`kcat consumed ${consumed!.stdoutBytes} of ${count} from ${topic}`);
  return {
    produce: count / produced!.seconds,
    consume: count / consumed!.seconds,
    produceCpu: cpu1 - cpu0,
    consumeCpu: cpu2 - cpu1,
    producePeak,
    consumePeak,
  };
}

/** Opens `count` connections, each answered one ApiVersions request, and returns them still open. */
async function openIdleConnections(port: number, count: number): Promise<RawKafkaClient[]> {
  const clients: RawKafkaClient[] = [];
  for (let i = 0; i < count; i += 50) {
    const wave = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, async () => {
        const client = await RawKafkaClient.connect(port);
        await client.request(ApiKey.ApiVersions, 0, {}, 30_000);
        return client;
      }),
    );
    clients.push(...wave);
  }
  return clients;
}

function logBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += logBytes(path);
    else if (entry.name.endsWith('.log')) total += statSync(path).size;
  }
  return total;
}

export async function scaleSection(options: BenchOptions): Promise<{ peakRssMb: number[] }> {
  const count = Math.max(1000, Math.round(1_000_000 * options.scale));
  const file = join(options.work, 'scale-messages.txt');
  writeMessageFile(file, count, 100);
  const dataDir = join(options.work, 'scale');
  const peaks: number[] = [];
  const largest = Math.max(...options.partitionCounts);
  console.log(
    `(3) scale: kq only, fresh broker, kcat ${thousands(count)} x 100 B per topic (msg/s; broker CPU s per 1,000,000)`,
  );

  let broker = await startKqBroker(options, dataDir);
  const rows: string[][] = [];
  let perPartitionKb = NaN;
  let single: RoundTrip | undefined;
  // Where the section's peak RSS is reached: VmHWM of each step on its own (create / produce / consume).
  const stepPeaks: string[] = [];
  let sectionPeak = 0;
  const notePeaks = (label: string, ...mb: number[]) => {
    stepPeaks.push(`${label}: ${mb.map((x) => fmt(x)).join(' / ')}`);
    sectionPeak = Math.max(sectionPeak, ...mb.filter(Number.isFinite));
  };
  try {
    for (const partitions of options.partitionCounts) {
      const before = rssMb(broker.pid);
      let created = NaN;
      const createPeak = await peakRssDuring(broker.pid, async () => {
        created = await createTopic(broker.bootstrap, `scale-${partitions}`, partitions);
      });
      const after = rssMb(broker.pid);
      perPartitionKb = ((after - before) * 1024) / partitions; // the largest topic's figure is the one kept
      const trip = await kcatRoundTrip(broker, `scale-${partitions}`, file, count);
      notePeaks(thousands(partitions), createPeak, trip.producePeak, trip.consumePeak);
      if (partitions === 1) single = trip;
      rows.push([
        `${thousands(partitions)} partition(s)`,
        rate(trip.produce),
        rate(trip.consume),
        fmt((trip.produceCpu / count) * 1e6, 2),
        fmt((trip.consumeCpu / count) * 1e6, 2),
        `${fmt(after)} MB`,
        `${fmt(created, 2)} s`,
      ]);
    }
    const before = rssMb(broker.pid);
    let connections: RawKafkaClient[] = [];
    const openPeak = await peakRssDuring(broker.pid, async () => {
      connections = await openIdleConnections(broker.port, options.idleConnections);
    });
    const withIdle = rssMb(broker.pid);
    try {
      const createPeak = await peakRssDuring(broker.pid, async () => {
        await createTopic(broker.bootstrap, 'scale-idle', 1);
      });
      const trip = await kcatRoundTrip(broker, 'scale-idle', file, count);
      notePeaks(
        `1 + ${thousands(options.idleConnections)} idle conns (opening them first)`,
        openPeak,
        createPeak,
        trip.producePeak,
        trip.consumePeak,
      );
      rows.push([
        `1 partition + ${thousands(options.idleConnections)} idle conns`,
        `${rate(trip.produce)} (${times(trip.produce, single!.produce)})`,
        `${rate(trip.consume)} (${times(trip.consume, single!.consume)})`,
        fmt((trip.produceCpu / count) * 1e6, 2),
        fmt((trip.consumeCpu / count) * 1e6, 2),
        `${fmt(rssMb(broker.pid))} MB`,
        '',
      ]);
    } finally {
      for (const client of connections) client.close();
    }
    printTable(['topic', 'produce', 'consume', 'CPU produce', 'CPU consume', 'RSS after', 'CreateTopics'], rows);
    console.log(
      `    memory: ${fmt(perPartitionKb)} KB per partition (RSS growth creating ${thousands(largest)}); ${fmt(((withIdle - before) * 1024) / options.idleConnections)} KB per idle connection (RSS growth opening ${thousands(options.idleConnections)})`,
    );
    console.log(`    peak RSS inside each step (MB; partitions: create / produce / consume): ${stepPeaks.join('; ')}`);
    peaks.push(Math.max(sectionPeak, peakRssMb(broker.pid)));
    await broker.stop();

    // start-up: the same data dir (1,111 partitions + the idle-test topic), clean shutdown
    const empty = await startKqBroker(options, join(options.work, 'scale-empty'));
    const emptyMs = empty.startMs;
    await empty.stop();
    broker = await startKqBroker(options, dataDir);
    const partitionsOnDisk = options.partitionCounts.reduce((a, b) => a + b, 0) + 1;
    console.log(
      `    start-up (spawn to listening): ${fmt(broker.startMs, 0)} ms with ${thousands(partitionsOnDisk)} partitions on disk, ${fmt(emptyMs, 0)} ms empty`,
    );
    await broker.stop();

    // recovery after SIGKILL
    const recoveryDir = join(options.work, 'recovery');
    const recoveryFile = join(options.work, 'recovery-messages.txt');
    const perWrite = Math.max(1000, Math.round(100_000 * Math.min(1, options.scale * 10)));
    writeMessageFile(recoveryFile, perWrite, 1024);
    const targetBytes = Math.max(4 * 1024 * 1024, Math.round(1024 ** 3 * Math.min(1, options.scale)));
    // One segment for the whole log: a roll flushes the old segment and moves the recovery point, so with the
    // default 1 GiB segments only the bytes after the last roll would be re-read, not the GB measured.
    const oneSegment = ['--config', `log.segment.bytes=${2 ** 31 - 1}`];
    broker = await startKqBroker(options, recoveryDir, { brokerArgs: oneSegment });
    while (logBytes(recoveryDir) < targetBytes) {
      await runCommand('kcat', ['-b', broker.bootstrap, '-P', '-t', 'recovery', '-l', recoveryFile]);
    }
    await broker.kill();
    const written = logBytes(recoveryDir);
    // One restart: the first start after the kill re-reads every unflushed batch (recovery may checkpoint a new
    // recovery point, so a second start would measure less). The empty-broker start-up is the median of 3.
    // Recovery ends with an fsync of the segment, which waits for the writeback of what the kill left dirty in the
    // page cache, so the figure depends on when the kernel started that writeback. ext4 starts it when a file that
    // was truncated to zero is closed (auto_da_alloc; the kill closes the broker's fds): until 2e56bc4 a new log's
    // segment went through a no-op recovery that truncated it, and this figure was ~0.55 s per GB instead of ~1.0
    // (strace: the recovery's fsync of the .log 0.9 ms vs 294 ms; read and CRC work the same; load 3-6, 21:10).
    const recovered = await startKqBroker(options, recoveryDir, { readyTimeoutMs: 600_000, brokerArgs: oneSegment });
    const recoveredMs = recovered.startMs;
    await recovered.stop();
    const baseline: number[] = [];
    for (let run = 0; run < 3; run++) {
      const fresh = await startKqBroker(options, join(options.work, `scale-empty-${run}`));
      baseline.push(fresh.startMs);
      await fresh.stop();
    }
    const extraMs = recoveredMs - median(baseline);
    console.log(
      `    recovery after SIGKILL: ${fmt(written / 1024 / 1024, 0)} MB of log, ${fmt(recoveredMs, 0)} ms to listening (empty data dir: ${fmt(median(baseline), 0)} ms) = ${fmt(extraMs / (written / 1024 ** 3) / 1000, 2)} s per GB`,
    );
  } finally {
    await broker.stop();
  }
  return { peakRssMb: peaks };
}
