import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { fetch } from '../../../src/broker/client/request-builders.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { incrementSequence } from '../../../src/broker/record/producer-sequence.js';
import { batchesIn, type RecordBatch } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { startBrokerProcess } from '../support/broker-process.js';
import type { BrokerProcess } from '../support/broker-process.js';
import { kcat, kcatInstalled } from '../support/kcat.js';
import { LossyProxy } from '../support/lossy-proxy.js';
import { spawn } from 'node:child_process';
import { findJava, locateKafka } from '../../../src/kafka/index.js';

const brokers: KafkaBroker[] = [];
const processes: BrokerProcess[] = [];
const producers: Producer[] = [];
const dirs: string[] = [];
const proxies: LossyProxy[] = [];
const PROXY_HOST = '127.0.0.2';

afterEach(async () => {
  for (const p of producers.splice(0)) await p.disconnect().catch(() => {});
  for (const p of proxies.splice(0)) await p.close();
  for (const b of brokers.splice(0)) await b.close();
  for (const p of processes.splice(0)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Every stored batch of the partition, read over the wire up to the high watermark. */
async function storedBatches(port: number, topic: string): Promise<RecordBatch[]> {
  const client = await RawKafkaClient.connect(port);
  try {
    const batches: RecordBatch[] = [];
    for (let offset = 0n; ;) {
      const response = await client.request(ApiKey.Fetch, 11, fetch(topic, offset));
      const got = [...batchesIn(response.responses[0]?.partitions[0]?.records ?? Buffer.alloc(0))];
      if (got.length === 0) return batches;
      batches.push(...got);
      offset = got.at(-1)?.nextOffset as bigint;
    }
  } finally {
    client.close();
  }
}

const values = (batches: RecordBatch[]) => batches.flatMap((b) => decodeRecords(b).map((r) => r.value?.toString()));

/** Each producer id's batches follow on from each other: sequence n+1 after n, in offset order. */
function expectGaplessSequences(batches: RecordBatch[]): void {
  const last = new Map<bigint, number>();
  for (const b of batches) {
    expect(b.hasProducerId, `batch at ${b.baseOffset} carries a producer id`).toBe(true);
    const previous = last.get(b.producerId);
    if (previous !== undefined) expect(b.baseSequence).toBe(incrementSequence(previous, 1));
    last.set(b.producerId, b.lastSequence);
  }
}

function kafkajs(bootstrap: string): Kafka {
  return new Kafka({
    clientId: 'kq-idem',
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 3000,
    retry: { initialRetryTime: 100, maxRetryTime: 500, retries: 30 },
  });
}

async function idempotentProducer(kafka: Kafka): Promise<Producer> {
  // retries are capped (kafkajs warns) so a test never spins forever; 30 covers a restart.
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: true });
  producers.push(producer);
  await producer.connect();
  return producer;
}

describe('kafkajs with idempotent: true', () => {
  it('gets a producer id from InitProducerId and stores every message once, sequences without gaps', async () => {
    const broker = await KafkaBroker.start();
    brokers.push(broker);
    const producer = await idempotentProducer(kafkajs(broker.bootstrap));
    const sent: string[] = [];
    await Promise.all(
      Array.from({ length: 4 }, async (_, loop) => {
        for (let i = 0; i < 25; i++) {
          const value = `k${loop}-${i}`;
          await producer.send({ topic: 'kjs', acks: -1, messages: [{ value }, { value: `${value}b` }] });
          sent.push(value, `${value}b`);
        }
      }),
    );
    const batches = await storedBatches(broker.port, 'kjs');
    expect(new Set(batches.map((b) => b.producerId)).size).toBe(1);
    expect(batches[0]?.producerEpoch).toBe(0);
    expectGaplessSequences(batches);
    expect(values(batches).sort()).toEqual([...sent].sort());
  });
});

/** kafkajs through a LossyProxy on 127.0.0.2, the broker advertising that address: every connection is proxied. */
describe.each([
  { idempotent: true, copies: 1 },
  { idempotent: false, copies: 2 },
])('kafkajs (idempotent: $idempotent) when a Produce response is lost', ({ idempotent, copies }) => {
  async function setUp(bootstrapPort: number) {
    const proxy = await LossyProxy.start(PROXY_HOST, bootstrapPort);
    proxies.push(proxy);
    const kafka = kafkajs(`${PROXY_HOST}:${bootstrapPort}`);
    const producer = kafka.producer({ idempotent, allowAutoTopicCreation: true, retry: { retries: 30 } });
    producers.push(producer);
    await producer.connect();
    await producer.send({ topic: 'lost', acks: -1, messages: [{ value: 'before' }] });
    return { proxy, producer };
  }

  it(`retries the batch and the partition holds it ${copies === 1 ? 'once' : 'twice'}`, async () => {
    const broker = await KafkaBroker.start({ advertisedHost: PROXY_HOST });
    brokers.push(broker);
    const { proxy, producer } = await setUp(broker.port);
    const dropped = proxy.dropNextResponse(ApiKey.Produce);
    await producer.send({ topic: 'lost', acks: -1, messages: [{ value: 'lost-response' }] });
    await dropped;
    await producer.send({ topic: 'lost', acks: -1, messages: [{ value: 'after' }] });
    const stored = values(await storedBatches(broker.port, 'lost'));
    expect(stored.filter((v) => v === 'lost-response')).toHaveLength(copies);
    expect(stored.at(-1)).toBe('after');
  });

  it(`…and the broker is SIGKILLed and restarted before the retry: the partition holds it ${copies === 1 ? 'once' : 'twice'}`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kq-idem-kjs-'));
    dirs.push(dataDir);
    const first = await startBrokerProcess(['--data-dir', dataDir, '--advertised-host', PROXY_HOST]);
    processes.push(first);
    const { proxy, producer } = await setUp(first.port);
    const dropped = proxy.dropNextResponse(ApiKey.Produce);
    const sending = producer.send({ topic: 'lost', acks: -1, messages: [{ value: 'lost-response' }] });
    await dropped;
    // The batch is in the log (page cache), its acknowledgement never arrived; the broker dies before the retry.
    first.child.kill('SIGKILL');
    await first.exited;
    processes.splice(processes.indexOf(first), 1);
    const second = await startBrokerProcess([
      '--data-dir',
      dataDir,
      '--advertised-host',
      PROXY_HOST,
      '--port',
      String(first.port),
    ]);
    processes.push(second);
    await sending;
    const stored = values(await storedBatches(second.port, 'lost'));
    expect(stored).toEqual(['before', ...Array(copies).fill('lost-response')]);
  });
});

