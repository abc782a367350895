import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { batchOf, createTopics, produce } from '../../../src/broker/client/request-builders.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import type { ApiResponse } from '../../../src/broker/protocol/api-registry.js';
import { ConfigResourceType } from '../../../src/broker/protocol/describe-configs/request.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { AlterConfigOp } from '../../../src/broker/protocol/incremental-alter-configs/request.js';
import { KafkaBroker, type KafkaBrokerOptions } from '../../../src/broker/server/kafka-broker.js';
import { ConfigSource, ConfigType, TOPIC_CONFIG_DEFS } from '../../../src/broker/server/topic-config-defs.js';
import { useTempDir } from '../../support/temp-dir.js';

const TOPIC = ConfigResourceType.TOPIC;
const BROKER = ConfigResourceType.BROKER;

const brokers: KafkaBroker[] = [];
const clients: RawKafkaClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const b of brokers.splice(0)) await b.close();
});

async function start(options: KafkaBrokerOptions = {}): Promise<{ broker: KafkaBroker; client: RawKafkaClient }> {
  const broker = await KafkaBroker.start(options);
  brokers.push(broker);
  const client = await RawKafkaClient.connect(broker.port);
  clients.push(client);
  return { broker, client };
}

type Described = ApiResponse<typeof ApiKey.DescribeConfigs>['results'][number];

async function describe_(
  client: RawKafkaClient,
  resourceType: number,
  resourceName: string,
  keys: string[] | null = null,
  version = 4,
): Promise<Described> {
  const response = await client.request(ApiKey.DescribeConfigs, version, {
    resources: [{ resourceType, resourceName, configurationKeys: keys }],
    includeSynonyms: true,
    includeDocumentation: false,
  });
  return response.results[0]!;
}

const configOf = (d: Described, name: string) => d.configs.find((c) => c.name === name);

async function incremental(
  client: RawKafkaClient,
  topic: string,
  configs: Array<{ name: string; configOperation: number; value: string | null }>,
  validateOnly = false,
) {
  const response = await client.request(ApiKey.IncrementalAlterConfigs, 1, {
    resources: [{ resourceType: TOPIC, resourceName: topic, configs }],
    validateOnly,
  });
  return response.responses[0]!;
}

describe('DescribeConfigs', () => {
  it('lists every topic config Kafka defines, exact longs, overrides as TOPIC_CONFIG with their synonyms', async () => {
    const { client } = await start({ config: { 'log.segment.bytes': 1048576 } });
    await client.request(ApiKey.CreateTopics, 7, createTopics([{ name: 't', configs: { 'retention.ms': '1000' } }]));
    const described = await describe_(client, TOPIC, 't');
    expect(described).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: '' });
    expect(described.configs.map((c) => c.name).sort()).toEqual(TOPIC_CONFIG_DEFS.map((d) => d.name).sort());
    // The override: its own value, source and only synonym (log.retention.ms is unset, and Kafka drops the
    // log.retention.hours default that sorts before it).
    expect(configOf(described, 'retention.ms')).toMatchObject({
      value: '1000',
      configSource: ConfigSource.TOPIC_CONFIG,
      synonyms: [{ name: 'retention.ms', value: '1000', source: ConfigSource.TOPIC_CONFIG }],
      configType: ConfigType.LONG,
    });
    // A broker config set at start is the topic's default: STATIC_BROKER_CONFIG, then the broker default.
    expect(configOf(described, 'segment.bytes')).toMatchObject({
      value: '1048576',
      configSource: ConfigSource.STATIC_BROKER_CONFIG,
      synonyms: [
        { name: 'log.segment.bytes', value: '1048576', source: ConfigSource.STATIC_BROKER_CONFIG },
        { name: 'log.segment.bytes', value: '1073741824', source: ConfigSource.DEFAULT_CONFIG },
      ],
    });
    // Long.MAX_VALUE is printed exactly, not as the double 9223372036854776000.
    expect(configOf(described, 'flush.messages')?.value).toBe('9223372036854775807');
    expect(configOf(described, 'compression.type')).toMatchObject({ value: 'producer', configSource: 5 });
  });

  it('answers only the keys asked for, and each resource with its own error', async () => {
    const { client } = await start({ config: { 'node.id': 1 } });
    await client.request(ApiKey.CreateTopics, 7, createTopics([{ name: 't' }]));
    const response = await client.request(ApiKey.DescribeConfigs, 4, {
      resources: [
        { resourceType: TOPIC, resourceName: 't', configurationKeys: ['retention.ms', 'no.such'] },
        { resourceType: TOPIC, resourceName: 'missing', configurationKeys: null },
        { resourceType: TOPIC, resourceName: 'bad topic!', configurationKeys: null },
        { resourceType: BROKER, resourceName: '1', configurationKeys: ['log.retention.hours'] },
        { resourceType: BROKER, resourceName: '7', configurationKeys: null },
      ],
      includeSynonyms: false,
      includeDocumentation: true,
    });
    const [asked, missing, bad, broker, other] = response.results;
    expect(asked!.configs.map((c) => c.name)).toEqual(['retention.ms']);
    expect(asked!.configs[0]).toMatchObject({ value: '604800000', synonyms: [], documentation: expect.any(String) });
    expect(missing).toMatchObject({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, configs: [] });
    expect(bad!.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(broker!.configs).toEqual([
      expect.objectContaining({ name: 'log.retention.hours', value: '168', readOnly: true, configSource: 5 }),
    ]);
    expect(other).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      errorMessage: 'Unexpected broker id, expected 1 or empty string, but received 7',
    });
  });
});

