/**
 * LogSegment: one slice of a partition's log, as three files named by the segment's base offset
 * (the first offset it may hold), 20-digit zero padded:
 *   <base>.log        the record batches, byte for byte as stored (baseOffset already assigned)
 *   <base>.index      OffsetIndex: offset → byte position, one entry per index.interval.bytes
 *   <base>.timeindex  TimeIndex: timestamp → offset, alongside the offset index entries
 *
 * It appends already-validated batches, serves whole batches by offset (index lookup, then a forward
 * scan of batch headers), finds offsets by timestamp, truncates, and after a crash `recover()`s: it
 * re-reads every batch, keeps the valid prefix and rebuilds both indexes.
 *
 * Only UnifiedLog creates, appends to, truncates or deletes segments; only the last (active) segment is
 * appended to. Everything is synchronous and single-threaded (see UnifiedLog), so there is no lock; Kafka
 * relies on UnifiedLog's lock for the same guarantee and makes reads thread-safe for fetch threads.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import {
  batchesIn,
  LOG_OVERHEAD,
  NO_TIMESTAMP,
  RECORD_BATCH_OVERHEAD,
  RecordBatch,
  readBatchAt,
} from '../record/record-batch.js';
import { decodeRecords } from '../record/record-decoder.js';
import { InvalidRecordBatchError } from '../record/storage-errors.js';
import { MAX_RELATIVE_OFFSET } from './abstract-index.js';
import { logFile, offsetIndexFile, timeIndexFile } from './log-file-names.js';
import { OffsetIndex, type OffsetPosition } from './offset-index.js';
import type { ReadBufferAllocator } from './read-buffer-pool.js';
import { TimeIndex, type TimestampOffset } from './time-index.js';

/** Where a batch sits in the segment, and what it took to find it (for lookup traces). */
export interface LogOffsetPosition {
  /** First and last offset of the batch that holds the requested offset. */
  baseOffset: bigint;
  lastOffset: bigint;
  position: number;
  sizeInBytes: number;
  recordCount: number;
  /** The index entry the scan started from. */
  indexEntry: OffsetPosition & { slot: number };
  /** Batch headers read by the forward scan, including the one found. */
  headersRead: number;
  /** Bytes stepped over between the index position and the batch found. */
  bytesSkipped: number;
}

/** Where a batch header keeps its length and last offset delta (see record-batch.ts). */
const LENGTH_OFFSET = 8;
const LAST_OFFSET_DELTA_OFFSET = 23;

export interface SegmentReadOptions {
  /** Exclusive upper bound: batches whose last offset is >= maxOffset are not returned. */
  maxOffset?: bigint;
  /** Return the first batch even if it is larger than maxBytes (Kafka: minOneMessage). */
  minOneBatch?: boolean;
  /** Where the bytes are read into (a pooled buffer, see ReadBufferPool); a fresh buffer when absent. */
  allocate?: ReadBufferAllocator;
}

export interface SegmentReadResult {
  /** Whole batches exactly as stored; may be empty (maxBytes too small, or maxOffset reached). */
  records: Buffer;
  /** Byte position of the first returned batch. */
  position: number;
}

export class LogSegment {
  private fd: number;
  private sizeInBytes: number;
  private bytesSinceLastIndexEntry = 0;
  /** Largest batch maxTimestamp seen and the last offset of its batch; feeds the time index. */
  private maxTimestampSoFar = NO_TIMESTAMP;
  private offsetOfMaxTimestampSoFar: bigint;
  /** maxTimestamp of the first batch, the clock segment.ms rolls by (Kafka: rollingBasedTimestamp). */
  private rollingBasedTimestamp: number | undefined;

  private constructor(
    readonly dir: string,
    readonly baseOffset: bigint,
    readonly indexIntervalBytes: number,
    readonly offsetIndex: OffsetIndex,
    readonly timeIndex: TimeIndex,
    readonly createdMs: number,
  ) {
    this.fd = openSync(this.logFile, 'a+');
    this.sizeInBytes = fstatSync(this.fd).size;
    this.offsetOfMaxTimestampSoFar = baseOffset;
  }