describe.skipIf(!kcatInstalled)('kcat (librdkafka) with enable.idempotence=true', () => {
  it('produces through InitProducerId and its batches carry the producer id with gapless sequences', async () => {
    const broker = await KafkaBroker.start();
    brokers.push(broker);
    const lines = Array.from({ length: 200 }, (_, i) => `line-${i}`);
    const run = await kcat(
      broker.bootstrap,
      ['-P', '-t', 'rdk', '-X', 'enable.idempotence=true', '-X', 'linger.ms=5', '-X', 'batch.num.messages=7'],
      { input: `${lines.join('\n')}\n` },
    );
    expect(run.code, run.stderr).toBe(0);
    const batches = await storedBatches(broker.port, 'rdk');
    expect(batches.length).toBeGreaterThan(1);
    expectGaplessSequences(batches);
    expect(values(batches)).toEqual(lines);
  });
});

/** The fetched Apache Kafka's jars and a Java 17+, or undefined (then the Java test is skipped, saying why). */
function javaClient(): { java: string; classpath: string } | undefined {
  try {
    const kafka = locateKafka();
    return kafka ? { java: findJava().executable, classpath: kafka.classpath } : undefined;
  } catch {
    return undefined;
  }
}
const javaSetup = javaClient();

describe.skipIf(!javaSetup)(
  'the Java producer (kafka-clients 4.x) at its defaults: enable.idempotence=true, acks=all',
  () => {
    it('gets a producer id from InitProducerId and every record is stored once with gapless sequences', async () => {
      const { java, classpath } = javaSetup as { java: string; classpath: string };
      const broker = await KafkaBroker.start();
      brokers.push(broker);
      // Kafka's ProducerPerformance drives a KafkaProducer with only bootstrap.servers set: the client's defaults.
      const child = spawn(
        java,
        [
          '-Xmx256m',
          '-cp',
          classpath,
          'org.apache.kafka.tools.ProducerPerformance',
          '--topic',
          'java',
          '--num-records',
          '5000',
          '--record-size',
          '100',
          '--throughput',
          '-1',
          '--command-property',
          `bootstrap.servers=${broker.bootstrap}`,
        ],
        { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 60_000);
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      clearTimeout(timer);
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // the JVM's process group is already gone
      }
      expect(code, output).toBe(0);
      expect(output).toMatch(/5000 records sent/);
      const batches = await storedBatches(broker.port, 'java');
      expectGaplessSequences(batches);
      expect(batches.reduce((n, b) => n + b.recordCount, 0)).toBe(5000);
      expect(broker.log('java', 0).producerStateManager.activeProducers.size).toBe(1);
    });
  },
);