describe('IncrementalAlterConfigs and AlterConfigs', () => {
  const dataDir = useTempDir();

  it('a topic config set is the one the log runs with, and it survives a restart', async () => {
    const first = await start({ dataDir: dataDir() });
    await first.client.request(ApiKey.CreateTopics, 7, createTopics([{ name: 't', numPartitions: 2 }]));
    expect(
      await incremental(first.client, 't', [
        { name: 'retention.ms', configOperation: AlterConfigOp.SET, value: '60000' },
      ]),
    ).toMatchObject({ errorCode: ErrorCode.NONE, errorMessage: null });
    expect(first.broker.log('t', 0).config.retentionMs).toBe(60000);
    expect(first.broker.log('t', 1).config.retentionMs).toBe(60000);
    first.client.close();
    await first.broker.close();
    brokers.splice(0);
    const second = await start({ dataDir: dataDir() });
    expect(second.broker.log('t', 1).config.retentionMs).toBe(60000);
    expect(configOf(await describe_(second.client, TOPIC, 't', ['retention.ms']), 'retention.ms')).toMatchObject({
      value: '60000',
      configSource: ConfigSource.TOPIC_CONFIG,
    });
    // closed here, before useTempDir removes the data dir
    second.client.close();
    await second.broker.close();
    brokers.splice(0);
  });

  it('retention then deletes by the altered retention.bytes', async () => {
    const { broker, client } = await start();
    await client.request(
      ApiKey.CreateTopics,
      7,
      createTopics([{ name: 'r', configs: { 'internal.segment.bytes': '200' } }]),
    );
    for (let i = 0; i < 6; i++) await client.request(ApiKey.Produce, 9, produce('r', batchOf(['x'.repeat(100)])));
    const log = broker.log('r', 0);
    expect(log.deleteOldSegments()).toEqual([]); // retention.bytes -1: nothing to delete yet
    await incremental(client, 'r', [{ name: 'retention.bytes', configOperation: AlterConfigOp.SET, value: '200' }]);
    expect(log.deleteOldSegments().length).toBeGreaterThan(0);
    expect(log.logStartOffset).toBeGreaterThan(0n);
  });

  it('DELETE returns a key to its default; validate_only changes nothing', async () => {
    const { broker, client } = await start();
    await client.request(ApiKey.CreateTopics, 7, createTopics([{ name: 't', configs: { 'segment.ms': '1000' } }]));
    await incremental(client, 't', [{ name: 'segment.ms', configOperation: AlterConfigOp.SET, value: '5000' }], true);
    expect(broker.log('t', 0).config.segmentMs).toBe(1000);
    await incremental(client, 't', [{ name: 'segment.ms', configOperation: AlterConfigOp.DELETE, value: null }]);
    expect(broker.log('t', 0).config.segmentMs).toBe(604800000);
    expect(configOf(await describe_(client, TOPIC, 't', ['segment.ms']), 'segment.ms')?.configSource).toBe(5);
  });

  it("AlterConfigs replaces the topic's whole set of overrides", async () => {
    const { broker, client } = await start();
    await client.request(
      ApiKey.CreateTopics,
      7,
      createTopics([{ name: 't', configs: { 'retention.ms': '1000', 'flush.ms': '5000' } }]),
    );
    const response = await client.request(ApiKey.AlterConfigs, 2, {
      resources: [{ resourceType: TOPIC, resourceName: 't', configs: [{ name: 'retention.ms', value: '2000' }] }],
      validateOnly: false,
    });
    expect(response.responses[0]).toMatchObject({ errorCode: ErrorCode.NONE });
    expect(broker.log('t', 0).config).toMatchObject({ retentionMs: 2000, flushIntervalMs: Number.MAX_SAFE_INTEGER });
  });

  it.each([
    [
      'an unknown topic',
      'missing',
      [{ name: 'retention.ms', configOperation: 0, value: '1' }],
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ],
    ['an unknown config', 't', [{ name: 'no.such', configOperation: 0, value: '1' }], ErrorCode.INVALID_CONFIG],
    [
      'a value of the wrong type',
      't',
      [{ name: 'retention.ms', configOperation: 0, value: 'soon' }],
      ErrorCode.INVALID_CONFIG,
    ],
    [
      'a config kq does not implement',
      't',
      [{ name: 'compression.type', configOperation: 0, value: 'gzip' }],
      ErrorCode.INVALID_CONFIG,
    ],
    [
      'APPEND to a config that is not a list',
      't',
      [{ name: 'retention.ms', configOperation: 2, value: '1' }],
      ErrorCode.INVALID_CONFIG,
    ],
    [
      'an unknown operation',
      't',
      [{ name: 'retention.ms', configOperation: 9, value: '1' }],
      ErrorCode.INVALID_REQUEST,
    ],
    [
      'SET with a null value',
      't',
      [{ name: 'retention.ms', configOperation: 0, value: null }],
      ErrorCode.INVALID_REQUEST,
    ],
  ])('refuses %s with its error and changes nothing', async (_what, topic, configs, errorCode) => {
    const { broker, client } = await start();
    await client.request(ApiKey.CreateTopics, 7, createTopics([{ name: 't' }]));
    const before = broker.log('t', 0).config;
    expect((await incremental(client, topic, configs)).errorCode).toBe(errorCode);
    expect(broker.log('t', 0).config).toEqual(before);
  });

  it('refuses to change a broker config while the broker runs', async () => {
    const { client } = await start({ config: { 'node.id': 1 } });
    const response = await client.request(ApiKey.IncrementalAlterConfigs, 1, {
      resources: [
        {
          resourceType: BROKER,
          resourceName: '1',
          configs: [{ name: 'num.partitions', configOperation: 0, value: '3' }],
        },
      ],
      validateOnly: false,
    });
    expect(response.responses[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST });
    expect(response.responses[0]!.errorMessage).toContain('num.partitions');
  });
});

