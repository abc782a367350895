import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../src/broker/client/raw-kafka-client.js';
import { ApiKey } from '../../src/broker/protocol/index.js';
import { buildRecordBatch } from '../../src/broker/record/record-batch-builder.js';
import { KafkaBroker } from '../../src/broker/server/kafka-broker.js';
import { RawPartitionReader } from '../../src/demo/raw-partition-reader.js';

let broker: KafkaBroker;
let reader: RawPartitionReader;

beforeEach(async () => {
  broker = await KafkaBroker.start({ config: { 'num.partitions': 2 } });
  reader = new RawPartitionReader(broker.bootstrap);
});

afterEach(async () => {
  reader.close();
  await broker.close();
});

async function createTopic(name: string): Promise<void> {
  const raw = await RawKafkaClient.connect(broker.port);
  try {
    const response = await raw.request(ApiKey.CreateTopics, 4, {
      topics: [{ name, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(response.topics[0]?.errorCode).toBe(0);
  } finally {
    raw.close();
  }
}

async function produce(topic: string, partition: number, values: string[] | Buffer): Promise<void> {
  const records = Buffer.isBuffer(values) ? values : buildRecordBatch({ records: values.map((value) => ({ value })) });
  const client = await reader.leaderConnection(topic, partition);
  const response = await client.request(ApiKey.Produce, 8, {
    transactionalId: null,
    acks: -1,
    timeoutMs: 5000,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, records }] }],
  });
  expect(response.responses[0]?.partitions[0]?.errorCode).toBe(0);
}

describe('RawPartitionReader.parseBootstrap', () => {
  it.each([
    ['127.0.0.1:9092', ['127.0.0.1', 9092]],
    ['kafka-1:19092,kafka-2:19092', ['kafka-1', 19092]],
    [' host:1 ', ['host', 1]],
  ] as const)('reads %j as the first host and port', (bootstrap, expected) => {
    expect(RawPartitionReader.parseBootstrap(bootstrap)).toEqual(expected);
  });

  it.each(['localhost', ':9092', 'host:', 'host:abc'])('rejects %j with a hint', (bootstrap) => {
    expect(() => RawPartitionReader.parseBootstrap(bootstrap)).toThrow(/host:port/);
  });
});

describe('RawPartitionReader', () => {
  it('reads every record of a partition in offset order, batch by batch', async () => {
    await createTopic('orders');
    await produce('orders', 1, ['a', 'b']);
    await produce('orders', 1, ['c']);
    const batches = await reader.readBatches('orders', 1);
    expect(batches.map((b) => [b.baseOffset, b.lastOffset])).toEqual([
      [0n, 1n],
      [2n, 2n],
    ]);
    expect((await reader.readRecords('orders', 1)).map((r) => `${r.offset}:${r.value?.toString()}`)).toEqual([
      '0:a',
      '1:b',
      '2:c',
    ]);
    expect(await reader.readRecords('orders', 0)).toEqual([]);
  });

  it('keeps fetching until the high watermark when the partition holds more than one fetch returns', async () => {
    await createTopic('large');
    // 25 batches of ~200 KB: five times what one 1 MB fetch returns (the same bytes each time; offsets come from the broker)
    const batch = buildRecordBatch({ records: [{ value: 'x'.repeat(100_000) }, { value: 'y'.repeat(100_000) }] });
    for (let i = 0; i < 25; i++) await produce('large', 0, batch);
    const batches = await reader.readRecordBatches('large', 0);
    expect(batches).toHaveLength(25);
    expect(batches.at(-1)?.lastOffset).toBe(49n);
  });

  it('says which partition has no leader when the topic does not exist', async () => {
    await expect(reader.readRecords('missing', 0)).rejects.toThrow(/no leader known for missing-0/);
  });
});
