import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { loadOrCreateBrokerMetadata } from '../../../src/broker/server/broker-metadata.js';
import { DataDirLock, DataDirLockedError, LOCK_FILE } from '../../../src/broker/server/data-dir-lock.js';
import { KafkaConfig } from '../../../src/broker/server/kafka-config.js';
import { LogManager, MAX_PARTITIONS_PER_TOPIC, TopicOperationError } from '../../../src/broker/server/log-manager.js';
import { TopicStoreError } from '../../../src/broker/server/topic-store.js';
import { batchOf } from '../../../src/broker/client/request-builders.js';

let dir: string;
const config = KafkaConfig.fromAssignments(['log.segment.bytes=2097152']);
const open: LogManager[] = [];

function openManager(): LogManager {
  const manager = LogManager.open(dir, config);
  open.push(manager);
  return manager;
}

function reopen(manager: LogManager): LogManager {
  manager.close();
  return openManager();
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kq-logmanager-'));
});

afterEach(() => {
  for (const m of open.splice(0)) m.close();
  rmSync(dir, { recursive: true, force: true });
});

function errorCodeOf(action: () => unknown): number | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof TopicOperationError) return error.errorCode;
    throw error;
  }
  return undefined;
}

describe('LogManager', () => {
  it('creates one <topic>-<n> directory per partition and records the topic in topics.json', () => {
    const manager = openManager();
    manager.createTopic('orders', 3, [['retention.ms', '1000']]);
    expect(['orders-0', 'orders-1', 'orders-2'].every((d) => existsSync(join(dir, d)))).toBe(true);
    const stored = JSON.parse(readFileSync(join(dir, 'topics.json'), 'utf8')) as {
      topics: Array<{ name: string; partitions: number; configs: object }>;
    };
    expect(stored.topics).toEqual([
      expect.objectContaining({ name: 'orders', partitions: 3, configs: { 'retention.ms': '1000' } }),
    ]);
  });

  it('gives each topic a Kafka topic id and writes partition.metadata in every partition dir as Kafka does', () => {
    const manager = openManager();
    const { id } = manager.createTopic('ids', 2);
    expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    manager.createPartitions('ids', 3);
    for (const p of [0, 1, 2])
      expect(readFileSync(join(dir, `ids-${p}`, 'partition.metadata'), 'utf8')).toBe(`version: 0\ntopic_id: ${id}\n`);
    const again = reopen(manager);
    expect(again.topic('ids')?.id).toBe(id);
    expect(again.topicById(id)?.name).toBe('ids');
  });

  it('refuses to open a partition dir whose partition.metadata names another topic id', () => {
    const manager = openManager();
    manager.createTopic('stolen', 1);
    manager.close();
    writeFileSync(join(dir, 'stolen-0', 'partition.metadata'), 'version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAg\n');
    expect(() => openManager()).toThrow(/records topic id AAAAAAAAAAAAAAAAAAAAAg/);
  });

  it("keeps the ids of a registry written with RFC 4122 ids, converted to Kafka's form", () => {
    writeFileSync(
      join(dir, 'topics.json'),
      JSON.stringify({
        version: 1,
        topics: [{ name: 'old', id: '00010203-0405-0607-0809-0a0b0c0d0e0f', partitions: 1, configs: {} }],
      }),
    );
    const manager = openManager();
    expect(manager.topic('old')?.id).toBe('AAECAwQFBgcICQoLDA0ODw');
    expect(readFileSync(join(dir, 'old-0', 'partition.metadata'), 'utf8')).toContain('AAECAwQFBgcICQoLDA0ODw');
    expect(readFileSync(join(dir, 'topics.json'), 'utf8')).toContain('AAECAwQFBgcICQoLDA0ODw');
  });

  it('reopens topics with their configs, partitions and data', () => {
    const manager = openManager();
    manager.createTopic('kept', 1, [['segment.bytes', '1048576']]);
    manager.log('kept', 0)!.append(batchOf(['a', 'b']), { leaderEpoch: 0 });
    const again = reopen(manager);
    expect(again.topicNames()).toEqual(['kept']);
    expect(again.topic('kept')?.config.segmentBytes).toBe(1048576);
    expect(again.log('kept', 0)?.logEndOffset).toBe(2n);
  });

  it('deletes a topic: registry first, then its directories; a re-created topic starts empty with a new id', () => {
    const manager = openManager();
    const first = manager.createTopic('gone', 2);
    manager.log('gone', 0)!.append(batchOf(['a']), { leaderEpoch: 0 });
    manager.deleteTopic('gone');
    expect(existsSync(join(dir, 'gone-0'))).toBe(false);
    const second = manager.createTopic('gone', 1);
    expect(second.id).not.toBe(first.id);
    expect(manager.log('gone', 0)?.logEndOffset).toBe(0n);
  });

  it('hands the topic’s flush.messages to its logs (1: fsync after every append)', () => {
    const manager = openManager();
    manager.createTopic('durable', 1, [['flush.messages', '1']]);
    manager.createTopic('default', 1);
    for (const topic of ['durable', 'default']) {
      manager.log(topic, 0)!.append(batchOf(['a']), { leaderEpoch: 0 });
      manager.log(topic, 0)!.append(batchOf(['b']), { leaderEpoch: 0 });
    }
    expect(manager.log('durable', 0)?.flushCount).toBe(2);
    expect(manager.log('default', 0)?.flushCount).toBe(0);
  });

  it('removes partition directories a crash left half-deleted', () => {
    mkdirSync(join(dir, 'old-0.abc-delete'), { recursive: true });
    openManager();
    expect(existsSync(join(dir, 'old-0.abc-delete'))).toBe(false);
  });

  it.each([
    [
      'a name with a path separator',
      () => openManager().createTopic('../escape', 1),
      ErrorCode.INVALID_TOPIC_EXCEPTION,
    ],
    [
      'a name colliding via . and _',
      () => {
        const m = openManager();
        m.createTopic('a.b', 1);
        m.createTopic('a_b', 1);
      },
      ErrorCode.INVALID_TOPIC_EXCEPTION,
    ],
    [
      'an existing name',
      () => {
        const m = openManager();
        m.createTopic('x', 1);
        m.createTopic('x', 1);
      },
      ErrorCode.TOPIC_ALREADY_EXISTS,
    ],
    [
      'too many partitions',
      () => openManager().createTopic('huge', MAX_PARTITIONS_PER_TOPIC + 1),
      ErrorCode.INVALID_PARTITIONS,
    ],
    [
      'fewer partitions than now',
      () => {
        const m = openManager();
        m.createTopic('p', 2);
        m.createPartitions('p', 1);
      },
      ErrorCode.INVALID_PARTITIONS,
    ],
    ['an unknown topic to grow', () => openManager().createPartitions('nope', 3), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ['a bad topic config', () => openManager().createTopic('c', 1, [['flush.ms', 'soon']]), ErrorCode.INVALID_CONFIG],
  ])('refuses %s', (_what, action, code) => {
    expect(errorCodeOf(action)).toBe(code);
    expect(existsSync(join(dir, '..', 'escape-0'))).toBe(false);
  });

  it('refuses to start on a damaged topics.json rather than forget the topics', () => {
    writeFileSync(join(dir, 'topics.json'), '{ not json');
    expect(() => LogManager.open(dir, config)).toThrow(TopicStoreError);
  });
});

describe('data dir identity and lock', () => {
  it('keeps the cluster id across starts and refuses another node.id', () => {
    const { clusterId } = loadOrCreateBrokerMetadata(dir, 0);
    expect(loadOrCreateBrokerMetadata(dir, 0).clusterId).toBe(clusterId);
    expect(() => loadOrCreateBrokerMetadata(dir, 7)).toThrow(/node.id 0/);
  });

  it('refuses a second lock while the owner lives and takes over a dead owner’s lock', () => {
    const lock = DataDirLock.acquire(dir);
    expect(() => DataDirLock.acquire(dir)).toThrow(DataDirLockedError);
    lock.release();
    writeFileSync(join(dir, LOCK_FILE), '999999999'); // no such pid
    DataDirLock.acquire(dir).release();
  });
});
