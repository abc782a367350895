/**
 * Buffers for segment reads that are reused instead of left to the garbage collector.
 *
 * Why: a Fetch reads up to max.partition.fetch.bytes (1 MiB by default) per partition into a fresh buffer, writes
 * it to the socket and drops it. V8 frees such external memory only when a collection runs, and lets ~100 MB of
 * dead read buffers pile up before one does: consuming a 10-partition topic with kcat took the broker's RSS from
 * 120 MB to 204 MB, all of it dead `ArrayBuffer`s (process.memoryUsage().arrayBuffers), and every fresh buffer
 * is new memory the kernel has to fault in. Kafka needs none of this: it sendfile()s from the page cache.
 *
 * How: the pool keeps slabs of `slabSize` bytes. A `ReadBufferLease` carves the reads of one request out of its
 * slabs one after another, exact sizes (a read that does not fit in what is left of the current slab starts the
 * next one), and gives all of its slabs back at once with `release()`, which its owner calls when nothing
 * references the bytes any more (for a Fetch: when the kernel has taken the response, see
 * `ImmediateResponse.onComplete`). At most `maxPooledBytes` of free slabs are kept; the rest are left to the
 * collector. A read larger than a slab gets a buffer of its own. A lease that is never released costs nothing
 * but the reuse: the pool keeps no reference to slabs in use, so they are collected as before. The one way to
 * get this wrong is to release a lease while its bytes are still referenced; so only the network path, which
 * knows when a response has been written, takes leases (every other reader of the log gets fresh buffers).
 *
 * Single-threaded, like the rest of the broker. Owned by the broker (one pool, shared by its Fetch handling).
 */

/** Allocates a buffer of exactly `size` bytes for a segment read; its bytes are overwritten by the read. */
export type ReadBufferAllocator = (size: number) => Buffer;

export interface ReadBufferPoolOptions {
  /** Size of one slab; reads larger than this are not pooled. */
  slabSize?: number;
  /** Free slabs kept for reuse, in bytes; above it released slabs are dropped. */
  maxPooledBytes?: number;
  /**
   * Reads below this size are not pooled: they are cheap to allocate (Node's own slab below 4 KiB), and a small
   * response to a consumer at the tail should not keep a whole slab from the others while it is written.
   */
  minPooledSize?: number;
}

export interface ReadBufferPoolMetrics {
  /** Bytes of free slabs held for reuse right now. */
  readonly pooledBytes: number;
  /** Slabs handed out from the free list. */
  readonly reused: number;
  /** Slabs created because no free one was there. */
  readonly created: number;
  /** Reads given buffers outside the pool (too small, too large). */
  readonly unpooled: number;
  /** Released slabs dropped because the pool was full. */
  readonly dropped: number;
}

export class ReadBufferPool {
  private readonly free: Buffer[] = [];
  private reused = 0;
  private created = 0;
  private unpooled = 0;
  private dropped = 0;
  readonly slabSize: number;
  readonly maxPooledBytes: number;
  readonly minPooledSize: number;

  constructor(options: ReadBufferPoolOptions = {}) {
    this.slabSize = options.slabSize ?? 4 * 1024 * 1024;
    this.maxPooledBytes = options.maxPooledBytes ?? 32 * 1024 * 1024;
    this.minPooledSize = options.minPooledSize ?? 64 * 1024;
  }

  /** A new lease; its slabs come back to this pool when it is released. */
  lease(): ReadBufferLease {
    return new ReadBufferLease(this);
  }

  metrics(): ReadBufferPoolMetrics {
    return {
      pooledBytes: this.free.length * this.slabSize,
      reused: this.reused,
      created: this.created,
      unpooled: this.unpooled,
      dropped: this.dropped,
    };
  }

  /** Whether a read of `size` bytes is carved from a slab (else the lease allocates it on its own). */
  pools(size: number): boolean {
    const pooled = size >= this.minPooledSize && size <= this.slabSize;
    if (!pooled) this.unpooled += 1;
    return pooled;
  }

  /** A free slab, or a new one. */
  takeSlab(): Buffer {
    const slab = this.free.pop();
    if (slab !== undefined) {
      this.reused += 1;
      return slab;
    }
    this.created += 1;
    return Buffer.allocUnsafeSlow(this.slabSize);
  }

  /** Takes back a slab from `takeSlab`; nothing may reference its bytes any more. */
  giveSlab(slab: Buffer): void {
    if ((this.free.length + 1) * this.slabSize > this.maxPooledBytes) {
      this.dropped += 1;
      return;
    }
    this.free.push(slab);
  }
}

/**
 * The buffers of one request's reads. `allocate` is a `ReadBufferAllocator`; `release` returns every slab it used
 * to the pool (once: a second call does nothing), after which the bytes it handed out must not be read.
 */
export class ReadBufferLease {
  private readonly slabs: Buffer[] = [];
  /** Bytes of the last slab already handed out. */
  private used = 0;
  private released = false;

  constructor(private readonly pool: ReadBufferPool) {}

  readonly allocate: ReadBufferAllocator = (size) => {
    if (this.released) throw new Error('ReadBufferLease.allocate after release');
    if (!this.pool.pools(size)) return Buffer.allocUnsafe(size);
    let slab = this.slabs.at(-1);
    if (slab === undefined || slab.length - this.used < size) {
      slab = this.pool.takeSlab();
      this.slabs.push(slab);
      this.used = 0;
    }
    const bytes = slab.subarray(this.used, this.used + size);
    this.used += size;
    return bytes;
  };

  /** Slabs in use by this lease. */
  get slabCount(): number {
    return this.slabs.length;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    for (const slab of this.slabs) this.pool.giveSlab(slab);
    this.slabs.length = 0;
  }
}
