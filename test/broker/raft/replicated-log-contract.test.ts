import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaMetadataLog } from '../../../src/broker/raft/kafka-metadata-log.js';
import { MemoryReplicatedLog, type ReplicatedLog } from '../../../src/broker/raft/replicated-log.js';
import { jsonRecordSerde } from './json-record-serde.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Each implementation of Kafka's ReplicatedLog must behave the same: the state machine cannot tell them apart. */
const implementations: [string, () => ReplicatedLog][] = [
  ['MemoryReplicatedLog', () => new MemoryReplicatedLog()],
  [
    'KafkaMetadataLog',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'kq-metadata-log-'));
      dirs.push(dir);
      return KafkaMetadataLog.open(dir, jsonRecordSerde);
    },
  ],
];

const leaderChange = { type: 'leader-change', leaderId: 1, voters: [1, 2, 3], grantingVoters: [1, 2] };

describe.each(implementations)('ReplicatedLog contract: %s', (_name, open) => {
  it('an empty log ends at 0 in epoch 0 and knows no epoch', () => {
    const log = open();
    expect([log.endOffset, log.lastFetchedEpoch]).toEqual([0, 0]);
    expect(log.read(0, 10)).toEqual([]);
    expect(log.endOffsetForEpoch(5)).toEqual({ epoch: 0, offset: 0 });
    log.close();
  });

  it('each leader append is one batch with its epoch, and reads return whole batches from the one holding the offset', () => {
    const log = open();
    expect(log.appendAsLeader(1, [leaderChange], { control: true, timestamp: 1000 })).toMatchObject({ baseOffset: 0 });
    log.appendAsLeader(1, ['a', { k: 'b' }, 3], { timestamp: 1001 });
    log.appendAsLeader(2, ['c'], { timestamp: 1002 });
    expect([log.endOffset, log.lastFetchedEpoch]).toEqual([5, 2]);
    expect(log.read(0, 10)).toEqual([
      { baseOffset: 0, epoch: 1, appendTimestamp: 1000, control: true, records: [leaderChange] },
      { baseOffset: 1, epoch: 1, appendTimestamp: 1001, control: false, records: ['a', { k: 'b' }, 3] },
      { baseOffset: 4, epoch: 2, appendTimestamp: 1002, control: false, records: ['c'] },
    ]);
    expect(log.read(2, 10).map((b) => b.baseOffset)).toEqual([1, 4]); // offset 2 is inside the batch at 1
    expect(log.read(0, 1).map((b) => b.baseOffset)).toEqual([0]);
    expect(log.read(5, 10)).toEqual([]);
    log.close();
  });

  it('endOffsetForEpoch answers the largest epoch at or below the one asked and where it ends', () => {
    const log = open();
    log.appendAsLeader(1, ['a', 'b'], { timestamp: 0 });
    log.appendAsLeader(3, ['c'], { timestamp: 0 });
    log.appendAsLeader(3, ['d'], { timestamp: 0 });
    log.appendAsLeader(5, ['e'], { timestamp: 0 });
    expect(log.endOffsetForEpoch(0)).toEqual({ epoch: 0, offset: 0 });
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, offset: 2 });
    expect(log.endOffsetForEpoch(2)).toEqual({ epoch: 1, offset: 2 });
    expect(log.endOffsetForEpoch(3)).toEqual({ epoch: 3, offset: 4 });
    expect(log.endOffsetForEpoch(5)).toEqual({ epoch: 5, offset: 5 });
    expect(log.endOffsetForEpoch(9)).toEqual({ epoch: 5, offset: 5 });
    log.close();
  });

  it('a follower append must continue the log exactly and never go back in epoch', () => {
    const log = open();
    const batch = (baseOffset: number, epoch: number, records: unknown[]) => ({
      baseOffset,
      epoch,
      appendTimestamp: 7,
      control: false,
      records,
    });
    log.appendAsFollower([batch(0, 2, ['a']), batch(1, 2, ['b', 'c'])]);
    expect(log.endOffset).toBe(3);
    expect(() => log.appendAsFollower([batch(5, 2, ['x'])])).toThrow(/offset 5, log end offset is 3/);
    expect(() => log.appendAsFollower([batch(3, 1, ['x'])])).toThrow(/epochs must not go back/);
    expect(log.endOffset).toBe(3);
    log.close();
  });

  it('truncation drops whole batches from the offset on, and the epochs that began there', () => {
    const log = open();
    log.appendAsLeader(1, ['a', 'b'], { timestamp: 0 });
    log.appendAsLeader(2, ['c'], { timestamp: 0 });
    log.appendAsLeader(2, ['d'], { timestamp: 0 });
    log.truncateTo(3);
    expect([log.endOffset, log.lastFetchedEpoch]).toEqual([3, 2]);
    log.truncateTo(2);
    expect([log.endOffset, log.lastFetchedEpoch]).toEqual([2, 1]);
    expect(log.endOffsetForEpoch(2)).toEqual({ epoch: 1, offset: 2 });
    log.appendAsLeader(4, ['e'], { timestamp: 0 });
    expect(log.read(0, 10).map((b) => [b.baseOffset, b.epoch, b.records])).toEqual([
      [0, 1, ['a', 'b']],
      [2, 4, ['e']],
    ]);
    log.close();
  });
});
