import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogSegment } from '../../../src/broker/log/log-segment.js';
import { batchesIn, RecordBatch } from '../../../src/broker/record/record-batch.js';
import { batch, T0, tempPartitionDir } from './log-test-kit.js';

const INTERVAL = 4096;

/** A segment at `base` filled with `count` single-batch appends of ~`valueBytes`, offsets assigned. */
function filledSegment(base: bigint, count: number, valueBytes: number, recordsPerBatch = 3) {
  const dir = tempPartitionDir();
  mkdirSync(dir, { recursive: true });
  const segment = LogSegment.open(dir, base, INTERVAL, T0);
  const stored: Buffer[] = [];
  let next = base;
  for (let i = 0; i < count; i++) {
    const bytes = batch(`b${i}`, recordsPerBatch, { valueBytes, timestamp: T0 + i * 1000 });
    new RecordBatch(bytes).setBaseOffset(next);
    next += BigInt(recordsPerBatch);
    segment.append(bytes);
    stored.push(bytes);
  }
  return { dir, segment, stored, nextOffset: next };
}

describe('LogSegment', () => {
  it('names its files by base offset, zero-padded to 20 digits', () => {
    const { dir, segment } = filledSegment(1234n, 1, 10);
    segment.close();
    expect(readdirSync(dir).sort()).toEqual([
      '00000000000000001234.index',
      '00000000000000001234.log',
      '00000000000000001234.timeindex',
    ]);
  });

  it('keeps a sparse index: one entry after every index.interval.bytes of log', () => {
    const { segment, stored } = filledSegment(0n, 200, 300);
    const maxBatch = Math.max(...stored.map((b) => b.length));
    const positions = Array.from(
      { length: segment.offsetIndex.entries },
      (_, i) => segment.offsetIndex.entry(i).position,
    );
    expect(positions.length).toBeGreaterThanOrEqual(Math.floor(segment.size / (INTERVAL + maxBatch)) - 1);
    expect(positions.length).toBeLessThanOrEqual(Math.ceil(segment.size / INTERVAL));
    [0, ...positions].slice(1).forEach((p, i) => {
      const gap = p - ([0, ...positions][i] as number);
      expect(gap).toBeGreaterThan(INTERVAL);
      expect(gap).toBeLessThanOrEqual(INTERVAL + maxBatch);
    });
    expect(segment.timeIndex.entries).toBe(positions.length);
    segment.close();
  });

  it('translates every offset to the batch that holds it', () => {
    const { segment, nextOffset } = filledSegment(50n, 120, 200);
    for (let offset = 50n; offset < nextOffset; offset++) {
      const found = segment.translateOffset(offset);
      expect(found && found.baseOffset <= offset && offset <= found.lastOffset).toBe(true);
    }
    expect(segment.translateOffset(nextOffset)).toBeNull();
    expect(segment.readNextOffset()).toBe(nextOffset);
    segment.close();
  });

  it('reads whole batches exactly as stored, within maxBytes, at least one', () => {
    const { segment, stored } = filledSegment(0n, 10, 100);
    const size = stored[0]?.length as number;
    const all = segment.read(0n, 1_000_000);
    expect(all?.records.equals(Buffer.concat(stored))).toBe(true);
    // Offset 4 is inside the second batch (offsets 3..5): reading starts at that batch.
    expect(segment.read(4n, size * 2 + 5)?.records.equals(Buffer.concat(stored.slice(1, 3)))).toBe(true);
    expect(segment.read(4n, 1)?.records.equals(stored[1] as Buffer)).toBe(true);
    expect(segment.read(4n, 1, { minOneBatch: false })?.records.length).toBe(0);
    expect(segment.read(0n, 1_000_000, { maxOffset: 8n })?.records.equals(Buffer.concat(stored.slice(0, 2)))).toBe(
      true,
    );
    expect(segment.read(30n, 1000)).toBeNull();
    segment.close();
  });

  it('recovers a healthy segment without losing a byte and rebuilds identical indexes', () => {
    const { segment, dir } = filledSegment(0n, 150, 250);
    segment.close();
    const before = [
      readFileSync(segment.logFile),
      readFileSync(segment.offsetIndex.file),
      readFileSync(segment.timeIndex.file),
    ];
    const reopened = LogSegment.open(dir, 0n, INTERVAL, T0);
    expect(reopened.recover()).toBe(0);
    reopened.close();
    const after = [
      readFileSync(segment.logFile),
      readFileSync(segment.offsetIndex.file),
      readFileSync(segment.timeIndex.file),
    ];
    // Buffer.equals: vitest's deep equality is slow on large buffers.
    expect(after.map((b, i) => b.equals(before[i] as Buffer))).toEqual([true, true, true]);
    expect(before[1]?.length).toBeGreaterThan(0);
  });

  it('truncates whole batches from the one holding the offset', () => {
    const { segment, stored } = filledSegment(0n, 6, 50);
    segment.truncateTo(7n); // inside batch 6..8
    expect(segment.readNextOffset()).toBe(6n);
    expect(segment.size).toBe(stored.slice(0, 2).reduce((n, b) => n + b.length, 0));
    expect([...batchesIn(segment.read(0n, 10_000)?.records as Buffer)].map((b) => b.baseOffset)).toEqual([0n, 3n]);
    segment.close();
  });
});
