import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { batchOf, createTopics, fetch, produce } from '../../../src/broker/client/request-builders.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';

const brokers: KafkaBroker[] = [];
const clients: RawKafkaClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of brokers.splice(0)) await b.close();
});

const PARTITIONS = 4;
const BATCHES = 40;
const RECORDS_PER_BATCH = 20;
const PART_MAX_BYTES = 256 * 1024;

describe('Fetch with pooled read buffers', () => {
  it('serves every partition the bytes it stores while concurrent fetches reuse each other’s buffers', async () => {
    const broker = await KafkaBroker.start();
    brokers.push(broker);
    const admin = await RawKafkaClient.connect(broker.port);
    clients.push(admin);
    await admin.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'pooled', numPartitions: PARTITIONS }]));
    // Each partition gets its own content (~1 KB records), so a buffer served to the wrong response shows.
    for (let b = 0; b < BATCHES; b++) {
      for (let p = 0; p < PARTITIONS; p++) {
        const values = Array.from({ length: RECORDS_PER_BATCH }, (_, r) => `p${p}-b${b}-r${r}-`.padEnd(1000, `${p}`));
        const response = await admin.request(ApiKey.Produce, 8, produce('pooled', batchOf(values), { partition: p }));
        expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
      }
    }
    const consumers = await Promise.all(
      Array.from({ length: PARTITIONS }, async () => {
        const client = await RawKafkaClient.connect(broker.port);
        clients.push(client);
        return client;
      }),
    );

    // All partitions are read to the end at once, one fetch in flight per connection, each of a few batches.
    const fetchesPerPartition = await Promise.all(
      consumers.map(async (client, p) => {
        const log = broker.log('pooled', p);
        let offset = 0n;
        let fetches = 0;
        while (offset < log.highWatermark) {
          const response = await client.request(
            ApiKey.Fetch,
            11,
            fetch('pooled', offset, { partition: p, partitionMaxBytes: PART_MAX_BYTES, maxBytes: PART_MAX_BYTES }),
          );
          const served = response.responses[0]!.partitions[0]!;
          expect(served.errorCode).toBe(ErrorCode.NONE);
          const stored = log.read(offset, PART_MAX_BYTES, { maxOffset: log.highWatermark }).records;
          expect(served.records!.length).toBeGreaterThan(0);
          expect(Buffer.compare(served.records!, stored)).toBe(0);
          offset = [...batchesIn(served.records!)].at(-1)!.nextOffset;
          fetches += 1;
        }
        return fetches;
      }),
    );

    expect(fetchesPerPartition.every((n) => n > 1)).toBe(true);
    const pool = broker.metrics().readBuffers;
    // Far fewer buffers were created than fetches served: later fetches read into earlier fetches' memory.
    const served = fetchesPerPartition.reduce((a, b) => a + b, 0);
    expect(pool.reused).toBeGreaterThan(served / 2);
    expect(pool.created).toBeLessThanOrEqual(PARTITIONS * 2);
  });
});
