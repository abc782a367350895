import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaBroker } from '../../src/broker/server/kafka-broker.js';
import { KafkaTools } from './kafka-tools.js';
import type { JvmRun } from './run-jvm.js';

/**
 * Kafka's own admin tools against kq's broker: kafka-topics.sh, kafka-configs.sh and kafka-log-dirs.sh (their
 * classes from the fetched Kafka distribution), which speak CreateTopics, DescribeConfigs,
 * IncrementalAlterConfigs, DescribeCluster and DescribeLogDirs through Kafka's Java Admin client.
 */
let broker: KafkaBroker;
let tools: KafkaTools;
beforeAll(async () => {
  tools = KafkaTools.locate();
  broker = await KafkaBroker.start({ host: '127.0.0.1', port: 0, config: { 'node.id': 1 } });
}, 180_000);
afterAll(async () => {
  await broker?.close();
});

const ok = (run: JvmRun): string => {
  expect(run.code, `exit ${run.code}\n${run.stderr}`).toBe(0);
  return run.stdout;
};

describe("Kafka's command-line tools against kq's broker", () => {
  it('kafka-configs.sh alters and describes a topic config, which the log then uses; kafka-topics.sh shows it', async () => {
    const bootstrap = ['--bootstrap-server', broker.bootstrap];
    ok(await tools.run('TopicCommand', [...bootstrap, '--create', '--topic', 'cli', '--partitions', '2']));
    const altered = ok(
      await tools.run('ConfigCommand', [
        ...bootstrap,
        '--alter',
        '--entity-type',
        'topics',
        '--entity-name',
        'cli',
        '--add-config',
        'retention.ms=3600000,max.message.bytes=2000000',
      ]),
    );
    expect(altered).toContain('Completed updating config for topic cli.');
    expect(broker.log('cli', 1).config).toMatchObject({ retentionMs: 3_600_000, maxMessageBytes: 2_000_000 });

    const described = ok(
      await tools.run('ConfigCommand', [...bootstrap, '--describe', '--entity-type', 'topics', '--entity-name', 'cli']),
    );
    expect(described).toContain('Dynamic configs for topic cli are:');
    expect(described).toContain(
      'retention.ms=3600000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=3600000}',
    );

    const topics = ok(await tools.run('TopicCommand', [...bootstrap, '--describe', '--topic', 'cli']));
    expect(topics).toMatch(
      /Topic: cli\tTopicId: \S+\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: .*retention\.ms=3600000/,
    );

    ok(
      await tools.run('ConfigCommand', [
        ...bootstrap,
        '--alter',
        '--entity-type',
        'topics',
        '--entity-name',
        'cli',
        '--delete-config',
        'retention.ms',
      ]),
    );
    expect(broker.log('cli', 0).config.retentionMs).toBe(604_800_000);
  }, 300_000);

  it("kafka-configs.sh reports kq's refusal of a bad value, and describes the broker's configs", async () => {
    const bootstrap = ['--bootstrap-server', broker.bootstrap];
    ok(await tools.run('TopicCommand', [...bootstrap, '--create', '--topic', 'cli-bad']));
    const refused = await tools.run('ConfigCommand', [
      ...bootstrap,
      '--alter',
      '--entity-type',
      'topics',
      '--entity-name',
      'cli-bad',
      '--add-config',
      'retention.ms=soon',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toContain('InvalidConfigurationException');

    const brokerConfigs = ok(
      await tools.run('ConfigCommand', [
        ...bootstrap,
        '--describe',
        '--entity-type',
        'brokers',
        '--entity-name',
        '1',
        '--all',
      ]),
    );
    expect(brokerConfigs).toContain('All configs for broker 1 are:');
    expect(brokerConfigs).toContain(
      'log.retention.hours=168 sensitive=false synonyms={DEFAULT_CONFIG:log.retention.hours=168}',
    );
  }, 300_000);

  it('kafka-log-dirs.sh describes the data dir with each partition at its size', async () => {
    const bootstrap = ['--bootstrap-server', broker.bootstrap];
    ok(await tools.run('TopicCommand', [...bootstrap, '--create', '--topic', 'cli-dirs', '--partitions', '2']));
    const out = ok(await tools.run('LogDirsCommand', [...bootstrap, '--describe', '--topic-list', 'cli-dirs']));
    const json = JSON.parse(out.trim().split('\n').pop()!) as {
      brokers: Array<{
        broker: number;
        logDirs: Array<{
          logDir: string;
          error: string | null;
          partitions: Array<{ partition: string; size: number; offsetLag: number; isFuture: boolean }>;
        }>;
      }>;
    };
    expect(json.brokers).toHaveLength(1);
    expect(json.brokers[0]).toMatchObject({ broker: 1, logDirs: [{ logDir: broker.dataDir, error: null }] });
    expect(json.brokers[0]!.logDirs[0]!.partitions.map((p) => p.partition).sort()).toEqual([
      'cli-dirs-0',
      'cli-dirs-1',
    ]);
  }, 300_000);
});