  /**
   * Opens (creating if missing) the segment at `baseOffset`. The indexes are trusted as found; the caller
   * decides whether to `recover()` (unclean shutdown, or `needsRecovery()`).
   */
  static open(dir: string, baseOffset: bigint, indexIntervalBytes: number, nowMs: number): LogSegment {
    const segment = new LogSegment(
      dir,
      baseOffset,
      indexIntervalBytes,
      new OffsetIndex(offsetIndexFile(dir, baseOffset), baseOffset),
      new TimeIndex(timeIndexFile(dir, baseOffset), baseOffset),
      nowMs,
    );
    segment.loadStateFromIndexes();
    return segment;
  }

  get logFile(): string {
    return logFile(this.dir, this.baseOffset);
  }

  get size(): number {
    return this.sizeInBytes;
  }

  /** Largest timestamp in the segment, or the file's modification time when no batch carries one. */
  get largestTimestamp(): number {
    return this.maxTimestampSoFar >= 0 ? this.maxTimestampSoFar : this.lastModified;
  }

  get maxTimestamp(): TimestampOffset {
    return { timestamp: this.maxTimestampSoFar, offset: this.offsetOfMaxTimestampSoFar };
  }

  get lastModified(): number {
    return statSync(this.logFile).mtimeMs;
  }

  /** Why the on-disk indexes cannot be used as they are, or null. */
  needsRecovery(): string | null {
    return this.offsetIndex.sanityCheck() ?? this.timeIndex.sanityCheck();
  }

  /** True if `offset` can still be stored relative to this segment's base offset in an int32. */
  canConvertToRelativeOffset(offset: bigint): boolean {
    const relative = offset - this.baseOffset;
    return relative >= 0n && relative <= BigInt(MAX_RELATIVE_OFFSET);
  }

  /** Milliseconds this segment has been filling, by record time (Kafka: timeWaitedForRoll). */
  timeWaitedForRoll(nowMs: number, incomingMaxTimestamp: number): number {
    return this.rollingBasedTimestamp !== undefined && incomingMaxTimestamp >= 0
      ? incomingMaxTimestamp - this.rollingBasedTimestamp
      : nowMs - this.createdMs;
  }

  /**
   * Appends validated batches whose offsets are already assigned. Adds an index entry for a batch when
   * more than index.interval.bytes have been appended since the last entry.
   */
  append(records: Buffer, batches?: readonly RecordBatch[]): void {
    if (records.length === 0) return;
    let position = this.sizeInBytes;
    // The caller's already parsed batches when it has them (UnifiedLog validated them): no second walk.
    const appended = batches ?? [...batchesIn(records)];
    const last = appended.at(-1);
    if (!last || !this.canConvertToRelativeOffset(last.lastOffset)) {
      throw new RangeError(`batch ending at ${last?.lastOffset} does not fit segment ${this.baseOffset}`);
    }
    writeSync(this.fd, records, 0, records.length);
    for (const batch of appended) {
      this.trackAppendedBatch(batch, position);
      position += batch.sizeInBytes;
    }
    this.sizeInBytes = position;
  }

  private trackAppendedBatch(batch: RecordBatch, position: number): void {
    if (position === 0) this.rollingBasedTimestamp = batch.maxTimestamp >= 0 ? batch.maxTimestamp : undefined;
    if (batch.maxTimestamp > this.maxTimestampSoFar) {
      this.maxTimestampSoFar = batch.maxTimestamp;
      this.offsetOfMaxTimestampSoFar = batch.lastOffset;
    }
    // Same rule as Kafka: the check runs before counting this batch, so the first batch of a segment
    // is never indexed (position 0 is implied) and entries are > indexIntervalBytes apart.
    if (this.bytesSinceLastIndexEntry > this.indexIntervalBytes) {
      this.offsetIndex.append(batch.lastOffset, position);
      this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
      this.bytesSinceLastIndexEntry = 0;
    }
    this.bytesSinceLastIndexEntry += batch.sizeInBytes;
  }

  /**
   * Finds the first batch whose last offset is >= `offset`: binary search of the offset index, then a
   * forward scan of batch headers. Null when the segment holds no such batch.
   */
  translateOffset(offset: bigint, startingPosition = 0): LogOffsetPosition | null {
    const slot = this.offsetIndex.slotFor(offset);
    const entry = slot < 0 ? { offset: this.baseOffset, position: 0 } : this.offsetIndex.entry(slot);
    const from = Math.max(entry.position, startingPosition);
    let position = from;
    let headersRead = 0;
    for (;;) {
      const header = this.readHeaderAt(position);
      if (!header) return null;
      headersRead++;
      if (header.lastOffset >= offset) {
        return {
          baseOffset: header.baseOffset,
          lastOffset: header.lastOffset,
          position,
          sizeInBytes: header.sizeInBytes,
          recordCount: header.recordCount,
          indexEntry: { ...entry, slot },
          headersRead,
          bytesSkipped: position - from,
        };
      }
      position += header.sizeInBytes;
    }
  }

