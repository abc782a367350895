import { describe, expect, it } from 'vitest';
import { RequestBufferPool } from '../../../src/broker/network/request-buffer-pool.js';

describe('RequestBufferPool', () => {
  it('pools only Produce frames no larger than a slab, in buffers of exactly the frame size', () => {
    const pool = new RequestBufferPool({ slabSize: 1000, maxPooledBytes: 4000 });
    expect(pool.allocate(500, 11)).toBeUndefined(); // JoinGroup
    expect(pool.allocate(1001, 0)).toBeUndefined();
    expect(pool.allocate(1000, 0)?.length).toBe(1000);
    expect(pool.allocate(10, 0)?.length).toBe(10);
    expect(pool.metrics()).toEqual({ pooledBytes: 0, reused: 0, created: 2 });
  });

  it('reuses a released buffer once, and ignores a second release and buffers it did not hand out', () => {
    const pool = new RequestBufferPool({ slabSize: 1000, maxPooledBytes: 4000 });
    const first = pool.allocate(300, 0)!;
    pool.release(first);
    pool.release(first);
    pool.release(Buffer.alloc(1000));
    expect(pool.metrics().pooledBytes).toBe(1000);
    const second = pool.allocate(700, 0)!;
    expect(second.buffer).toBe(first.buffer);
    const third = pool.allocate(700, 0)!;
    expect(third.buffer).not.toBe(first.buffer);
    expect(pool.metrics()).toEqual({ pooledBytes: 0, reused: 1, created: 2 });
  });

  it('keeps at most maxPooledBytes of free slabs', () => {
    const pool = new RequestBufferPool({ slabSize: 1000, maxPooledBytes: 2000 });
    const frames = [1, 2, 3].map(() => pool.allocate(100, 0)!);
    for (const frame of frames) pool.release(frame);
    expect(pool.metrics().pooledBytes).toBe(2000);
  });
});
