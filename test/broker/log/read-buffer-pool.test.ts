import { describe, expect, it } from 'vitest';
import { ReadBufferPool } from '../../../src/broker/log/read-buffer-pool.js';

const KIB = 1024;
const MIB = 1024 * KIB;

describe('ReadBufferPool', () => {
  it('reuses the memory of a released lease for a later read of the same size class', () => {
    const pool = new ReadBufferPool();
    const first = pool.lease();
    const a = first.allocate(700 * KIB);
    a.fill(1);
    first.release();
    const b = pool.lease().allocate(900 * KIB); // same 1 MiB class
    expect(b.length).toBe(900 * KIB);
    expect(b.buffer).toBe(a.buffer);
    expect(pool.metrics()).toMatchObject({ created: 1, reused: 1 });
  });

  it('never hands out a buffer that an unreleased lease still holds', () => {
    const pool = new ReadBufferPool();
    const held = pool.lease();
    const a = held.allocate(MIB);
    const other = pool.lease();
    const b = other.allocate(MIB);
    const c = other.allocate(MIB);
    expect(new Set([a.buffer, b.buffer, c.buffer]).size).toBe(3);
    other.release();
    // b and c are free again; a is still held, so the next two reads get b's and c's memory, the third a new one.
    const next = pool.lease();
    const reused = [next.allocate(MIB).buffer, next.allocate(MIB).buffer, next.allocate(MIB).buffer];
    expect(reused).not.toContain(a.buffer);
    expect(reused.filter((x) => x === b.buffer || x === c.buffer)).toHaveLength(2);
  });

  it('releases once: a second release does not put the buffers in the pool twice', () => {
    const pool = new ReadBufferPool();
    const lease = pool.lease();
    lease.allocate(64 * KIB);
    lease.release();
    lease.release();
    expect(pool.metrics().pooledBytes).toBe(64 * KIB);
    const x = pool.lease();
    const y = pool.lease();
    expect(x.allocate(64 * KIB).buffer).not.toBe(y.allocate(64 * KIB).buffer);
  });

  it('refuses to allocate from a released lease', () => {
    const lease = new ReadBufferPool().lease();
    lease.release();
    expect(() => lease.allocate(MIB)).toThrow(/after release/);
  });

  it('leaves small and huge reads out of the pool', () => {
    const pool = new ReadBufferPool({ minPooledSize: 16 * KIB, maxPooledSize: 8 * MIB });
    const lease = pool.lease();
    expect(lease.allocate(100).length).toBe(100);
    expect(lease.allocate(9 * MIB).length).toBe(9 * MIB);
    expect(lease.buffers).toBe(0);
    lease.release();
    expect(pool.metrics()).toMatchObject({ unpooled: 2, created: 0, pooledBytes: 0 });
  });

  it('keeps at most maxPooledBytes of free buffers and drops the rest', () => {
    const pool = new ReadBufferPool({ maxPooledBytes: 2 * MIB });
    const lease = pool.lease();
    for (let i = 0; i < 3; i++) lease.allocate(MIB);
    lease.release();
    expect(pool.metrics()).toMatchObject({ pooledBytes: 2 * MIB, dropped: 1 });
  });
});
