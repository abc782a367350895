import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { kcat, kcatInstalled } from '../support/kcat.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { fetch } from '../../../src/broker/client/request-builders.js';

let broker: KafkaBroker;
let kafka: Kafka;
const toDisconnect: Array<Producer | Admin> = [];

beforeEach(async () => {
  broker = await KafkaBroker.start();
  kafka = new Kafka({
    clientId: 'kq-test',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 2 },
    connectionTimeout: 2000,
    requestTimeout: 5000,
  });
});

afterEach(async () => {
  for (const client of toDisconnect.splice(0)) await client.disconnect();
  await broker.close();
});

async function producer(): Promise<Producer> {
  const p = kafka.producer({ allowAutoTopicCreation: true });
  toDisconnect.push(p);
  await p.connect();
  return p;
}

async function admin(): Promise<Admin> {
  const a = kafka.admin();
  toDisconnect.push(a);
  await a.connect();
  return a;
}

/** What the broker stored, read back with a raw Fetch (kafkajs' consumer needs groups, not served yet). */
async function storedValues(topic: string, partition = 0): Promise<string[]> {
  const client = await RawKafkaClient.connect(broker.port);
  try {
    const response = await client.request(ApiKey.Fetch, 11, fetch(topic, 0n, { partition }));
    const records = response.responses[0]?.partitions[0]?.records ?? Buffer.alloc(0);
    return [...batchesIn(records)].flatMap((b) =>
      decodeRecords(b).map((r) => `${r.key?.toString() ?? ''}=${r.value?.toString() ?? ''}`),
    );
  } finally {
    client.close();
  }
}

describe('kafkajs 2.2.4 against the mini-broker', () => {
  it.each([1, -1])('produces with acks=%i and gets the assigned offsets back', async (acks) => {
    const p = await producer();
    const result = await p.send({
      topic: 'acked',
      acks,
      messages: [
        { key: 'a', value: '1' },
        { key: 'b', value: '2' },
      ],
    });
    expect(result).toEqual([
      expect.objectContaining({ topicName: 'acked', partition: 0, errorCode: 0, baseOffset: '0' }),
    ]);
    expect(await storedValues('acked')).toEqual(['a=1', 'b=2']);
  });

  it('produces with acks=0 (no response awaited) and the messages are stored', async () => {
    const p = await producer();
    await p.send({ topic: 'fire', acks: 0, messages: [{ key: 'k', value: 'v' }] });
    // A later acknowledged send on the same connection is answered only after the acks=0 one was handled.
    await p.send({ topic: 'fire', acks: 1, messages: [{ key: 'k2', value: 'v2' }] });
    expect(await storedValues('fire')).toEqual(['k=v', 'k2=v2']);
  });

  it('produces gzip batches, stored as sent and readable by kcat', async () => {
    const p = await producer();
    const messages = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `gzip-${i}` }));
    await p.send({ topic: 'gz', acks: -1, compression: CompressionTypes.GZIP, messages });
    const stored = [...batchesIn(broker.log('gz', 0).read(0n, 1 << 20).records)];
    expect(stored.map((b) => b.compressionCodec)).toEqual([1]);
    if (kcatInstalled) {
      const consumed = await kcat(broker.bootstrap, ['-C', '-t', 'gz', '-o', 'beginning', '-e', '-f', '%k=%s\n']);
      expect(consumed.stdout).toBe(messages.map((m) => `${m.key}=${m.value}\n`).join(''));
    }
  });

  it('administers topics: createTopics, createPartitions, fetchTopicOffsets, deleteTopicRecords, deleteTopics', async () => {
    const a = await admin();
    expect(
      await a.createTopics({
        topics: [{ topic: 'admin', numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '60000' }] }],
      }),
    ).toBe(true);
    expect(await a.createTopics({ topics: [{ topic: 'admin' }] })).toBe(false);
    await a.createPartitions({ topicPartitions: [{ topic: 'admin', count: 3 }] });
    const p = await producer();
    await p.send({
      topic: 'admin',
      messages: [
        { value: 'x', partition: 2 },
        { value: 'y', partition: 2 },
      ],
    });
    const offsets = await a.fetchTopicOffsets('admin');
    expect(offsets.sort((x, y) => x.partition - y.partition)).toEqual([
      { partition: 0, offset: '0', high: '0', low: '0' },
      { partition: 1, offset: '0', high: '0', low: '0' },
      { partition: 2, offset: '2', high: '2', low: '0' },
    ]);
    await a.deleteTopicRecords({ topic: 'admin', partitions: [{ partition: 2, offset: '1' }] });
    expect((await a.fetchTopicOffsets('admin')).find((o) => o.partition === 2)).toEqual({
      partition: 2,
      offset: '2',
      high: '2',
      low: '1',
    });
    expect(await a.listTopics()).toEqual(['admin']);
    await a.deleteTopics({ topics: ['admin'] });
    expect(await a.listTopics()).toEqual([]);
  });

  it('rejects replication factor 3 with INVALID_REPLICATION_FACTOR', async () => {
    const a = await admin();
    const error = await a.createTopics({ topics: [{ topic: 'rf3', replicationFactor: 3 }] }).then(
      () => undefined,
      (e: unknown) => e as { errors?: Array<{ type?: string }> },
    );
    expect(error?.errors?.[0]?.type).toBe('INVALID_REPLICATION_FACTOR');
  });
});
