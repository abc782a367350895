/**
 * Reused buffers for Produce request frames that arrive over several socket reads.
 *
 * Why: Node hands a socket's bytes over in reads of at most 64 KiB, so a Produce request of ~1 MB (librdkafka's
 * batch.size, the Java producer's max.request.size) is joined once by `NetworkReceive` into a buffer of its own.
 * A fresh 1 MB buffer is an mmap, 256 page faults on first touch and, once dead, external memory that V8 frees
 * only at its next collection: measured on this machine, joining 16 x 64 KiB into a fresh buffer cost 0.2-0.4 ms
 * of CPU (mostly system time), into a reused one 0.05 ms; and under kcat's produce load the dead frames were
 * half of the ~40 MB of dead `ArrayBuffer`s that set the broker's peak RSS.
 *
 * How: free buffers of `slabSize` bytes. `allocate(size, apiKey)` hands out a view of exactly `size` bytes of
 * one (a Produce frame no larger than a slab), or `undefined` for the caller to allocate on its own. `release`
 * takes back the buffer under such a view, once; any other buffer, or a second release, is ignored, so the owner
 * may release every frame it received without knowing which were pooled. At most `maxPooledBytes` of free slabs
 * are kept. A frame never released costs only the reuse: the pool keeps no strong reference to slabs in use.
 *
 * Only Produce frames are pooled because only their lifetime is known: the API layer decodes the records as a
 * view of the frame, validates them, writes them to the segment and keeps nothing of them (offsets and producer
 * state are numbers). Other requests keep views of their frame on purpose (JoinGroup's protocol metadata, a
 * member's assignment) and must never be overwritten.
 *
 * Single-threaded, like the rest of the broker. Owned by one `Processor`, which releases each request's frame
 * once the response to it has left (or was dropped).
 */
export class RequestBufferPool {
  private readonly free: Buffer[] = [];
  private readonly inUse = new WeakSet<ArrayBufferLike>();
  private reused = 0;
  private created = 0;
  readonly slabSize: number;
  readonly maxPooledBytes: number;

  constructor(options: { slabSize?: number; maxPooledBytes?: number } = {}) {
    this.slabSize = options.slabSize ?? 1024 * 1024;
    this.maxPooledBytes = options.maxPooledBytes ?? 4 * 1024 * 1024;
  }

  /** A buffer of exactly `size` bytes for a frame of `apiKey`, or `undefined` when this pool does not take it. */
  allocate(size: number, apiKey: number): Buffer | undefined {
    if (apiKey !== PRODUCE_API_KEY || size > this.slabSize) return undefined;
    let slab = this.free.pop();
    if (slab === undefined) {
      slab = Buffer.allocUnsafeSlow(this.slabSize);
      this.created += 1;
    } else this.reused += 1;
    this.inUse.add(slab.buffer);
    return slab.subarray(0, size);
  }

  /** Takes back the slab under `frame` if it came from `allocate` and was not released yet; else does nothing. */
  release(frame: Buffer): void {
    if (!this.inUse.delete(frame.buffer)) return;
    if ((this.free.length + 1) * this.slabSize > this.maxPooledBytes) return;
    this.free.push(Buffer.from(frame.buffer, 0, this.slabSize));
  }

  metrics(): { pooledBytes: number; reused: number; created: number } {
    return { pooledBytes: this.free.length * this.slabSize, reused: this.reused, created: this.created };
  }
}

const PRODUCE_API_KEY = 0;
