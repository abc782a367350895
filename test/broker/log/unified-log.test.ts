import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ListOffsetsTimestamp, UnifiedLog } from '../../../src/broker/log/unified-log.js';
import { batchesIn, RecordBatch } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import {
  InvalidRecordBatchError,
  OffsetOutOfRangeError,
  StorageErrorCode,
} from '../../../src/broker/record/storage-errors.js';
import { kafkajsBatch, kafkajsDecode } from '../record/kafkajs-codec.js';
import { batch, T0, tempPartitionDir } from './log-test-kit.js';

/** Every record value in the log from `from`, decoded, in offset order. */
function valuesFrom(log: UnifiedLog, from = log.logStartOffset): { offset: bigint; value: string }[] {
  const out: { offset: bigint; value: string }[] = [];
  let offset = from;
  while (offset < log.logEndOffset) {
    const { records } = log.read(offset, 1 << 20);
    const batches = [...batchesIn(records)];
    if (batches.length === 0) break;
    for (const b of batches) {
      for (const r of decodeRecords(b))
        if (r.offset >= offset) out.push({ offset: r.offset, value: r.value?.toString() ?? '' });
      offset = b.nextOffset;
    }
  }
  return out;
}

describe('UnifiedLog append and read', () => {
  it('assigns offsets from the log end offset and stamps the leader epoch', () => {
    const log = UnifiedLog.open(tempPartitionDir());
    const first = log.append(batch('a', 3), { leaderEpoch: 4, now: 42 });
    const second = log.append(batch('b', 2), { leaderEpoch: 5 });
    expect(first).toMatchObject({ baseOffset: 0n, lastOffset: 2n, appendTime: 42, batchCount: 1, recordCount: 3 });
    expect(second).toMatchObject({ baseOffset: 3n, lastOffset: 4n });
    expect(log.logEndOffset).toBe(5n);
    const stored = [...batchesIn(log.read(0n, 10_000).records)];
    expect(stored.map((b) => [b.baseOffset, b.partitionLeaderEpoch])).toEqual([
      [0n, 4],
      [3n, 5],
    ]);
    log.close();
  });

  it('serves back the bytes kafkajs produced, identical except baseOffset and leader epoch', async () => {
    const log = UnifiedLog.open(tempPartitionDir());
    log.append(batch('pad', 7), { leaderEpoch: 0 });
    const produced = await kafkajsBatch([
      { key: 'user-1', value: 'hello', timestamp: T0, headers: { trace: 't1' } },
      { key: null, value: 'world', timestamp: T0 + 3 },
    ]);
    const original = Buffer.from(produced);
    log.append(produced, { leaderEpoch: 9 });
    const served = log.read(7n, 10_000).records;
    expect(served.length).toBe(original.length);
    expect(served.subarray(16).equals(original.subarray(16))).toBe(true); // magic, CRC, attributes, records...
    expect(served.subarray(8, 12).equals(original.subarray(8, 12))).toBe(true); // batch length
    expect(served.readBigInt64BE(0)).toBe(7n);
    expect(served.readInt32BE(12)).toBe(9);
    const decoded = await kafkajsDecode(served);
    expect(decoded.records.map((r) => [r.offset, r.value?.toString()])).toEqual([
      ['7', 'hello'],
      ['8', 'world'],
    ]);
  });

  it('appends nothing when any batch of the set is invalid', () => {
    const log = UnifiedLog.open(tempPartitionDir());
    log.append(batch('a'), { leaderEpoch: 0 });
    const bad = batch('b', 2);
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
    const sizeBefore = log.size;
    let thrown: unknown;
    try {
      log.append(Buffer.concat([batch('ok', 2), bad]), { leaderEpoch: 0 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidRecordBatchError);
    expect((thrown as InvalidRecordBatchError).code).toBe(StorageErrorCode.CORRUPT_MESSAGE);
    expect([log.logEndOffset, log.size]).toEqual([1n, sizeBefore]);
    log.close();
  });

  it('rejects a batch above max.message.bytes with MESSAGE_TOO_LARGE', () => {
    const log = UnifiedLog.open(tempPartitionDir(), { maxMessageBytes: 500 });
    expect(() => log.append(batch('big', 1, { valueBytes: 600 }), { leaderEpoch: 0 })).toThrow(
      expect.objectContaining({ errorName: 'MESSAGE_TOO_LARGE', code: 10 }),
    );
    log.close();
  });

  it('answers OFFSET_OUT_OF_RANGE outside [logStartOffset, logEndOffset] and nothing at the end', () => {
    const log = UnifiedLog.open(tempPartitionDir());
    log.append(batch('a', 5), { leaderEpoch: 0 });
    expect(log.read(5n, 1000).records.length).toBe(0);
    expect(() => log.read(0n, -1)).toThrow(/maxBytes/);
    expect(() => log.read(6n, 1000)).toThrow(OffsetOutOfRangeError);
    try {
      log.read(6n, 1000);
    } catch (e) {
      expect((e as OffsetOutOfRangeError).code).toBe(1);
      expect((e as Error).message).toMatch(/orders-0.*0 to 4/);
    }
    log.close();
  });

  it('never returns batches at or above maxOffset (the high watermark)', () => {
    const log = UnifiedLog.open(tempPartitionDir());
    for (let i = 0; i < 4; i++) log.append(batch(`b${i}`, 2), { leaderEpoch: 0 });
    expect(log.updateHighWatermark(4n)).toBe(4n);
    const visible = log.read(0n, 100_000, { maxOffset: log.highWatermark }).records;
    expect([...batchesIn(visible)].map((b) => b.lastOffset)).toEqual([1n, 3n]);
    expect(log.read(4n, 100_000, { maxOffset: log.highWatermark }).records.length).toBe(0);
    expect(log.updateHighWatermark(99n)).toBe(8n);
    log.close();
  });
});

describe('UnifiedLog segments', () => {
  it('rolls to a new segment named by its base offset when segment.bytes would be exceeded', () => {
    const dir = tempPartitionDir();
    const log = UnifiedLog.open(dir, { segmentBytes: 2000 });
    const one = batch('x', 2, { valueBytes: 150 }).length;
    for (let i = 0; i < 30; i++) log.append(batch('x', 2, { valueBytes: 150 }), { leaderEpoch: 0 });
    const infos = log.segments;
    const perSegment = Math.floor(2000 / one);
    expect(infos.length).toBe(Math.ceil(30 / perSegment));
    infos.forEach((s, i) => {
      expect(s.baseOffset).toBe(BigInt(i * perSegment * 2));
      expect(s.fileName).toBe(`${String(i * perSegment * 2).padStart(20, '0')}.log`);
      expect(s.sizeInBytes).toBeLessThanOrEqual(2000);
      expect(s.active).toBe(i === infos.length - 1);
    });
    expect(readdirSync(dir).filter((f) => f.endsWith('.log')).length).toBe(infos.length);
    log.close();
  });

  it('rolls when the active segment spans more than segment.ms of record time', () => {
    const log = UnifiedLog.open(tempPartitionDir(), { segmentMs: 60_000 });
    log.append(batch('a', 1, { timestamp: T0 }), { leaderEpoch: 0 });
    log.append(batch('b', 1, { timestamp: T0 + 60_000 }), { leaderEpoch: 0 });
    expect(log.segments).toHaveLength(1);
    log.append(batch('c', 1, { timestamp: T0 + 60_001 }), { leaderEpoch: 0 });
    expect(log.segments.map((s) => s.baseOffset)).toEqual([0n, 2n]);
    log.close();
  });

  it('finds every offset across segments, and explains the lookup step by step', () => {
    const log = UnifiedLog.open(tempPartitionDir(), { segmentBytes: 20_000 });
    for (let i = 0; i < 150; i++) log.append(batch(`v${i}`, 3, { valueBytes: 120 }), { leaderEpoch: 0 });
    expect(log.segments.length).toBeGreaterThan(3);
    expect(valuesFrom(log).map((r) => r.offset)).toEqual(Array.from({ length: 450 }, (_, i) => BigInt(i)));
    for (let offset = 0n; offset < log.logEndOffset; offset += 7n) {
      const first = [...batchesIn(log.read(offset, 1).records)][0] as RecordBatch;
      expect(first.baseOffset <= offset && offset <= first.lastOffset).toBe(true);
    }
    const trace = log.explainLookup(301n);
    const segment = log.segments.filter((s) => s.baseOffset <= 301n).at(-1);
    expect(trace.segment.baseOffset).toBe(segment?.baseOffset);
    expect(trace.segment.probes.length).toBeLessThanOrEqual(Math.ceil(Math.log2(log.segments.length)) + 1);
    expect(trace.indexEntry.offset).toBeLessThanOrEqual(301n);
    expect(trace.indexEntry.position).toBe(trace.scan.fromPosition);
    expect(trace.batch.baseOffset <= 301n && 301n <= trace.batch.lastOffset).toBe(true);
    expect(trace.scan.bytesSkipped).toBeLessThanOrEqual(4096 + 600);
    expect(trace.steps).toHaveLength(5);
    expect(trace.steps[1]).toContain(`${String(segment?.baseOffset).padStart(20, '0')}.log`);
    expect(() => log.explainLookup(log.logEndOffset)).toThrow(OffsetOutOfRangeError);
    log.close();
  });
});

describe('UnifiedLog restart and flush policy', () => {
  it('reopens after a clean close without re-scanning and continues at the same offset', () => {
    const dir = tempPartitionDir();
    const log = UnifiedLog.open(dir, { segmentBytes: 3000 });
    for (let i = 0; i < 40; i++) log.append(batch(`v${i}`, 2, { valueBytes: 50 }), { leaderEpoch: 1 });
    const before = valuesFrom(log);
    log.close();
    const segmentsBefore = log.segments; // after close: the active segment's final time index entry
    expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(true);

    const reopened = UnifiedLog.open(dir, { segmentBytes: 3000 });
    expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(false);
    expect(reopened.loadInfo).toMatchObject({ cleanShutdown: true, segmentsRecovered: 0, bytesTruncated: 0 });
    expect(reopened.segments).toEqual(segmentsBefore);
    expect(valuesFrom(reopened)).toEqual(before);
    expect(reopened.append(batch('next'), { leaderEpoch: 2 }).baseOffset).toBe(80n);
    reopened.close();
  });

  it('keeps the high watermark across a clean restart, and deletes the partition directory on delete()', () => {
    const dir = tempPartitionDir();
    const log = UnifiedLog.open(dir);
    log.append(batch('a', 4), { leaderEpoch: 0 });
    log.updateHighWatermark(3n);
    log.close();
    const reopened = UnifiedLog.open(dir);
    expect([reopened.highWatermark, reopened.logEndOffset]).toEqual([3n, 4n]);
    reopened.delete();
    expect(existsSync(dir)).toBe(false);
    expect(() => reopened.append(batch('b'), { leaderEpoch: 0 })).toThrow(/closed/);
  });

  it('flushes after flush.messages records and moves the recovery point', () => {
    const log = UnifiedLog.open(tempPartitionDir(), { flushIntervalMessages: 5 });
    log.append(batch('a', 3), { leaderEpoch: 0 });
    expect([log.flushCount, log.unflushedMessages]).toEqual([0, 3n]);
    log.append(batch('b', 3), { leaderEpoch: 0 });
    expect([log.flushCount, log.lastFlushOffset, log.recoveryPoint, log.unflushedMessages]).toEqual([1, 6n, 6n, 0n]);
    log.close();
  });

  it('flushes when flush.ms has passed since the last flush, by the injected clock', () => {
    let now = 1_000;
    const log = UnifiedLog.open(tempPartitionDir(), { flushIntervalMs: 500 }, { clock: () => now });
    log.append(batch('a'), { leaderEpoch: 0 });
    expect(log.flushCount).toBe(0);
    now += 499;
    expect(log.maybeFlush()).toBe(false);
    now += 1;
    expect(log.maybeFlush()).toBe(true);
    expect([log.flushCount, log.lastFlushTime, log.lastFlushOffset]).toEqual([1, 1500, 1n]);
    log.close();
  });

  it('never flushes on append by default (Kafka leaves durability to replication)', () => {
    const log = UnifiedLog.open(tempPartitionDir());
    for (let i = 0; i < 50; i++) log.append(batch('a', 10), { leaderEpoch: 0 });
    expect([log.flushCount, log.recoveryPoint, log.unflushedMessages]).toEqual([0, 0n, 500n]);
    log.close();
  });
});

describe('UnifiedLog retention', () => {
  function logWithOldSegments(now: { ms: number }, config = {}) {
    const log = UnifiedLog.open(tempPartitionDir(), { segmentBytes: 1500, ...config }, { clock: () => now.ms });
    for (let i = 0; i < 30; i++) {
      log.append(batch(`v${i}`, 2, { valueBytes: 60, timestamp: T0 + i * 60_000 }), { leaderEpoch: 0 });
    }
    log.updateHighWatermark(log.logEndOffset);
    return log;
  }

  it('deletes whole segments older than retention.ms, never the active one, and moves the log start offset', () => {
    const now = { ms: T0 + 30 * 60_000 };
    const log = logWithOldSegments(now, { retentionMs: 10 * 60_000 });
    const segments = log.segments;
    const expired = segments.filter((s) => !s.active && now.ms - s.largestTimestamp > 10 * 60_000);
    expect(expired.length).toBeGreaterThan(0);
    const deleted = log.deleteOldSegments();
    expect(deleted.map((d) => [d.baseOffset, d.reason])).toEqual(expired.map((s) => [s.baseOffset, 'retention.ms']));
    expect(log.logStartOffset).toBe(log.segments[0]?.baseOffset);
    expect(log.logStartOffset).toBe(segments[expired.length]?.baseOffset);
    expect(() => log.read(0n, 1000)).toThrow(OffsetOutOfRangeError);
    expect(valuesFrom(log)[0]?.offset).toBe(log.logStartOffset);

    now.ms += 365 * 24 * 3_600_000;
    log.deleteOldSegments();
    expect(log.segments).toHaveLength(1);
    expect(log.segments[0]?.active).toBe(true);
    log.close();
  });

  it('deletes the oldest segments while the log exceeds retention.bytes', () => {
    const log = logWithOldSegments({ ms: T0 }, { retentionBytes: 4000, retentionMs: -1 });
    const deleted = log.deleteOldSegments();
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.every((d) => d.reason === 'retention.bytes')).toBe(true);
    // Kafka's rule: delete the oldest segment only while what remains still meets retention.bytes.
    expect(log.size).toBeGreaterThanOrEqual(4000);
    expect(log.size - (log.segments[0]?.sizeInBytes ?? 0)).toBeLessThan(4000);
    log.close();
  });

  it('keeps segments the high watermark has not passed', () => {
    const now = { ms: T0 + 365 * 24 * 3_600_000 };
    const log = logWithOldSegments(now);
    log.updateHighWatermark(0n);
    expect(log.deleteOldSegments()).toEqual([]);
    log.close();
  });

  it('persists deleteRecordsBefore across clean and unclean restarts', () => {
    const dir = tempPartitionDir();
    const log = UnifiedLog.open(dir, { segmentBytes: 1500 });
    for (let i = 0; i < 20; i++) log.append(batch(`v${i}`, 2, { valueBytes: 60 }), { leaderEpoch: 0 });
    log.updateHighWatermark(log.logEndOffset);
    expect(() => log.deleteRecordsBefore(41n)).toThrow(OffsetOutOfRangeError);
    expect(log.deleteRecordsBefore(13n)).toBe(13n);
    expect(log.segments[0]?.baseOffset).toBeLessThanOrEqual(13n);
    expect(valuesFrom(log)[0]?.offset).toBe(13n);
    expect(valuesFrom(log)[0]?.value).toMatch(/^v6-1\./);
    log.close();
    const reopened = UnifiedLog.open(dir);
    expect(reopened.logStartOffset).toBe(13n);
    expect(() => reopened.read(12n, 100)).toThrow(OffsetOutOfRangeError);
    reopened.close();
  });
});

describe('UnifiedLog timestamp lookup', () => {
  it('finds the first offset whose timestamp is at or after the target, across segments', () => {
    const log = UnifiedLog.open(tempPartitionDir(), { segmentBytes: 2500 });
    // Batch i holds offsets 2i, 2i+1 with timestamps T0 + 1000i and T0 + 1000i + 500.
    for (let i = 0; i < 60; i++) {
      const bytes = buildTimed(i);
      log.append(bytes, { leaderEpoch: 0 });
    }
    expect(log.segments.length).toBeGreaterThan(2);
    const cases: [number, { timestamp: number; offset: bigint } | null][] = [
      [T0 - 10, { timestamp: T0, offset: 0n }],
      [T0 + 20_000, { timestamp: T0 + 20_000, offset: 40n }],
      [T0 + 20_001, { timestamp: T0 + 20_500, offset: 41n }],
      [T0 + 45_600, { timestamp: T0 + 46_000, offset: 92n }],
      [T0 + 59_500, { timestamp: T0 + 59_500, offset: 119n }],
      [T0 + 60_000, null],
      [ListOffsetsTimestamp.EARLIEST, { timestamp: -1, offset: 0n }],
      [ListOffsetsTimestamp.LATEST, { timestamp: -1, offset: 120n }],
    ];
    for (const [target, expected] of cases) expect(log.fetchOffsetByTimestamp(target)).toEqual(expected);
    log.close();
  });
});

describe('UnifiedLog truncation', () => {
  it('truncates whole batches, across segments, and appends continue at the new end', () => {
    const log = UnifiedLog.open(tempPartitionDir(), { segmentBytes: 1500 });
    for (let i = 0; i < 20; i++) log.append(batch(`v${i}`, 2, { valueBytes: 60 }), { leaderEpoch: 0 });
    log.updateHighWatermark(log.logEndOffset);
    expect(log.truncateTo(11n)).toBe(true); // offset 11 sits in batch 10..11
    expect([log.logEndOffset, log.highWatermark]).toEqual([10n, 10n]);
    expect(log.segments.every((s) => s.baseOffset <= 10n)).toBe(true);
    expect(log.append(batch('after'), { leaderEpoch: 1 }).baseOffset).toBe(10n);
    expect(valuesFrom(log).at(-1)).toEqual({ offset: 10n, value: 'after-0' });
    log.truncateTo(0n);
    expect([log.logEndOffset, log.segments.length]).toEqual([0n, 1]);
    log.close();
  });

  it('appends a follower copy of leader batches at the same offsets', () => {
    const leader = UnifiedLog.open(tempPartitionDir('leader-0'));
    const follower = UnifiedLog.open(tempPartitionDir('follower-0'));
    leader.append(batch('a', 3), { leaderEpoch: 2 });
    leader.append(batch('b', 2), { leaderEpoch: 2 });
    const copied = leader.read(0n, 10_000).records;
    expect(follower.appendAsFollower(Buffer.from(copied))).toMatchObject({
      baseOffset: 0n,
      lastOffset: 4n,
      batchCount: 2,
    });
    expect(follower.read(0n, 10_000).records.equals(copied)).toBe(true);
    expect(() => follower.appendAsFollower(Buffer.from(copied))).toThrow(/expected 5/);
    leader.close();
    follower.close();
  });
});

function buildTimed(i: number): Buffer {
  return Buffer.from(batchWithTimestamps(`t${i}`, [T0 + i * 1000, T0 + i * 1000 + 500]));
}

import { buildRecordBatch } from '../../../src/broker/record/record-batch-builder.js';
function batchWithTimestamps(label: string, timestamps: number[]): Buffer {
  return buildRecordBatch({
    records: timestamps.map((timestamp, i) => ({ value: `${label}-${i}`.padEnd(80, '.'), timestamp })),
  });
}
