/**
 * `npm run bench:cluster [-- --count N] [-- --size BYTES] [-- --skip-kafka]`: produce and consume throughput on a
 * three-node cluster, kq (`kq broker --brokers 3`: three child processes, KRaft) vs Apache Kafka (three combined
 * KRaft JVMs), one run each.
 *
 * Per cluster: a topic with 3 partitions, replication factor 3, min.insync.replicas=2 (one partition led by each
 * node); kcat (librdkafka) produces `count` messages of `size` bytes with acks=all (-1), then reads them all back
 * (-e). The figures are wall-clock, kcat's start included, so run it on a quiet machine, and more than once.
 * One run at 15:30 on 2026-12-06, load 5-14 on 2 cores, 1,000,000 x 100 B: kq produce 436k msg/s, consume 816k;
 * Kafka 4.4 (3 JVMs, -Xmx512m) produce 62k, consume 401k.
 *
 * Before the timed produce, one acks=all record goes to each partition and is timed on its own (the warm-up line).
 * Why: a follower that asked a new partition's leader before the leader had applied the topic backs off
 * `replica.fetch.backoff.ms` (1 s, as in Kafka) before it fetches again, and an acks=all produce waits for it. With
 * 100,000 messages (~0.3 s of produce) that one-off second decided the figure: 84k-169k msg/s on main and 214k-271k
 * on the stop-3 commit at load 9-18, while 1,000,000 messages gave 344-370k on main vs 212-253k (2026-12-06, 20:05).
 * Hence also the default of 1,000,000 messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaCluster } from '../src/broker/cluster/kafka-cluster.js';
import { RawKafkaClient } from '../src/broker/client/raw-kafka-client.js';
import { waitUntilTopicServed } from '../src/broker/client/topic-readiness.js';
import { ApiKey } from '../src/broker/protocol/api-keys.js';
import { ApacheKafkaCluster } from '../src/kafka/index.js';
import { kcatConsumeArgs } from './bench-throughput.js';
import { runCommand, writeMessageFile } from './bench-support.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const count = option('--count', 1_000_000);
const size = option('--size', 100);
const skipKafka = args.includes('--skip-kafka');
const TOPIC = 'bench';

interface Figures {
  name: string;
  warmUpSeconds: number;
  produceSeconds: number;
  consumeSeconds: number;
}

const PARTITIONS = 3;

async function createTopic(bootstrap: string): Promise<void> {
  const [host, port] = bootstrap.split(',')[0]!.split(':') as [string, string];
  const client = await RawKafkaClient.connect(Number(port), host);
  try {
    const response = await client.request(ApiKey.CreateTopics, 7, {
      topics: [
        {
          name: TOPIC,
          numPartitions: PARTITIONS,
          replicationFactor: 3,
          assignments: [],
          configs: [{ name: 'min.insync.replicas', value: '2' }],
        },
      ],
      timeoutMs: 30_000,
      validateOnly: false,
    });
    const error = response.topics[0]?.errorCode ?? -1;
    if (error !== 0) throw new Error(`CreateTopics ${TOPIC} answered error ${error}`);
  } finally {
    client.close();
  }
  await waitUntilTopicServed(bootstrap, [TOPIC], 60_000);
}

async function measure(name: string, bootstrap: string, file: string, warmUpFile: string): Promise<Figures> {
  await createTopic(bootstrap);
  const produce = (args: string[], from: string) =>
    runCommand('kcat', ['-b', bootstrap, '-P', '-t', TOPIC, '-X', 'acks=all', ...args, '-l', from]);
  const warmUpStarted = performance.now();
  for (let partition = 0; partition < PARTITIONS; partition++) await produce(['-p', String(partition)], warmUpFile);
  const warmUpSeconds = (performance.now() - warmUpStarted) / 1000;
  const produced = await produce([], file);
  const consumed = await runCommand('kcat', kcatConsumeArgs(bootstrap, TOPIC));
  const expected = count + PARTITIONS;
  if (consumed.stdoutBytes !== expected)
    throw new Error(`${name}: consumed ${consumed.stdoutBytes} of ${expected} records`);
  return { name, warmUpSeconds, produceSeconds: produced.seconds, consumeSeconds: consumed.seconds };
}

function line(f: Figures): string {
  const rate = (seconds: number) =>
    `${Math.round(count / seconds / 1000)}k msg/s ${((count * size) / seconds / 1e6).toFixed(1)} MB/s`;
  const warmUp = `(warm-up: one acks=all record per partition, ${Math.round(f.warmUpSeconds * 1000)} ms)`;
  return `${f.name.padEnd(22)} produce acks=all ${rate(f.produceSeconds).padEnd(24)} consume ${rate(f.consumeSeconds).padEnd(24)} ${warmUp}`;
}

const work = mkdtempSync(join(tmpdir(), 'kq-bench-cluster-'));
const file = join(work, 'messages.txt');
writeMessageFile(file, count, size);
const warmUpFile = join(work, 'warm-up.txt');
writeMessageFile(warmUpFile, 1, size);
const results: Figures[] = [];
try {
  const kqBin = join(process.cwd(), 'bin', 'kq.js'); // run-ts bundles this script into a temp folder
  const kq = await KafkaCluster.start({
    brokers: 3,
    mode: 'child-process',
    nodeCommand: [process.execPath, kqBin, 'broker'],
    dataDir: join(work, 'kq'),
    startTimeoutMs: 60_000,
  });
  try {
    results.push(await measure('kq --brokers 3', kq.bootstrap, file, warmUpFile));
  } finally {
    await kq.close();
  }
  if (!skipKafka) {
    const kafka = await ApacheKafkaCluster.start({ brokers: 3, heap: '512m' });
    try {
      results.push(await measure('Apache Kafka, 3 nodes', kafka.bootstrap, file, warmUpFile));
    } finally {
      await kafka.stop();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(
  `${count} messages x ${size} B, topic of ${PARTITIONS} partitions, RF 3, min.insync.replicas=2, kcat, one run`,
);
for (const f of results) console.log(line(f));
const [kq, kafka] = results;
if (kq && kafka)
  console.log(
    `kq / Kafka: produce ${(kafka.produceSeconds / kq.produceSeconds).toFixed(2)}x, consume ${(kafka.consumeSeconds / kq.consumeSeconds).toFixed(2)}x`,
  );
