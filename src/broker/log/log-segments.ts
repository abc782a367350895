/**
 * LogSegments: a partition's segments ordered by base offset, with the binary search that answers
 * "which file holds offset X" (Kafka: LogSegments, a ConcurrentSkipListMap there; a sorted array here,
 * since only UnifiedLog touches it and never concurrently).
 */
import { batchesIn, type RecordBatch } from '../record/record-batch.js';
import type { LogSegment } from './log-segment.js';

const READ_CHUNK_BYTES = 4 << 20;

export interface FloorSearch {
  segment: LogSegment | undefined;
  /** Base offsets compared, in order: the path of the binary search, for lookup traces. */
  probes: bigint[];
}

export class LogSegments {
  private readonly sorted: LogSegment[] = [];

  add(segment: LogSegment): void {
    const at = this.sorted.findIndex((s) => s.baseOffset >= segment.baseOffset);
    if (at >= 0 && this.sorted[at]?.baseOffset === segment.baseOffset) {
      throw new Error(`a segment with base offset ${segment.baseOffset} already exists`);
    }
    if (at < 0) this.sorted.push(segment);
    else this.sorted.splice(at, 0, segment);
  }

  remove(segment: LogSegment): void {
    const at = this.sorted.indexOf(segment);
    if (at >= 0) this.sorted.splice(at, 1);
  }

  get count(): number {
    return this.sorted.length;
  }

  get first(): LogSegment | undefined {
    return this.sorted[0];
  }

  /** The active segment: the only one appended to. */
  get last(): LogSegment | undefined {
    return this.sorted.at(-1);
  }

  values(): readonly LogSegment[] {
    return this.sorted;
  }

  /**
   * The stored batches holding offsets from `from` until `to` (the first may start below `from`), read from the
   * segments a few MiB at a time into fresh buffers.
   */
  *batchesBetween(from: bigint, to: bigint): Generator<RecordBatch> {
    if (from >= to) return;
    let offset = from;
    for (let segment = this.floorSegment(from).segment ?? this.first; segment; segment = this.next(segment)) {
      for (let read = segment.read(offset, READ_CHUNK_BYTES); read; read = segment.read(offset, READ_CHUNK_BYTES)) {
        const start = offset;
        for (const batch of batchesIn(read.records)) {
          if (batch.baseOffset >= to) return;
          yield batch;
          offset = batch.nextOffset;
        }
        if (offset === start) break;
      }
      if (offset >= to) return;
    }
  }

  /** Segments from the one holding `offset` (or the first above it) to the end. */
  from(offset: bigint): LogSegment[] {
    const floor = this.floorSegment(offset).segment;
    return floor ? this.sorted.slice(this.sorted.indexOf(floor)) : this.sorted.filter((s) => s.baseOffset >= offset);
  }

  /** The segment with the largest base offset <= `offset` (the one that would hold it). */
  floorSegment(offset: bigint): FloorSearch {
    const probes: bigint[] = [];
    let lo = 0;
    let hi = this.sorted.length - 1;
    let found: LogSegment | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const segment = this.sorted[mid] as LogSegment;
      probes.push(segment.baseOffset);
      if (segment.baseOffset <= offset) {
        found = segment;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return { segment: found, probes };
  }

  /** The segment right after `segment`, if any. */
  next(segment: LogSegment): LogSegment | undefined {
    const at = this.sorted.indexOf(segment);
    return at < 0 ? undefined : this.sorted[at + 1];
  }

  get sizeInBytes(): number {
    return this.sorted.reduce((sum, s) => sum + s.size, 0);
  }
}