describe('CreateTopics v5+ configs', () => {
  it('lists every topic config, also for validate_only, with exact longs', async () => {
    const { client } = await start();
    for (const validateOnly of [false, true]) {
      const response = await client.request(
        ApiKey.CreateTopics,
        7,
        createTopics([{ name: `t-${validateOnly}`, configs: { 'flush.ms': '5000' } }], validateOnly),
      );
      const configs = response.topics[0]!.configs!;
      expect(configs).toHaveLength(TOPIC_CONFIG_DEFS.length);
      expect(configs.find((c) => c.name === 'flush.ms')).toMatchObject({ value: '5000', configSource: 1 });
      expect(configs.find((c) => c.name === 'flush.messages')?.value).toBe('9223372036854775807');
    }
  });
});

describe('DescribeCluster', () => {
  it('names this broker, its address and itself as the controller (KIP-590)', async () => {
    const { broker, client } = await start({ config: { 'node.id': 3 } });
    const response = await client.request(ApiKey.DescribeCluster, 2, {
      includeClusterAuthorizedOperations: false,
      endpointType: 1,
      includeFencedBrokers: true,
    });
    expect(response).toMatchObject({
      errorCode: ErrorCode.NONE,
      controllerId: 3,
      clusterId: broker.clusterId,
      brokers: [{ brokerId: 3, host: '127.0.0.1', port: broker.port, rack: null, isFenced: false }],
    });
  });
});

describe('DescribeLogDirs', () => {
  it('reports the data dir with each partition at its size on disk, and the volume', async () => {
    const { broker, client } = await start();
    await client.request(ApiKey.CreateTopics, 7, createTopics([{ name: 'd', numPartitions: 2 }]));
    await client.request(ApiKey.Produce, 9, produce('d', batchOf(['a', 'b'])));
    const all = await client.request(ApiKey.DescribeLogDirs, 4, { topics: null });
    const dir = all.results[0]!;
    expect(dir).toMatchObject({ errorCode: 0, logDir: broker.dataDir });
    expect(dir.totalBytes).toBeGreaterThan(0n);
    expect(dir.usableBytes).toBeGreaterThan(0n);
    const partitions = dir.topics.find((t) => t.name === 'd')!.partitions;
    expect(partitions.map((p) => [p.partitionIndex, p.partitionSize])).toEqual([
      [0, BigInt(broker.log('d', 0).size)],
      [1, 0n],
    ]);
    expect(broker.log('d', 0).size).toBeGreaterThan(0);
    const some = await client.request(ApiKey.DescribeLogDirs, 4, {
      topics: [
        { topic: 'd', partitions: [1, 7] },
        { topic: 'missing', partitions: [0] },
      ],
    });
    expect(some.results[0]!.topics).toEqual([
      { name: 'd', partitions: [{ partitionIndex: 1, partitionSize: 0n, offsetLag: 0n, isFutureKey: false }] },
    ]);
  });
});
