import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  LEADER_EPOCH_CHECKPOINT_FILE,
  LeaderEpochCheckpointError,
  LeaderEpochFileCache,
  UNDEFINED_EPOCH,
  UNDEFINED_EPOCH_OFFSET,
} from '../../../src/broker/log/leader-epoch-file-cache.js';
import { UnifiedLog } from '../../../src/broker/log/unified-log.js';
import { batch, crashImage, tempPartitionDir } from './log-test-kit.js';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kq-epoch-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cacheWith(entries: Array<[number, bigint]>): LeaderEpochFileCache {
  const cache = new LeaderEpochFileCache(dir());
  for (const [epoch, offset] of entries) cache.assign(epoch, offset);
  return cache;
}

describe('LeaderEpochFileCache', () => {
  it('writes Kafka’s checkpoint format and reads it back after a restart', () => {
    const d = dir();
    const cache = new LeaderEpochFileCache(d);
    cache.assign(0, 0n);
    cache.assign(0, 5n); // later batches of the same epoch change nothing
    cache.assign(3, 120n);
    // A new epoch is written with the log's next flush (no fsync inside the append, KAFKA-15046).
    expect(existsSync(join(d, LEADER_EPOCH_CHECKPOINT_FILE))).toBe(false);
    cache.flush();
    expect(readFileSync(join(d, LEADER_EPOCH_CHECKPOINT_FILE), 'utf8')).toBe('0\n2\n0 0\n3 120\n');
    expect(new LeaderEpochFileCache(d).epochEntries()).toEqual([
      { epoch: 0, startOffset: 0n },
      { epoch: 3, startOffset: 120n },
    ]);
  });

  it.each([
    ['the latest epoch ends at the log end', 3, [3, 200n]],
    ['an older epoch ends where the next one starts', 0, [0, 120n]],
    ['an epoch the log skipped answers the largest epoch below it', 2, [0, 120n]],
    ['an epoch newer than all known is undefined', 7, [UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET]],
    ['the undefined epoch is undefined', UNDEFINED_EPOCH, [UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET]],
  ] as const)('endOffsetFor: %s', (_, epoch, [answerEpoch, answerOffset]) => {
    const cache = cacheWith([
      [0, 0n],
      [3, 120n],
    ]);
    expect(cache.endOffsetFor(epoch, 200n)).toEqual({ epoch: answerEpoch, startOffset: answerOffset });
  });

  it('answers an epoch below the first known with that epoch and the first start (log start moved)', () => {
    const cache = cacheWith([
      [2, 50n],
      [4, 90n],
    ]);
    expect(cache.endOffsetFor(1, 100n)).toEqual({ epoch: 1, startOffset: 50n });
  });

  it('drops later entries that contradict a new assignment (the log was truncated and rewritten)', () => {
    const cache = cacheWith([
      [0, 0n],
      [2, 10n],
      [3, 20n],
    ]);
    cache.assign(4, 15n);
    expect(cache.epochEntries()).toEqual([
      { epoch: 0, startOffset: 0n },
      { epoch: 2, startOffset: 10n },
      { epoch: 4, startOffset: 15n },
    ]);
  });

  it('truncateFromEnd removes epochs that started at or after the new end', () => {
    const cache = cacheWith([
      [0, 0n],
      [2, 10n],
      [3, 20n],
    ]);
    cache.truncateFromEnd(20n);
    expect(cache.latestEpoch()).toBe(2);
    cache.truncateFromEnd(11n);
    expect(cache.latestEpoch()).toBe(2);
  });

  it('truncateFromStart keeps the epoch in force at the new start, starting there', () => {
    const cache = cacheWith([
      [0, 0n],
      [2, 10n],
      [3, 20n],
    ]);
    cache.truncateFromStart(15n);
    expect(cache.epochEntries()).toEqual([
      { epoch: 2, startOffset: 15n },
      { epoch: 3, startOffset: 20n },
    ]);
  });

  it('refuses a corrupt checkpoint with the file and line rather than guessing', () => {
    const d = dir();
    writeFileSync(join(d, LEADER_EPOCH_CHECKPOINT_FILE), '0\n2\n0 0\nthree 12\n');
    expect(() => new LeaderEpochFileCache(d)).toThrow(LeaderEpochCheckpointError);
    expect(() => new LeaderEpochFileCache(d)).toThrow(/leader-epoch-checkpoint:4:/);
  });
});

describe('UnifiedLog and its leader-epoch cache', () => {
  it('cuts an epoch that starts at the log end when it opens, and writes the cut with the next flush, not at once', () => {
    const dir = tempPartitionDir();
    const log = UnifiedLog.open(dir);
    log.append(batch('a', 2), { leaderEpoch: 1 });
    // Became leader in epoch 2 and wrote nothing in it yet (an empty partition after CreateTopics is like this).
    log.leaderEpochCache.assign(2, log.logEndOffset);
    log.close();
    const file = join(dir, 'leader-epoch-checkpoint');
    expect(readFileSync(file, 'utf8')).toBe('0\n2\n1 0\n2 2\n');

    const reopened = UnifiedLog.open(dir);
    expect(reopened.leaderEpochCache.latestEpoch()).toBe(1);
    // Not written at open: a crash now leaves the old file, and the next open cuts the same entry again.
    expect(readFileSync(file, 'utf8')).toBe('0\n2\n1 0\n2 2\n');
    const afterCrash = UnifiedLog.open(crashImage(dir));
    expect(afterCrash.leaderEpochCache.latestEpoch()).toBe(1);
    expect(afterCrash.leaderEpochCache.endOffsetFor(1, afterCrash.logEndOffset)).toEqual({ epoch: 1, startOffset: 2n });
    afterCrash.close();
    reopened.close();
    expect(readFileSync(file, 'utf8')).toBe('0\n1\n1 0\n');
  });

  it('re-derives the epochs of the unflushed tail from the batches after a crash', async () => {
    const { UnifiedLog } = await import('../../../src/broker/log/unified-log.js');
    const { batchOf } = await import('../../../src/broker/client/request-builders.js');
    const d = join(dir(), 'orders-0');
    const log = UnifiedLog.open(d);
    log.append(batchOf(['a']), { leaderEpoch: 0 });
    log.append(batchOf(['b']), { leaderEpoch: 2 });
    // No flush and no close: the process "dies" here, the checkpoint never written.
    expect(existsSync(join(d, LEADER_EPOCH_CHECKPOINT_FILE))).toBe(false);
    const reopened = UnifiedLog.open(d);
    expect(reopened.loadInfo.cleanShutdown).toBe(false);
    expect(reopened.leaderEpochCache.epochEntries()).toEqual([
      { epoch: 0, startOffset: 0n },
      { epoch: 2, startOffset: 1n },
    ]);
    reopened.close();
  });
});