  /**
   * Whole batches starting with the one that holds `startOffset` (which may begin below it: clients drop
   * the older records), up to `maxBytes`, returned exactly as stored. Null when no batch in this segment
   * reaches `startOffset`.
   */
  read(startOffset: bigint, maxBytes: number, options: SegmentReadOptions = {}): SegmentReadResult | null {
    const start = this.translateOffset(startOffset);
    if (!start) return null;
    const budget = (options.minOneBatch ?? true) ? Math.max(maxBytes, start.sizeInBytes) : maxBytes;
    const chunk = this.readBytes(start.position, Math.min(budget, this.sizeInBytes - start.position), options.allocate);
    // Whole batches only, below maxOffset: header fields read in place, no batch objects.
    let taken = 0;
    while (chunk.length - taken >= RECORD_BATCH_OVERHEAD) {
      const size = LOG_OVERHEAD + chunk.readInt32BE(taken + LENGTH_OFFSET);
      if (size < RECORD_BATCH_OVERHEAD || taken + size > chunk.length) break;
      const lastOffset = chunk.readBigInt64BE(taken) + BigInt(chunk.readInt32BE(taken + LAST_OFFSET_DELTA_OFFSET));
      if (options.maxOffset !== undefined && lastOffset >= options.maxOffset) break;
      taken += size;
    }
    return { records: chunk.subarray(0, taken), position: start.position };
  }

  /** The offset after the last batch (the segment's log end offset); the base offset if empty. */
  readNextOffset(): bigint {
    let position = this.offsetIndex.lastEntry.position;
    let next = this.baseOffset;
    for (let header = this.readHeaderAt(position); header; header = this.readHeaderAt(position)) {
      next = header.nextOffset;
      position += header.sizeInBytes;
    }
    return next;
  }

  /**
   * The first record with timestamp >= target and offset >= startingOffset: time index, then offset
   * index, then a scan of batches by maxTimestamp, then the records of that batch. For a compressed batch
   * (records not decoded here) the batch's first eligible offset and maxTimestamp are returned.
   */
  findOffsetByTimestamp(targetTimestamp: number, startingOffset: bigint): TimestampOffset | null {
    const fromTime = this.timeIndex.lookup(targetTimestamp);
    const from = fromTime.offset > startingOffset ? fromTime.offset : startingOffset;
    let position = this.offsetIndex.lookup(from).position;
    for (let header = this.readHeaderAt(position); header; header = this.readHeaderAt(position)) {
      if (header.maxTimestamp >= targetTimestamp && header.lastOffset >= startingOffset) {
        const batch = new RecordBatch(this.readBytes(position, header.sizeInBytes));
        if (batch.compressionCodec !== 0) {
          return {
            timestamp: batch.maxTimestamp,
            offset: batch.baseOffset > startingOffset ? batch.baseOffset : startingOffset,
          };
        }
        const record = decodeRecords(batch).find((r) => r.timestamp >= targetTimestamp && r.offset >= startingOffset);
        if (record) return { timestamp: record.timestamp, offset: record.offset };
      }
      position += header.sizeInBytes;
    }
    return null;
  }

  /**
   * Rebuilds the indexes by reading every batch from the start and cuts the file at the first batch that
   * is invalid: bad length, bad CRC, a torn tail, garbage, or offsets that go backwards. Returns the
   * number of bytes truncated (Kafka: LogSegment.recover). `onBatch` sees every batch kept, in order, while it is
   * read: Kafka's recovery updates the leader-epoch cache and producer state in the same pass.
   */
  recover(onBatch?: (batch: RecordBatch) => void): number {
    this.offsetIndex.reset();
    this.timeIndex.reset();
    this.maxTimestampSoFar = NO_TIMESTAMP;
    this.offsetOfMaxTimestampSoFar = this.baseOffset;
    this.bytesSinceLastIndexEntry = 0;
    this.rollingBasedTimestamp = undefined;
    const fileSize = fstatSync(this.fd).size;
    let validBytes = 0;
    let expectedNextOffset = this.baseOffset;
    while (validBytes < fileSize) {
      const batch = this.readValidBatchAt(validBytes, fileSize);
      if (!batch || batch.baseOffset < expectedNextOffset || !this.canConvertToRelativeOffset(batch.lastOffset)) break;
      this.trackAppendedBatch(batch, validBytes);
      onBatch?.(batch);
      validBytes += batch.sizeInBytes;
      expectedNextOffset = batch.nextOffset;
    }
    ftruncateSync(this.fd, validBytes);
    this.sizeInBytes = validBytes;
    this.onBecomeInactiveSegment();
    return fileSize - validBytes;
  }

