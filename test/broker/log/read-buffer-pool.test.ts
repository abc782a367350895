import { describe, expect, it } from 'vitest';
import { ReadBufferPool } from '../../../src/broker/log/read-buffer-pool.js';

const KIB = 1024;
const MIB = 1024 * KIB;

/** Whether two views share any byte of the same memory. */
function overlap(a: Buffer, b: Buffer): boolean {
  if (a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.length && b.byteOffset < a.byteOffset + a.length;
}

describe('ReadBufferPool', () => {
  it('carves one lease’s reads from a slab one after another, exact sizes, without overlap', () => {
    const pool = new ReadBufferPool({ slabSize: 4 * MIB });
    const lease = pool.lease();
    const reads = [700 * KIB, MIB, 300 * KIB, 2 * MIB].map((size) => lease.allocate(size));
    expect(reads.map((r) => r.length)).toEqual([700 * KIB, MIB, 300 * KIB, 2 * MIB]);
    for (let i = 0; i < reads.length; i++)
      for (let j = i + 1; j < reads.length; j++) expect(overlap(reads[i]!, reads[j]!)).toBe(false);
    expect(lease.slabCount).toBe(1);
    // 4 MiB is used up to 4 MiB exactly; the next read starts a second slab.
    lease.allocate(100 * KIB);
    expect(lease.slabCount).toBe(2);
  });

  it('reuses the slabs of a released lease for a later one', () => {
    const pool = new ReadBufferPool();
    const first = pool.lease();
    const a = first.allocate(700 * KIB);
    first.release();
    const b = pool.lease().allocate(900 * KIB);
    expect(b.buffer).toBe(a.buffer);
    expect(pool.metrics()).toMatchObject({ created: 1, reused: 1 });
  });

  it('never hands out memory that an unreleased lease still holds', () => {
    const pool = new ReadBufferPool({ slabSize: MIB });
    const held = pool.lease();
    const a = held.allocate(MIB);
    const other = pool.lease();
    const b = other.allocate(MIB);
    const c = other.allocate(MIB);
    expect(new Set([a.buffer, b.buffer, c.buffer]).size).toBe(3);
    other.release();
    // b's and c's slabs are free again; a's is still held, so the third read of the next lease gets a new slab.
    const next = pool.lease();
    const reused = [next.allocate(MIB).buffer, next.allocate(MIB).buffer, next.allocate(MIB).buffer];
    expect(reused).not.toContain(a.buffer);
    expect(reused.filter((x) => x === b.buffer || x === c.buffer)).toHaveLength(2);
  });

  it('releases once: a second release does not put the slabs in the pool twice', () => {
    const pool = new ReadBufferPool({ slabSize: MIB });
    const lease = pool.lease();
    lease.allocate(64 * KIB);
    lease.release();
    lease.release();
    expect(pool.metrics().pooledBytes).toBe(MIB);
    const x = pool.lease();
    const y = pool.lease();
    expect(x.allocate(64 * KIB).buffer).not.toBe(y.allocate(64 * KIB).buffer);
  });

  it('refuses to allocate from a released lease', () => {
    const lease = new ReadBufferPool().lease();
    lease.release();
    expect(() => lease.allocate(MIB)).toThrow(/after release/);
  });

  it('leaves tiny reads and reads larger than a slab out of the pool', () => {
    const pool = new ReadBufferPool({ slabSize: 4 * MIB, minPooledSize: KIB });
    const lease = pool.lease();
    expect(lease.allocate(100).length).toBe(100);
    expect(lease.allocate(5 * MIB).length).toBe(5 * MIB);
    expect(lease.slabCount).toBe(0);
    lease.release();
    expect(pool.metrics()).toMatchObject({ unpooled: 2, created: 0, pooledBytes: 0 });
  });

  it('keeps at most maxPooledBytes of free slabs and drops the rest', () => {
    const pool = new ReadBufferPool({ slabSize: MIB, maxPooledBytes: 2 * MIB });
    const lease = pool.lease();
    for (let i = 0; i < 3; i++) lease.allocate(MIB);
    lease.release();
    expect(pool.metrics()).toMatchObject({ pooledBytes: 2 * MIB, dropped: 1 });
  });
});
