import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexOffsetOverflowError } from '../../../src/broker/log/abstract-index.js';
import { InvalidOffsetError, OffsetIndex } from '../../../src/broker/log/offset-index.js';
import { TimeIndex } from '../../../src/broker/log/time-index.js';
import { tempPartitionDir } from './log-test-kit.js';

function indexWith(entries: [bigint, number][], base = 100n): OffsetIndex {
  const dir = tempPartitionDir();
  mkdirSync(dir, { recursive: true });
  const index = new OffsetIndex(join(dir, 'x.index'), base);
  for (const [offset, position] of entries) index.append(offset, position);
  return index;
}

describe('OffsetIndex', () => {
  const entries: [bigint, number][] = [
    [110n, 4200],
    [125n, 8500],
    [140n, 12_800],
  ];

  it.each([
    ['below every entry: scan from the segment start', 105n, { offset: 100n, position: 0 }],
    ['exactly an entry', 125n, { offset: 125n, position: 8500 }],
    ['between two entries: the lower one', 139n, { offset: 125n, position: 8500 }],
    ['above the last entry: the last one', 10_000n, { offset: 140n, position: 12_800 }],
    ['below the base offset', 3n, { offset: 100n, position: 0 }],
  ])('looks up %s', (_case, target, expected) => {
    const index = indexWith(entries);
    expect(index.lookup(target)).toEqual(expected);
    index.close();
  });

  it('stores 8-byte big-endian entries (relative offset, position) and reloads them', () => {
    const index = indexWith(entries);
    index.close();
    const bytes = readFileSync(index.file);
    expect(bytes.length).toBe(3 * OffsetIndex.ENTRY_SIZE);
    expect([bytes.readInt32BE(8), bytes.readInt32BE(12)]).toEqual([25, 8500]);
    const reloaded = new OffsetIndex(index.file, 100n);
    expect([0, 1, 2].map((i) => reloaded.entry(i))).toEqual(
      entries.map(([offset, position]) => ({ offset, position })),
    );
    expect(reloaded.sanityCheck()).toBeNull();
    reloaded.close();
  });

  it('refuses offsets that do not increase or do not fit a relative int32', () => {
    const index = indexWith(entries);
    expect(() => index.append(140n, 20_000)).toThrow(InvalidOffsetError);
    expect(() => index.append(100n + 2n ** 31n, 20_000)).toThrow(IndexOffsetOverflowError);
    index.close();
  });

  it.each([
    [125n, 1],
    [126n, 2],
    [111n, 1],
    [100n, 0],
  ])('truncateTo(%s) keeps only entries below it (%s left)', (offset, left) => {
    const index = indexWith(entries);
    index.truncateTo(offset);
    expect(index.entries).toBe(left);
    index.close();
    expect(readFileSync(index.file).length).toBe(left * OffsetIndex.ENTRY_SIZE);
  });

  it('reports a torn trailing entry so the segment rebuilds the index', () => {
    const index = indexWith(entries);
    index.close();
    appendFileSync(index.file, Buffer.from([0, 0, 0]));
    const reloaded = new OffsetIndex(index.file, 100n);
    expect(reloaded.sanityCheck()).toMatch(/not a multiple of 8/);
    reloaded.close();
  });

  it('reports entries out of order', () => {
    const index = indexWith([]);
    index.close();
    const bytes = Buffer.alloc(16);
    bytes.writeInt32BE(9, 0);
    bytes.writeInt32BE(5, 8);
    writeFileSync(index.file, bytes);
    const reloaded = new OffsetIndex(index.file, 100n);
    expect(reloaded.sanityCheck()).toMatch(/not greater/);
    reloaded.close();
  });
});

describe('AbstractIndex sanity check, shared by both indexes', () => {
  // Entry layouts: OffsetIndex (relative offset int32, position int32), TimeIndex (timestamp int64, relative
  // offset int32). Both columns follow a log that only grows, so a value column going back means corruption.
  it('reports an OffsetIndex whose file positions go back', () => {
    const dir = tempPartitionDir();
    mkdirSync(dir, { recursive: true });
    const bytes = Buffer.alloc(16);
    bytes.writeInt32BE(1, 0);
    bytes.writeInt32BE(800, 4);
    bytes.writeInt32BE(2, 8);
    bytes.writeInt32BE(400, 12);
    writeFileSync(join(dir, 'x.index'), bytes);
    const index = new OffsetIndex(join(dir, 'x.index'), 0n);
    expect(index.sanityCheck()).toMatch(/entry 1 has a smaller file position than entry 0/);
    index.close();
  });

  it('reports a TimeIndex whose offsets go back', () => {
    const dir = tempPartitionDir();
    mkdirSync(dir, { recursive: true });
    const bytes = Buffer.alloc(24);
    bytes.writeBigInt64BE(1_000n, 0);
    bytes.writeInt32BE(9, 8);
    bytes.writeBigInt64BE(2_000n, 12);
    bytes.writeInt32BE(3, 20);
    writeFileSync(join(dir, 'x.timeindex'), bytes);
    const index = new TimeIndex(join(dir, 'x.timeindex'), 0n);
    expect(index.sanityCheck()).toMatch(/entry 1 has a smaller offset than entry 0/);
    index.close();
  });
});

describe('TimeIndex', () => {
  function timeIndex(): TimeIndex {
    const dir = tempPartitionDir();
    mkdirSync(dir, { recursive: true });
    return new TimeIndex(join(dir, 'x.timeindex'), 100n);
  }

  it('records only new maximum timestamps, as 12-byte entries', () => {
    const index = timeIndex();
    index.maybeAppend(1000, 105n);
    index.maybeAppend(1000, 107n); // same timestamp: nothing new
    index.maybeAppend(900, 108n); // older: nothing new
    index.maybeAppend(2000, 110n);
    index.maybeAppend(-1, 111n); // no timestamp
    expect(index.entries).toBe(2);
    index.close();
    const bytes = readFileSync(index.file);
    expect(bytes.length).toBe(2 * TimeIndex.ENTRY_SIZE);
    expect([Number(bytes.readBigInt64BE(12)), bytes.readInt32BE(20)]).toEqual([2000, 10]);
  });

  it.each([
    ['before every entry', 500, { timestamp: -1, offset: 100n }],
    ['exactly an entry', 1000, { timestamp: 1000, offset: 105n }],
    ['between entries', 1500, { timestamp: 1000, offset: 105n }],
    ['after every entry', 9999, { timestamp: 2000, offset: 110n }],
  ])('looks up %s', (_case, target, expected) => {
    const index = timeIndex();
    index.maybeAppend(1000, 105n);
    index.maybeAppend(2000, 110n);
    expect(index.lookup(target)).toEqual(expected);
    index.truncateTo(110n);
    expect(index.lastEntry).toEqual({ timestamp: 1000, offset: 105n });
    index.close();
  });
});