  /**
   * Removes every batch from the one holding `offset` onwards (whole batches: the log end offset becomes
   * that batch's base offset). Returns the bytes removed.
   */
  truncateTo(offset: bigint): number {
    const mapping = this.translateOffset(offset);
    if (!mapping) return 0;
    this.offsetIndex.truncateTo(mapping.baseOffset);
    this.timeIndex.truncateTo(mapping.baseOffset);
    const removed = this.sizeInBytes - mapping.position;
    ftruncateSync(this.fd, mapping.position);
    this.sizeInBytes = mapping.position;
    this.loadStateFromIndexes();
    return removed;
  }

  /**
   * Called when the segment stops being the active one, and on close: records the segment's largest
   * timestamp as a final time index entry, so a reopened segment knows it without reading the log.
   */
  onBecomeInactiveSegment(): void {
    this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
  }

  /** fsync the log and both indexes. */
  flush(): void {
    fsyncSync(this.fd);
    this.offsetIndex.flush();
    this.timeIndex.flush();
  }

  close(): void {
    if (this.fd < 0) return;
    this.onBecomeInactiveSegment();
    closeSync(this.fd);
    this.fd = -1;
    this.offsetIndex.close();
    this.timeIndex.close();
  }

  /** Closes and removes all three files (Kafka renames to .deleted first and deletes asynchronously). */
  delete(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.offsetIndex.deleteIfExists();
    this.timeIndex.deleteIfExists();
    if (existsSync(this.logFile)) rmSync(this.logFile);
  }

  /** Restores the in-memory counters a clean reopen (or a truncation) needs from the indexes and file. */
  private loadStateFromIndexes(): void {
    const last = this.timeIndex.lastEntry;
    this.maxTimestampSoFar = last.timestamp;
    this.offsetOfMaxTimestampSoFar = last.offset;
    this.bytesSinceLastIndexEntry = this.sizeInBytes - this.offsetIndex.lastEntry.position;
    const first = this.sizeInBytes > 0 ? this.readHeaderAt(0) : null;
    this.rollingBasedTimestamp = first && first.maxTimestamp >= 0 ? first.maxTimestamp : undefined;
  }

  /** The header of the batch at `position`, or null at (or within a header's length of) the end. */
  private readHeaderAt(position: number): RecordBatch | null {
    if (this.sizeInBytes - position < RECORD_BATCH_OVERHEAD) return null;
    const header = this.readBytes(position, RECORD_BATCH_OVERHEAD);
    return header.readInt32BE(8) + LOG_OVERHEAD >= RECORD_BATCH_OVERHEAD ? new RecordBatch(header) : null;
  }

  /** The fully checked batch at `position` (CRC included), or null if there is none there. */
  private readValidBatchAt(position: number, fileSize: number): RecordBatch | null {
    if (fileSize - position < LOG_OVERHEAD) return null;
    const length = this.readBytes(position, LOG_OVERHEAD).readInt32BE(8);
    const size = LOG_OVERHEAD + length;
    if (length < 0 || size < RECORD_BATCH_OVERHEAD || size > fileSize - position) return null;
    const batch = readBatchAt(this.readBytes(position, size), 0);
    return batch instanceof InvalidRecordBatchError ? null : batch;
  }

  /**
   * Reads into a not zero-filled buffer, fresh or from `allocate` (every byte returned was read: a short read is
   * cut off).
   */
  private readBytes(position: number, length: number, allocate?: ReadBufferAllocator): Buffer {
    const bytes = allocate ? allocate(Math.max(0, length)) : Buffer.allocUnsafe(Math.max(0, length));
    let done = 0;
    while (done < bytes.length) {
      const n = readSync(this.fd, bytes, done, bytes.length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return done === bytes.length ? bytes : bytes.subarray(0, done);
  }
}
