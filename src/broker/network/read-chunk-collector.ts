import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's collector as exposed by `--expose-gc`; `{ type: 'minor' }` asks for a scavenge of the young generation. */
export type CollectGarbage = (options: { type: 'minor'; execution: 'sync' }) => void;

/**
 * Asks V8 for a young-generation collection (a scavenge) after every `everyBytes` read from client sockets, so
 * the socket's dead read chunks are freed while they are few.
 *
 * Why: Node reads a socket 64 KiB at a time, each read into a fresh `ArrayBuffer` that is dead as soon as its
 * bytes are framed (or copied into a pooled Produce frame). V8 frees dead array buffers only when a collection
 * runs, and what starts one is allocation on the JS heap, which Produce traffic barely does: under kcat's produce
 * load `process.memoryUsage().arrayBuffers` climbed to 33-40 MB of dead read chunks between collections, most of
 * the broker's peak RSS above its idle 72 MB. Measured on this machine (3 x 1,000,000 x 100 B, load ~30): a
 * scavenge every 4 MiB read took peak RSS from 105 to 82 MB; each forced scavenge cost ~1.1 ms of CPU (~30 ms per
 * 100 MB produced, a few per cent of the broker's produce CPU) and pauses for about as long.
 *
 * How: `--expose-gc` set at run time exposes `gc` in contexts created afterwards, which is all this needs (the
 * broker is not started with the flag). Where that fails, nothing is collected early: correctness never depends
 * on it.
 *
 * Single-threaded; one per `SocketServer`, fed by its processors.
 */
export class ReadChunkCollector {
  private sinceCollection = 0;
  private collections = 0;

  constructor(
    readonly everyBytes = 8 * 1024 * 1024,
    private readonly collect: CollectGarbage | null = exposedCollector(),
  ) {}

  /** Counts `bytes` read from a socket; collects the young generation once `everyBytes` have been read. */
  noteRead(bytes: number): void {
    this.sinceCollection += bytes;
    if (this.sinceCollection < this.everyBytes || this.collect === null) return;
    this.sinceCollection = 0;
    this.collections += 1;
    this.collect({ type: 'minor', execution: 'sync' });
  }

  /** Collections asked for so far. */
  get count(): number {
    return this.collections;
  }
}

/** V8's `gc`, exposed at run time, or `null` where this Node does not allow it. */
export function exposedCollector(): CollectGarbage | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as CollectGarbage) : null;
  } catch {
    return null;
  }
}
