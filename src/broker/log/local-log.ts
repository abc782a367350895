/**
 * LocalLog (Kafka's name): the segments of one partition on this broker's disk, and the offsets that are only
 * about those files — the log end offset (next offset to write), the recovery point (fsynced below it) and the
 * flush statistics. It appends bytes whose offsets are already assigned, rolls, flushes, reads whole batches,
 * truncates from the end and removes segments it is told to remove.
 *
 * It decides nothing about Kafka semantics: UnifiedLog validates and assigns offsets, decides when to roll and
 * which segments retention removes, and owns the log start offset, the high watermark and the checkpoint files.
 * Replication's truncation (`truncateTo`, `truncateFullyAndStartAt`) lives here because it is about files; the
 * leader-epoch cache and producer state that must follow a truncation belong to UnifiedLog, around these calls.
 *
 * Concurrency: owned by one UnifiedLog; synchronous, on the event loop, like it.
 */
import { rmSync } from 'node:fs';
import type { RecordBatch } from '../record/record-batch.js';
import type { LogConfig } from './log-config.js';
import { LogSegment } from './log-segment.js';
import type { LogSegments } from './log-segments.js';
import type { ReadBufferAllocator } from './read-buffer-pool.js';

export class LocalLog {
  private _flushCount = 0;
  private _lastFlushOffset: bigint;
  private _lastFlushTime: number;

  constructor(
    readonly dir: string,
    private _config: LogConfig,
    /** Loaded by the LogLoader; this class adds and removes segments from now on. */
    readonly segments: LogSegments,
    private _recoveryPoint: bigint,
    private _logEndOffset: bigint,
    private readonly clock: () => number,
    lastFlushTime: number,
  ) {
    this._lastFlushOffset = _logEndOffset;
    this._lastFlushTime = lastFlushTime;
  }

  /** The settings new segments are opened with (index.interval.bytes). */
  get config(): LogConfig {
    return this._config;
  }

  /** A topic config change (Kafka's `LocalLog.updateConfig`): segments opened from now on use it. */
  updateConfig(config: LogConfig): void {
    this._config = config;
  }

  get logEndOffset(): bigint {
    return this._logEndOffset;
  }
  get recoveryPoint(): bigint {
    return this._recoveryPoint;
  }
  /** fsync passes so far: by flush.messages / flush.ms, explicit flush(), segment roll and close. */
  get flushCount(): number {
    return this._flushCount;
  }
  get lastFlushOffset(): bigint {
    return this._lastFlushOffset;
  }
  get lastFlushTime(): number {
    return this._lastFlushTime;
  }
  /** Offsets appended since the last fsync (Kafka: unflushedMessages). */
  get unflushedMessages(): bigint {
    return this._logEndOffset - this._recoveryPoint;
  }
  get size(): number {
    return this.segments.sizeInBytes;
  }

  get activeSegment(): LogSegment {
    const active = this.segments.last;
    if (!active) throw new Error(`log ${this.dir} has no segment`);
    return active;
  }

  /**
   * Appends `records` (offsets already assigned, ending at `lastOffset`) to the active segment; `batches`, when
   * the caller has parsed them already, saves the segment a second walk.
   */
  append(records: Buffer, lastOffset: bigint, batches?: readonly RecordBatch[]): void {
    this.activeSegment.append(records, batches);
    this._logEndOffset = lastOffset + 1n;
  }

  /** Starts a new active segment at the log end offset, unless the active one already starts there. */
  roll(now: number): { segment: LogSegment; rolled: boolean } {
    const newBase = this._logEndOffset;
    const old = this.activeSegment;
    if (old.baseOffset === newBase) return { segment: old, rolled: false };
    old.onBecomeInactiveSegment();
    const segment = LogSegment.open(this.dir, newBase, this.config.indexIntervalBytes, now);
    this.segments.add(segment);
    return { segment, rolled: true };
  }

  /** fsyncs the segments below `offset` and moves the recovery point there; false if it was already there. */
  flush(offset: bigint, now: number): boolean {
    if (offset <= this._recoveryPoint) return false;
    for (const segment of this.segments.from(this._recoveryPoint)) {
      if (segment.baseOffset < offset) segment.flush();
    }
    this._recoveryPoint = offset;
    this._flushCount++;
    this._lastFlushOffset = offset;
    this._lastFlushTime = now;
    return true;
  }

  /**
   * Whole stored batches from the one holding `fetchOffset`, up to `maxBytes`, below `maxOffset`; null if no
   * segment has any. Reads from one segment at a time, like Kafka; the next fetch continues in the next segment.
   */
  read(
    fetchOffset: bigint,
    maxBytes: number,
    maxOffset: bigint,
    minOneBatch: boolean,
    allocate?: ReadBufferAllocator,
  ): Buffer | null {
    let segment = this.segments.floorSegment(fetchOffset).segment;
    while (segment) {
      const read = segment.read(fetchOffset, maxBytes, { maxOffset, minOneBatch, allocate });
      if (read) return read.records;
      segment = this.segments.next(segment);
    }
    return null;
  }

  /** Removes `segment` from the log and deletes its files (retention, DeleteRecords). */
  removeAndDeleteSegment(segment: LogSegment): void {
    this.segments.remove(segment);
    segment.delete();
  }

  /**
   * Removes everything from the batch holding `offset` onwards; the caller checked `offset` is inside the log
   * and at or above the first segment. Whole batches only, so the log end offset may end up below `offset`.
   */
  truncateTo(offset: bigint): void {
    for (let last = this.activeSegment; last.baseOffset > offset; last = this.activeSegment) {
      this.removeAndDeleteSegment(last);
    }
    this.activeSegment.truncateTo(offset);
    this._logEndOffset = this.activeSegment.readNextOffset();
    this.clampToLogEnd();
  }

  /** Deletes every segment and restarts the log empty at `offset`. */
  truncateFullyAndStartAt(offset: bigint): void {
    for (const segment of [...this.segments.values()]) this.removeAndDeleteSegment(segment);
    this.segments.add(LogSegment.open(this.dir, offset, this.config.indexIntervalBytes, this.clock()));
    this._logEndOffset = offset;
    this.clampToLogEnd();
  }

  /** Keeps the recovery point above the log start offset after segments below it were removed. */
  raiseRecoveryPointTo(logStartOffset: bigint): void {
    if (this._recoveryPoint < logStartOffset) this._recoveryPoint = logStartOffset;
  }

  private clampToLogEnd(): void {
    if (this._recoveryPoint > this._logEndOffset) this._recoveryPoint = this._logEndOffset;
    if (this._lastFlushOffset > this._logEndOffset) this._lastFlushOffset = this._logEndOffset;
  }

  /** Closes every segment's files. */
  close(): void {
    for (const segment of this.segments.values()) segment.close();
  }

  /** Closes the segments and removes the whole partition directory. */
  delete(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
