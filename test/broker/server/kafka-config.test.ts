import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/broker/server/config-def.js';
import { KafkaConfig } from '../../../src/broker/server/kafka-config.js';
import { TopicConfig } from '../../../src/broker/server/topic-config.js';
import { topicNameProblem } from '../../../src/broker/server/topic-name.js';

describe('KafkaConfig', () => {
  it.each([
    ['num.network.threads', 3],
    ['num.io.threads', 8],
    ['queued.max.requests', 500],
    ['socket.request.max.bytes', 104857600],
    ['message.max.bytes', 1048588],
    ['log.segment.bytes', 1073741824],
    ['log.index.interval.bytes', 4096],
    ['log.retention.bytes', -1],
    ['auto.create.topics.enable', true],
    ['num.partitions', 1],
    ['broker.id', 0],
    ['node.id', 0],
    ['offsets.topic.num.partitions', 50],
  ])('defaults %s to Kafka’s %s', (key, value) => {
    expect(new Map(KafkaConfig.fromAssignments([]).entries()).get(key)).toBe(value);
  });

  it('derives retention from log.retention.hours unless log.retention.ms is set', () => {
    expect(KafkaConfig.fromAssignments([]).logRetentionMs).toBe(168 * 3_600_000);
    expect(KafkaConfig.fromAssignments(['log.retention.ms=1000', 'log.retention.hours=1']).logRetentionMs).toBe(1000);
  });

  it('parses key=value strings into typed values', () => {
    const config = KafkaConfig.fromAssignments([
      'num.partitions=3',
      'auto.create.topics.enable=false',
      'message.max.bytes=2000',
    ]);
    expect(config.numPartitions).toBe(3);
    expect(config.autoCreateTopicsEnable).toBe(false);
    expect(config.messageMaxBytes).toBe(2000);
  });

  it('sets broker.id and node.id together and refuses them disagreeing', () => {
    expect(KafkaConfig.fromAssignments(['node.id=4']).brokerId).toBe(4);
    expect(() => KafkaConfig.fromAssignments(['node.id=4', 'broker.id=5'])).toThrow(/disagree/);
  });

  it.each([
    ['num.partition=3', /unknown broker config 'num.partition': did you mean num.partitions/],
    ['num.partitions=three', /num.partitions=three is not valid: expected an integer ≥ 1/],
    ['num.partitions=0', /expected an integer ≥ 1/],
    ['auto.create.topics.enable=yes', /expected true or false/],
    ['log.segment.bytes=1048575', /log.segment.bytes=1048575 is not valid: expected an integer ≥ 1048576/],
    ['noequals', /write it as key=value/],
  ])('rejects %s with a message saying what to do', (assignment, message) => {
    expect(() => KafkaConfig.fromAssignments([assignment])).toThrow(ConfigError);
    expect(() => KafkaConfig.fromAssignments([assignment])).toThrow(message);
  });
});

describe('TopicConfig', () => {
  const broker = KafkaConfig.fromAssignments(['log.segment.bytes=5000000', 'message.max.bytes=900']);

  it('falls back to the broker’s log.* defaults when the topic has no override', () => {
    const config = TopicConfig.create([], broker);
    expect(config.segmentBytes).toBe(5000000);
    expect(config.maxMessageBytes).toBe(900);
    expect(config.overrides.size).toBe(0);
  });

  it('prefers the topic’s own override and keeps it as given for persistence', () => {
    const config = TopicConfig.create(
      [
        ['segment.bytes', '2097152'],
        ['max.message.bytes', '100'],
      ],
      broker,
    );
    expect(config.segmentBytes).toBe(2097152);
    expect(config.maxMessageBytes).toBe(100);
    expect([...config.overrides]).toEqual([
      ['segment.bytes', '2097152'],
      ['max.message.bytes', '100'],
    ]);
  });

  it('rolls the log at internal.segment.bytes, below the 1 MiB floor, while segment.bytes still describes the topic', () => {
    const config = TopicConfig.create([['internal.segment.bytes', '1024']], broker);
    expect(config.toLogConfig().segmentBytes).toBe(1024);
    expect(config.effective()['segment.bytes']).toBe('5000000');
    expect(config.effective()).not.toHaveProperty('internal.segment.bytes');
  });

  it.each([
    [['cleanup.policy', 'compact'], /expected one of delete/],
    [['segment.byte', '100'], /unknown topic config 'segment.byte': did you mean segment.bytes/],
    [['retention.ms', '-5'], /expected an integer ≥ -1/],
    [['segment.bytes', '1024'], /expected an integer ≥ 1048576/],
  ] as Array<[[string, string], RegExp]>)('rejects %j', (entry, message) => {
    expect(() => TopicConfig.create([entry], broker)).toThrow(message);
  });
});

describe('topicNameProblem', () => {
  it.each(['orders', 'a', 'A.b_c-9', 'x'.repeat(249)])('accepts %s', (name) => {
    expect(topicNameProblem(name)).toBeNull();
  });
  it.each(['', '.', '..', 'x'.repeat(250), 'a/b', '../etc', 'with space', 'ünïcode'])('rejects %j', (name) => {
    expect(topicNameProblem(name)).toMatch(/topic/);
  });
});
