import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../src/broker/client/raw-kafka-client.js';
import { ApiKey } from '../../src/broker/protocol/api-keys.js';
import { KafkaBroker } from '../../src/broker/server/kafka-broker.js';
import { batchesIn } from '../../src/broker/record/record-batch.js';
import { buildRecordBatch } from '../../src/broker/record/record-batch-builder.js';
import { decodeRecords } from '../../src/broker/record/record-decoder.js';
import {
  connectToLeader,
  FETCH_VERSION,
  fetchRequest,
  parseHostPort,
  partitionOf,
  type FetchResponse,
} from '../../src/demo/raw-fetch.js';

const brokers: KafkaBroker[] = [];
const clients: RawKafkaClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const broker of brokers.splice(0)) await broker.close();
});

async function startBroker(): Promise<KafkaBroker> {
  const broker = await KafkaBroker.start({ port: 0, config: { 'auto.create.topics.enable': false } });
  brokers.push(broker);
  return broker;
}

async function createTopic(client: RawKafkaClient, name: string): Promise<void> {
  const created = await client.request(ApiKey.CreateTopics, 4, {
    topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
    timeoutMs: 5000,
    validateOnly: false,
  });
  expect(created.topics[0]?.errorCode).toBe(0);
}

describe('parseHostPort', () => {
  it.each([
    ['127.0.0.1:9092', { host: '127.0.0.1', port: 9092 }],
    ['kafka-1.internal:19092', { host: 'kafka-1.internal', port: 19092 }],
  ])('splits %s', (address, expected) => {
    expect(parseHostPort(address)).toEqual(expected);
  });

  it.each(['localhost', ':9092', 'host:', 'host:0', 'host:70000', 'host:9o92'])(
    'rejects %s, showing the expected form',
    (address) => {
      expect(() => parseHostPort(address)).toThrow(/is not host:port \(e\.g\. 127\.0\.0\.1:9092\)/);
    },
  );
});

describe('partitionOf', () => {
  it('names the partition a response lacks', () => {
    const response: FetchResponse = { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: [] };
    expect(() => partitionOf(response, 'orders', 2)).toThrow('the Fetch response has no entry for orders-2');
  });
});

describe('connectToLeader', () => {
  it('refuses a topic with no leader, saying to create it first', async () => {
    const broker = await startBroker();
    await expect(connectToLeader(broker.bootstrap, 'missing')).rejects.toThrow(
      'no leader is known for missing-0; create the topic first',
    );
  });

  it("connects to the partition's leader, where a consumer Fetch reads what was produced", async () => {
    const broker = await startBroker();
    const setup = await RawKafkaClient.connect(broker.port);
    clients.push(setup);
    await createTopic(setup, 'orders');
    await setup.request(ApiKey.Produce, 8, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topics: [
        {
          name: 'orders',
          partitions: [{ partitionIndex: 0, records: buildRecordBatch({ records: [{ value: 'a' }, { value: 'b' }] }) }],
        },
      ],
    });

    const client = await connectToLeader(broker.bootstrap, 'orders');
    clients.push(client);
    const partition = partitionOf(
      await client.request(ApiKey.Fetch, FETCH_VERSION, fetchRequest('orders', 0n)),
      'orders',
    );
    expect(partition.errorCode).toBe(0);
    expect(
      [...batchesIn(partition.records ?? Buffer.alloc(0))].flatMap((b) =>
        decodeRecords(b).map((r) => r.value?.toString()),
      ),
    ).toEqual(['a', 'b']);
  });
});
