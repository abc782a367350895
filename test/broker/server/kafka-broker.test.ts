import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import type { KafkaBrokerOptions } from '../../../src/broker/server/kafka-broker.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { batchOf, createTopics, fetch, metadata, produce } from '../../../src/broker/client/request-builders.js';

const brokers: KafkaBroker[] = [];
const clients: RawKafkaClient[] = [];

async function start(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
  const broker = await KafkaBroker.start(options);
  brokers.push(broker);
  return broker;
}

async function connect(broker: KafkaBroker): Promise<RawKafkaClient> {
  const client = await RawKafkaClient.connect(broker.port);
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of brokers.splice(0)) await b.close();
});

describe('KafkaBroker', () => {
  it('emits connection and topic events', async () => {
    const broker = await start();
    const events: string[] = [];
    broker.on('connectionOpened', () => events.push('opened'));
    broker.on('topicCreated', (e) => events.push(`created ${e.topic} ${e.partitions} ${e.auto ? 'auto' : 'explicit'}`));
    broker.on('partitionsCreated', (e) => events.push(`partitions ${e.topic} ${e.partitions}`));
    broker.on('topicDeleted', (e) => events.push(`deleted ${e.topic}`));
    const client = await connect(broker);
    await client.request(ApiKey.Metadata, 8, metadata(['auto-topic']));
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'explicit', numPartitions: 2 }]));
    await client.request(ApiKey.CreatePartitions, 1, {
      topics: [{ name: 'explicit', count: 4, assignments: null }],
      timeoutMs: 1000,
      validateOnly: false,
    });
    await client.request(ApiKey.DeleteTopics, 3, { topicNames: ['explicit'], timeoutMs: 1000 });
    expect(events).toEqual([
      'opened',
      'created auto-topic 1 auto',
      'created explicit 2 explicit',
      'partitions explicit 4',
      'deleted explicit',
    ]);
  });

  it.each([
    [{ host: '127.0.0.1', advertisedHost: 'kafka.example' }, 'kafka.example'],
    [{ host: '0.0.0.0' }, '127.0.0.1'],
  ])('advertises %j as %s in Metadata', async (options, advertised) => {
    const broker = await start(options);
    const client = await connect(broker);
    const response = await client.request(ApiKey.Metadata, 8, metadata(null));
    expect(response.brokers[0]?.host).toBe(advertised);
    expect(broker.bootstrap).toBe(`${advertised}:${broker.port}`);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a partition the topic does not have', async () => {
    const broker = await start();
    const client = await connect(broker);
    await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'one', numPartitions: 1 }]));
    const response = await client.request(ApiKey.Produce, 8, produce('one', batchOf(['x']), { partition: 5 }));
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('runs retention every log.retention.check.interval.ms: old segments go, the log start offset moves', async () => {
    const broker = await start({ config: { 'log.retention.check.interval.ms': 20 } });
    const client = await connect(broker);
    await client.request(
      ApiKey.CreateTopics,
      4,
      createTopics([{ name: 'short', configs: { 'internal.segment.bytes': '1024', 'retention.bytes': '1024' } }]),
    );
    for (let i = 0; i < 30; i++)
      await client.request(ApiKey.Produce, 8, produce('short', batchOf([`${i}`.padEnd(100, '.')])));
    await waitUntil(() => broker.log('short', 0).logStartOffset > 0n, 'retention to delete the oldest segments');
    const response = await client.request(ApiKey.Fetch, 11, fetch('short', 0n));
    expect(response.responses[0]?.partitions[0]?.errorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });

  // A parked long poll is a `deferred` response: it frees its request handler at once, as Kafka's purgatory
  // does, so idle consumers can never hold up another client's request.
  it('serves other clients while every request handler’s fetch is parked', async () => {
    const broker = await start({ config: { 'num.io.threads': 1 } });
    const admin = await connect(broker);
    await admin.request(ApiKey.CreateTopics, 4, createTopics([{ name: 'quiet' }]));
    const consumer = await connect(broker);
    consumer.send(ApiKey.Fetch, 11, fetch('quiet', 0n, { maxWaitMs: 3000 }));
    await waitUntil(() => broker.metrics().delayedFetches === 1, 'the fetch to be parked');
    const versions = await admin.request(ApiKey.ApiVersions, 2, {}, 1000);
    // answered by the only handler while the fetch is still parked, not after it gave up its 3 s wait
    expect(versions.errorCode).toBe(ErrorCode.NONE);
    expect(broker.metrics().delayedFetches).toBe(1);
  });
});
