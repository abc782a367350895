import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { startBrokerProcess } from '../support/broker-process.js';
import type { BrokerProcess } from '../support/broker-process.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { batchOf, createTopics, fetch, produce } from '../../../src/broker/client/request-builders.js';

let dataDir: string;
const brokers: KafkaBroker[] = [];
const processes: BrokerProcess[] = [];
const clients: RawKafkaClient[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kq-restart-'));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of brokers.splice(0)) await b.close();
  for (const p of processes.splice(0)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function startBroker(): Promise<KafkaBroker> {
  const broker = await KafkaBroker.start({ dataDir });
  brokers.push(broker);
  return broker;
}

async function connect(port: number): Promise<RawKafkaClient> {
  const client = await RawKafkaClient.connect(port);
  clients.push(client);
  return client;
}

/** Every value stored in the partition, read with raw Fetches until the high watermark. */
async function readAll(client: RawKafkaClient, topic: string, partition = 0): Promise<string[]> {
  const values: string[] = [];
  let offset = 0n;
  for (;;) {
    const response = await client.request(ApiKey.Fetch, 11, fetch(topic, offset, { partition, maxBytes: 1 << 20 }));
    const p = response.responses[0]?.partitions[0];
    if (!p || p.errorCode !== 0)
      throw new Error(`fetch ${topic}-${partition}@${offset} failed with error ${p?.errorCode}`);
    const batches = [...batchesIn(p.records ?? Buffer.alloc(0))];
    if (batches.length === 0) return values;
    for (const batch of batches) {
      for (const record of decodeRecords(batch))
        if (record.offset >= offset) values.push(record.value?.toString() ?? '');
      offset = batch.nextOffset;
    }
  }
}

describe('restart', () => {
  it('keeps topics, their configs and their data after a clean close', async () => {
    const first = await startBroker();
    const client = await connect(first.port);
    await client.request(
      ApiKey.CreateTopics,
      4,
      createTopics([
        { name: 'kept', numPartitions: 2, configs: { 'internal.segment.bytes': '1024', 'retention.ms': '-1' } },
      ]),
    );
    for (let i = 0; i < 40; i++)
      await client.request(ApiKey.Produce, 8, produce('kept', batchOf([`m${i}-${'x'.repeat(40)}`])));
    const segmentsBefore = first.log('kept', 0).segments.length;
    client.close();
    await first.close();
    brokers.length = 0;

    const second = await startBroker();
    expect(second.topics()).toEqual(['kept']);
    expect(second.log('kept', 0).loadInfo.cleanShutdown).toBe(true);
    expect(second.log('kept', 0).segments.length).toBe(segmentsBefore);
    const again = await connect(second.port);
    const values = await readAll(again, 'kept');
    expect(values).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}-${'x'.repeat(40)}`));
    // The topic's own internal.segment.bytes survived: more appends keep rolling small segments.
    for (let i = 0; i < 20; i++)
      await again.request(ApiKey.Produce, 8, produce('kept', batchOf([`n${i}-${'y'.repeat(40)}`])));
    expect(second.log('kept', 0).segments.length).toBeGreaterThan(segmentsBefore);
    const meta = await again.request(ApiKey.Metadata, 8, {
      topics: [{ name: 'kept' }],
      allowAutoTopicCreation: false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    });
    expect(meta.topics[0]?.partitions.length).toBe(2);
  });

  it('serves every acknowledged message after the broker process is SIGKILLed mid-load', async () => {
    const proc = await startBrokerProcess(['--data-dir', dataDir]);
    processes.push(proc);
    const kafka = new Kafka({
      clientId: 'crash',
      brokers: [proc.bootstrap],
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
      requestTimeout: 3000,
      connectionTimeout: 2000,
    });
    const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const acknowledged: string[] = [];
    // Several producers' worth of in-flight sends: keep 5 outstanding, kill once 300 are acknowledged.
    let next = 0;
    let killed = false;
    const sendLoop = async () => {
      while (!killed) {
        const value = `v${next++}`;
        try {
          await producer.send({ topic: 'crash', acks: -1, messages: [{ value }] });
          acknowledged.push(value);
          if (acknowledged.length >= 300 && !killed) {
            killed = true;
            proc.child.kill('SIGKILL');
          }
        } catch {
          return; // the broker died under this send: not acknowledged, may or may not be stored
        }
      }
    };
    await Promise.all(Array.from({ length: 5 }, sendLoop));
    await proc.exited;
    await producer.disconnect().catch(() => {});
    processes.length = 0;

    const restarted = await startBroker();
    expect(restarted.log('crash', 0).loadInfo.cleanShutdown).toBe(false);
    const stored = new Set(await readAll(await connect(restarted.port), 'crash'));
    const lost = acknowledged.filter((v) => !stored.has(v));
    expect(lost).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
  });
});
