import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';

let broker: KafkaBroker;
let kafka: Kafka;
const disconnects: Array<() => Promise<void>> = [];

beforeEach(async () => {
  broker = await KafkaBroker.start({ config: { 'node.id': 1 } });
  kafka = new Kafka({
    clientId: 'kq-admin',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
  });
});

afterEach(async () => {
  for (const d of disconnects.splice(0)) await d();
  await broker.close();
});

async function admin() {
  const a = kafka.admin();
  await a.connect();
  disconnects.push(() => a.disconnect());
  return a;
}

describe('kafkajs admin: describeConfigs / alterConfigs', () => {
  it('alters a topic config and reads it back; the log runs with it', async () => {
    const a = await admin();
    await a.createTopics({ topics: [{ topic: 'orders', numPartitions: 1 }] });
    await a.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'orders',
          configEntries: [{ name: 'retention.ms', value: '3600000' }],
        },
      ],
    });
    const described = await a.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders', configNames: ['retention.ms', 'segment.bytes'] }],
    });
    const entries = described.resources[0]!.configEntries;
    expect(entries.find((e) => e.configName === 'retention.ms')).toMatchObject({
      configValue: '3600000',
      isDefault: false,
      configSource: 1,
    });
    expect(entries.find((e) => e.configName === 'segment.bytes')).toMatchObject({
      configValue: '1073741824',
      isDefault: true,
    });
    expect(broker.log('orders', 0).config.retentionMs).toBe(3_600_000);
  });

  it('lists every topic config when no names are given (kafkajs sends an empty list)', async () => {
    const a = await admin();
    await a.createTopics({ topics: [{ topic: 'all' }] });
    const described = await a.describeConfigs({
      includeSynonyms: true,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: 'all' }],
    });
    const names = described.resources[0]!.configEntries.map((e) => e.configName);
    expect(names).toHaveLength(37);
    expect(names).toContain('min.insync.replicas');
  });

  it('reports a bad value as kafkajs’s INVALID_CONFIG error and changes nothing', async () => {
    const a = await admin();
    await a.createTopics({ topics: [{ topic: 'strict' }] });
    const failure = await a
      .alterConfigs({
        validateOnly: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: 'strict', configEntries: [{ name: 'retention.ms', value: 'soon' }] },
        ],
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toMatchObject({ type: 'INVALID_CONFIG' });
    expect(broker.log('strict', 0).config.retentionMs).toBe(604_800_000);
  });

  it('describes the broker', async () => {
    const a = await admin();
    const described = await a.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configNames: ['num.partitions'] }],
    });
    expect(described.resources[0]!.configEntries).toEqual([
      expect.objectContaining({ configName: 'num.partitions', configValue: '1', readOnly: true, isDefault: true }),
    ]);
  });
});
