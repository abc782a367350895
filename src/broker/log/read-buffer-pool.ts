/**
 * Buffers for segment reads that are reused instead of left to the garbage collector.
 *
 * Why: a Fetch reads up to max.partition.fetch.bytes (1 MiB by default) per partition into a fresh buffer, writes
 * it to the socket and drops it. V8 frees such external memory only when a collection runs, and lets ~100 MB of
 * dead read buffers pile up before one does: consuming a 10-partition topic with kcat took the broker's RSS from
 * 120 MB to 204 MB, all of it dead `ArrayBuffer`s (process.memoryUsage().arrayBuffers), and every fresh buffer
 * is new memory the kernel has to fault in. Kafka needs none of this: it sendfile()s from the page cache.
 *
 * How: a `ReadBufferLease` hands out buffers for the reads of one request and gives all of them back at once
 * with `release()`, which its owner calls when nothing references the bytes any more (for a Fetch: when the
 * kernel has taken the response, see `ImmediateResponse.onComplete`). Buffers are kept in power-of-two size
 * classes and reused for any later lease; at most `maxPooledBytes` of free buffers are kept, the rest are left
 * to the collector. A lease that is never released costs nothing but the reuse: the pool keeps no reference to
 * buffers in use, so they are collected as before. The one way to get this wrong is to release a lease while
 * its bytes are still referenced; so only the network path, which knows when a response has been written,
 * takes leases (every other reader of the log gets fresh buffers).
 *
 * Single-threaded, like the rest of the broker. Owned by the broker (one pool, shared by its Fetch handling).
 */

/** Allocates a buffer of exactly `size` bytes for a segment read; its bytes are overwritten by the read. */
export type ReadBufferAllocator = (size: number) => Buffer;

export interface ReadBufferPoolOptions {
  /** Free buffers kept for reuse, in bytes; above it released buffers are dropped. */
  maxPooledBytes?: number;
  /** Reads below this size are not pooled (small allocations come from Node's own slab). */
  minPooledSize?: number;
  /** Reads above this size are not pooled (a rare huge fetch must not pin its memory). */
  maxPooledSize?: number;
}

export interface ReadBufferPoolMetrics {
  /** Bytes of free buffers held for reuse right now. */
  readonly pooledBytes: number;
  /** Buffers handed out from the free lists. */
  readonly reused: number;
  /** Buffers created because no free one of their class was there. */
  readonly created: number;
  /** Allocations outside the pool (too small, too large). */
  readonly unpooled: number;
  /** Released buffers dropped because the pool was full. */
  readonly dropped: number;
}

export class ReadBufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private pooledBytes = 0;
  private reused = 0;
  private created = 0;
  private unpooled = 0;
  private dropped = 0;
  readonly maxPooledBytes: number;
  readonly minPooledSize: number;
  readonly maxPooledSize: number;

  constructor(options: ReadBufferPoolOptions = {}) {
    this.maxPooledBytes = options.maxPooledBytes ?? 32 * 1024 * 1024;
    this.minPooledSize = options.minPooledSize ?? 16 * 1024;
    this.maxPooledSize = options.maxPooledSize ?? 8 * 1024 * 1024;
  }

  /** A new lease; its buffers come back to this pool when it is released. */
  lease(): ReadBufferLease {
    return new ReadBufferLease(this);
  }

  metrics(): ReadBufferPoolMetrics {
    return {
      pooledBytes: this.pooledBytes,
      reused: this.reused,
      created: this.created,
      unpooled: this.unpooled,
      dropped: this.dropped,
    };
  }

  /** A whole class-sized buffer, or undefined when `size` is not pooled (the caller allocates it itself). */
  take(size: number): Buffer | undefined {
    if (size < this.minPooledSize || size > this.maxPooledSize) {
      this.unpooled += 1;
      return undefined;
    }
    const capacity = sizeClass(size);
    const buffer = this.free.get(capacity)?.pop();
    if (buffer !== undefined) {
      this.pooledBytes -= capacity;
      this.reused += 1;
      return buffer;
    }
    this.created += 1;
    return Buffer.allocUnsafeSlow(capacity);
  }

  /** Takes back a buffer from `take`; nothing may reference its bytes any more. */
  give(buffer: Buffer): void {
    if (this.pooledBytes + buffer.length > this.maxPooledBytes) {
      this.dropped += 1;
      return;
    }
    let list = this.free.get(buffer.length);
    if (list === undefined) this.free.set(buffer.length, (list = []));
    list.push(buffer);
    this.pooledBytes += buffer.length;
  }
}

/**
 * The buffers of one request's reads. `allocate` is a `ReadBufferAllocator`; `release` returns every buffer it
 * handed out to the pool (once: a second call does nothing), after which their bytes must not be read.
 */
export class ReadBufferLease {
  private readonly taken: Buffer[] = [];
  private released = false;

  constructor(private readonly pool: ReadBufferPool) {}

  readonly allocate: ReadBufferAllocator = (size) => {
    if (this.released) throw new Error('ReadBufferLease.allocate after release');
    const buffer = this.pool.take(size);
    if (buffer === undefined) return Buffer.allocUnsafe(size);
    this.taken.push(buffer);
    return buffer.subarray(0, size);
  };

  /** Buffers handed out and not yet released. */
  get buffers(): number {
    return this.taken.length;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    for (const buffer of this.taken) this.pool.give(buffer);
    this.taken.length = 0;
  }
}

/** The smallest power of two >= size. */
function sizeClass(size: number): number {
  return 2 ** Math.ceil(Math.log2(size));
}
