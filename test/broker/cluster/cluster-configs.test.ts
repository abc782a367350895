import { Kafka, logLevel, ConfigResourceTypes } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { waitUntilTopicServed } from '../../../src/broker/client/topic-readiness.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { AlterConfigOp } from '../../../src/broker/protocol/incremental-alter-configs/request.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { startChildProcessCluster } from '../support/child-process-cluster.js';

const TOPIC = 2;

let cluster: KafkaCluster | undefined;
let admin: Admin | undefined;
const raw: RawKafkaClient[] = [];
afterEach(async () => {
  for (const c of raw.splice(0)) c.close();
  await admin?.disconnect();
  admin = undefined;
  await cluster?.close();
  cluster = undefined;
});

async function connect(port: number): Promise<RawKafkaClient> {
  const client = await RawKafkaClient.connect(port);
  raw.push(client);
  return client;
}

/** One topic config as a node's DescribeConfigs v4 reports it: value and source (1 = topic override, 5 = default). */
async function describedOn(client: RawKafkaClient, topic: string, name: string) {
  const response = await client.request(ApiKey.DescribeConfigs, 4, {
    resources: [{ resourceType: TOPIC, resourceName: topic, configurationKeys: [name] }],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  const result = response.results[0]!;
  const entry = result.configs.find((c) => c.name === name);
  return { errorCode: result.errorCode, value: entry?.value ?? null, source: entry?.configSource ?? -1 };
}

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

describe('topic configs on a kq cluster (child processes): DescribeConfigs from the metadata image, changes through the controller', () => {
  it('a change made through any node is written by the controller and described the same by every node; refusals change nothing', async () => {
    cluster = await startChildProcessCluster();
    const c = cluster;
    const kafka = new Kafka({
      clientId: 'cluster-configs',
      brokers: c.bootstrap.split(','),
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
    // RF 1 on broker 3 only: brokers 1 and 2 hold no replica, yet they describe and alter the topic.
    await admin.createTopics({
      topics: [
        {
          topic: 'orders',
          replicaAssignment: [{ partition: 0, replicas: [3] }],
          configEntries: [{ name: 'retention.ms', value: '3600000' }],
        },
      ],
      waitForLeaders: false,
    });
    await waitUntilTopicServed(c.bootstrap, ['orders']);
    const ports = c.bootstrap.split(',').map((b) => Number(b.split(':')[1]));
    const nodes = await Promise.all(ports.map(connect));
    for (const node of nodes)
      expect(await describedOn(node, 'orders', 'retention.ms')).toEqual({ errorCode: 0, value: '3600000', source: 1 });

    // IncrementalAlterConfigs through node 1 (which may or may not be the active controller).
    const set = await incremental(nodes[0]!, 'orders', [
      { name: 'retention.ms', configOperation: AlterConfigOp.SET, value: '120000' },
      { name: 'segment.bytes', configOperation: AlterConfigOp.SET, value: '2097152' },
    ]);
    expect(set.errorCode).toBe(ErrorCode.NONE);
    for (const node of nodes) {
      let seen = {};
      await waitUntil(
        async () => (seen = await describedOn(node, 'orders', 'segment.bytes')).value === '2097152',
        'every node describes the new segment.bytes',
        5000,
        { detail: () => JSON.stringify(seen) },
      );
    }
    for (const node of nodes)
      expect(await describedOn(node, 'orders', 'retention.ms')).toEqual({ errorCode: 0, value: '120000', source: 1 });

    // kafkajs' legacy AlterConfigs replaces every override: retention.ms goes back to the default.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: 'orders',
          configEntries: [{ name: 'cleanup.policy', value: 'delete' }],
        },
      ],
    });
    for (const node of nodes)
      await waitUntil(
        async () => (await describedOn(node, 'orders', 'retention.ms')).source === 5,
        'every node describes retention.ms at its default again',
      );
    expect(await describedOn(nodes[1]!, 'orders', 'retention.ms')).toEqual({
      errorCode: 0,
      value: '604800000',
      source: 5,
    });
    expect(await describedOn(nodes[2]!, 'orders', 'cleanup.policy')).toEqual({
      errorCode: 0,
      value: 'delete',
      source: 1,
    });

    // Refusals: a bad value, an unknown topic, and validate_only, none of which change anything.
    const bad = await incremental(nodes[1]!, 'orders', [
      { name: 'retention.ms', configOperation: AlterConfigOp.SET, value: 'soon' },
    ]);
    expect(bad.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    const unknown = await incremental(nodes[2]!, 'nope', [
      { name: 'retention.ms', configOperation: AlterConfigOp.SET, value: '1000' },
    ]);
    expect(unknown.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    const dry = await incremental(
      nodes[2]!,
      'orders',
      [{ name: 'retention.ms', configOperation: AlterConfigOp.SET, value: '1000' }],
      true,
    );
    expect(dry.errorCode).toBe(ErrorCode.NONE);
    expect((await describedOn(nodes[0]!, 'nope', 'retention.ms')).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    for (const node of nodes) expect((await describedOn(node, 'orders', 'retention.ms')).source).toBe(5);
  }, 120_000);

  it('an altered topic config reaches the logs of every replica (in-process cluster)', async () => {
    cluster = await KafkaCluster.start({ brokers: 3 });
    const c = cluster;
    const ports = c.bootstrap.split(',').map((b) => Number(b.split(':')[1]));
    const node = await connect(ports[1]!);
    const created = await node.request(ApiKey.CreateTopics, 7, {
      topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 3, assignments: [], configs: [] }],
      timeoutMs: 5000,
      validateOnly: false,
    });
    expect(created.topics[0]?.errorCode).toBe(ErrorCode.NONE);
    await waitUntilTopicServed(c.bootstrap, ['orders']);
    const retention = (id: number) => c.broker(id).log('orders', 0).config.retentionMs;
    expect([1, 2, 3].map(retention)).toEqual([604_800_000, 604_800_000, 604_800_000]);
    const set = await incremental(node, 'orders', [
      { name: 'retention.ms', configOperation: AlterConfigOp.SET, value: '120000' },
    ]);
    expect(set.errorCode).toBe(ErrorCode.NONE);
    await waitUntil(
      () => [1, 2, 3].every((id) => retention(id) === 120_000),
      'every replica runs with retention.ms=120000',
      10_000,
      { detail: () => [1, 2, 3].map(retention).join(', ') },
    );
  }, 60_000);
});
