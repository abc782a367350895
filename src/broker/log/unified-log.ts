/**
 * UnifiedLog: the log of one partition, a directory `<topic>-<partition>` of LogSegments plus checkpoint
 * files. It owns the partition's offsets:
 *
 *   logStartOffset  first offset a consumer may read (moved by retention and DeleteRecords; checkpointed)
 *   recoveryPoint   everything below it has been fsynced; crash recovery re-scans from here (checkpointed)
 *   highWatermark   offsets below it are committed; consumers never read past it (checkpointed)
 *   logEndOffset    the next offset to assign (LEO)
 *
 * Appends validate every batch first (all or nothing), then assign offsets by rewriting baseOffset and
 * partitionLeaderEpoch in place (outside the CRC) and append the bytes to the active segment unchanged;
 * reads return those stored bytes. As in Kafka, the files are a LocalLog's (segments, log end offset, recovery
 * point, roll, flush, truncation); this class owns the Kafka semantics around them (validation, offsets, when
 * to roll and flush, retention, the log start offset and high watermark, checkpoints). On open, the LogLoader
 * recovers the directory (a missing `.kafka_cleanshutdown` marker means the broker crashed: segments from the
 * recovery point on are re-scanned, cut at the first invalid batch, and their indexes rebuilt). `close()`
 * flushes, checkpoints and writes the marker.
 *
 * Concurrency: owned by one Partition; every method is synchronous and runs to completion on the event
 * loop, so two requests can never interleave inside an append or a roll. That is what Kafka's
 * `UnifiedLog.lock` buys; synchronous fs calls give it for free and keep the code linear. Appends and
 * index entries are small writes into the page cache (Kafka's append path also copies into the page
 * cache, F11), fsync happens only per the flush policy, and a read is bounded by the fetch's max bytes.
 * Must not be used from worker threads or by two processes on the same directory.
 */
import { ensureDirectory } from '../utils/ensure-directory.js';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { batchesIn, NO_TIMESTAMP, type RecordBatch, validateRecordSet } from '../record/record-batch.js';
import { decodeRecords } from '../record/record-decoder.js';
import { OffsetOutOfRangeError } from '../record/storage-errors.js';
import { type LogConfig, resolveLogConfig } from './log-config.js';
import {
  CLEAN_SHUTDOWN_FILE,
  HIGH_WATERMARK_CHECKPOINT_FILE,
  LOG_START_OFFSET_CHECKPOINT_FILE,
  RECOVERY_POINT_CHECKPOINT_FILE,
} from './log-file-names.js';
import { LeaderEpochFileCache } from './leader-epoch-file-cache.js';
import { LocalLog } from './local-log.js';
import { LogLoader, type LoadedLogOffsets, type LogLoadInfo } from './log-loader.js';
import { LogSegment } from './log-segment.js';
import { LogSegments } from './log-segments.js';
import { OffsetCheckpointFile } from './offset-checkpoint-file.js';
import type { ReadBufferAllocator } from './read-buffer-pool.js';
import type { TimestampOffset } from './time-index.js';
import type { BatchMetadata } from './producer-state-entry.js';
import { ProducerStateManager, rebuildProducerState } from './producer-state-manager.js';

/** ListOffsets' special timestamps. */
export const ListOffsetsTimestamp = { LATEST: -1, EARLIEST: -2 } as const;

export interface UnifiedLogOptions {
  /** Milliseconds since the epoch; injectable so flush.ms, segment.ms and retention.ms are testable. */
  clock?: () => number;
}

export interface AppendOptions {
  /** The partition leader epoch stamped on every appended batch. */
  leaderEpoch: number;
  now?: number;
  /** Producer ids the broker handed out (InitProducerId); a batch with any other id is UNKNOWN_PRODUCER_ID. */
  isProducerIdIssued?: (producerId: bigint) => boolean;
}

export interface LogAppendInfo {
  baseOffset: bigint;
  lastOffset: bigint;
  /** Broker time of the append (ms). ProduceResponse reports it only for LogAppendTime topics, else -1. */
  appendTime: number;
  batchCount: number;
  recordCount: number;
  maxTimestamp: number;
  validBytes: number;
  logStartOffset: bigint;
  /** A retry of a batch already in the log: the offsets are the original append's and nothing was written. */
  duplicate?: boolean;
}

export interface ReadOptions {
  /** Return the first batch even if it exceeds maxBytes (default true, as for a Fetch's first partition). */
  minOneBatch?: boolean;
  /** Exclusive bound, usually the high watermark: batches whose last offset is >= it are not returned. */
  maxOffset?: bigint;
  /**
   * Where the stored bytes are read into: a `ReadBufferLease`'s allocator when the caller knows when the bytes
   * stop being referenced (a Fetch, once written to the socket); a fresh buffer when absent.
   */
  allocate?: ReadBufferAllocator;
}

export interface LogReadInfo {
  /** Concatenated whole batches, exactly as stored; empty when nothing is readable yet. */
  records: Buffer;
  fetchOffset: bigint;
  highWatermark: bigint;
  logStartOffset: bigint;
  logEndOffset: bigint;
}

export interface SegmentInfo {
  baseOffset: bigint;
  fileName: string;
  sizeInBytes: number;
  offsetIndexEntries: number;
  timeIndexEntries: number;
  largestTimestamp: number;
  active: boolean;
}

export type DeletionReason = 'retention.ms' | 'retention.bytes' | 'log-start-offset';

export interface DeletedSegment {
  baseOffset: bigint;
  sizeInBytes: number;
  reason: DeletionReason;
}

/** The path from an offset to its batch: partition → segment → index entry → scan → batch. */
export interface LookupTrace {
  partition: string;
  offset: bigint;
  /**
   * `floorBaseOffset` is what the binary search returned; `baseOffset` the segment that held the offset (the next
   * one when the floor segment has no batch at or above it, as Kafka's LocalLog.read moves on).
   */
  segment: {
    baseOffset: bigint;
    floorBaseOffset: bigint | undefined;
    logFile: string;
    segmentCount: number;
    probes: bigint[];
  };
  indexEntry: {
    indexFile: string;
    entries: number;
    slot: number;
    relativeOffset: number;
    offset: bigint;
    position: number;
  };
  scan: { fromPosition: number; headersRead: number; bytesSkipped: number };
  batch: { baseOffset: bigint; lastOffset: bigint; position: number; sizeInBytes: number; recordCount: number };
  steps: string[];
}

/** The partition's checkpoint files (Kafka keeps these per log dir; kq per partition directory). */
interface LogCheckpoints {
  recoveryPoint: OffsetCheckpointFile;
  logStartOffset: OffsetCheckpointFile;
  highWatermark: OffsetCheckpointFile;
}

export class LogClosedError extends Error {
  override readonly name = 'LogClosedError';
}

export class UnexpectedAppendOffsetError extends Error {
  override readonly name = 'UnexpectedAppendOffsetError';
}

export class UnifiedLog {
  private _logStartOffset: bigint;
  private _highWatermark = 0n;
  private closed = false;
  private readonly _loadInfo: LogLoadInfo;
  /** Idempotent producers' sequences and epochs, with their `.snapshot` files in this directory. */
  readonly producerStateManager: ProducerStateManager;
  /**
   * Which leader epoch began at which offset (`leader-epoch-checkpoint`), kept in step with every append and
   * truncation below; Partition answers OffsetsForLeaderEpoch from it.
   */
  readonly leaderEpochCache: LeaderEpochFileCache;

  private constructor(
    readonly dir: string,
    private _config: LogConfig,
    private readonly clock: () => number,
    /** The segment files and the offsets that are only about them (log end, recovery point, flushes). */
    private readonly localLog: LocalLog,
    private readonly checkpoints: LogCheckpoints,
    loaded: LoadedLogOffsets,
    leaderEpochCache: LeaderEpochFileCache,
    producerStateManager: ProducerStateManager,
  ) {
    this._loadInfo = loaded.loadInfo;
    this._logStartOffset = loaded.logStartOffset;
    this._highWatermark = clamp(
      checkpoints.highWatermark.read() ?? this._logStartOffset,
      this._logStartOffset,
      this.logEndOffset,
    );
    // LogLoader reads a missing recovery point or log start as 0: a new log need not write either. (The high
    // watermark is always written: demos read it from disk to show what a broker trusts after a restart. A missing
    // one reads as the log start offset above, so writing that value needs no fsync.)
    checkpoints.recoveryPoint.assumeWhenMissing(0n);
    checkpoints.logStartOffset.assumeWhenMissing(0n);
    checkpoints.highWatermark.writeUnsyncedWhenMissing(this._highWatermark);
    this.writeCheckpoints();
    this.leaderEpochCache = leaderEpochCache;
    // Recovery may have cut batches whose epochs the checkpoint still names (Kafka's LogLoader does the same).
    // Every open repeats these two cuts from what is on disk, so they reach the file with the next flush.
    this.leaderEpochCache.truncateFromEnd(this.logEndOffset, 'next-flush');
    this.leaderEpochCache.truncateFromStart(this._logStartOffset, 'next-flush');
    // The checkpoint is written at flushes only, so after a crash the epochs of the recovered (unflushed) tail
    // come from the batches themselves, as Kafka's segment recovery re-assigns them: during recovery's own pass
    // (streamedFrom), or here by reading the log again when recovery could not do it.
    const { cleanShutdown, recoveredFrom, streamedFrom } = loaded.loadInfo;
    if (!cleanShutdown && recoveredFrom !== null) {
      if (streamedFrom === null) {
        for (const batch of this.batchesBetween(recoveredFrom, this.logEndOffset))
          this.leaderEpochCache.assign(batch.partitionLeaderEpoch, batch.baseOffset);
      }
      this.leaderEpochCache.flush();
    }
    // After a streamed recovery its snapshot at the log end is the latest: nothing is replayed.
    this.producerStateManager = producerStateManager;
    this.loadProducerState(this.logEndOffset, cleanShutdown);
  }

  /** Loads the latest producer snapshot up to `lastOffset` and replays the batches after it (Kafka's LogLoader step). */
  private loadProducerState(lastOffset: bigint, reloadFromCleanShutdown: boolean): void {
    const bases = this.logSegments.values().map((s) => s.baseOffset);
    this.producerStateManager.removeStraySnapshots(bases);
    const source = {
      segmentBaseOffsets: bases,
      logStartOffset: this._logStartOffset,
      readBatches: (from: bigint, to: bigint) => this.batchesBetween(from, to),
    };
    rebuildProducerState(this.producerStateManager, source, lastOffset, reloadFromCleanShutdown, this.clock());
  }

  /** Stored batches holding offsets from `from` until `to`, read a few MiB at a time. */
  private *batchesBetween(from: bigint, to: bigint): Generator<RecordBatch> {
    for (let offset = from; offset < to;) {
      const start = offset;
      for (const batch of batchesIn(this.read(offset, 4 << 20).records)) {
        if (batch.baseOffset >= to) return;
        yield batch;
        offset = batch.nextOffset;
      }
      if (offset === start) return;
    }
  }

  /** The directory name Kafka uses for a partition's log. */
  static dirName(topic: string, partition: number): string {
    return `${topic}-${partition}`;
  }

  /** Opens (or creates) the log in `dir`; the LogLoader recovers it first if it was not closed cleanly. */
  static open(dir: string, config: Partial<LogConfig> = {}, options: UnifiedLogOptions = {}): UnifiedLog {
    ensureDirectory(dir);
    const resolved = resolveLogConfig(config);
    const clock = options.clock ?? Date.now;
    const checkpoints: LogCheckpoints = {
      recoveryPoint: new OffsetCheckpointFile(dir, RECOVERY_POINT_CHECKPOINT_FILE),
      logStartOffset: new OffsetCheckpointFile(dir, LOG_START_OFFSET_CHECKPOINT_FILE),
      highWatermark: new OffsetCheckpointFile(dir, HIGH_WATERMARK_CHECKPOINT_FILE),
    };
    const openedAt = clock(); // the last flush, as far as flush.ms is concerned
    const segments = new LogSegments();
    const leaderEpochCache = new LeaderEpochFileCache(dir);
    const producerStateManager = new ProducerStateManager(dir, basename(dir));
    const loaded = new LogLoader({
      dir,
      config: resolved,
      segments,
      recoveryPointCheckpoint: checkpoints.recoveryPoint,
      logStartOffsetCheckpoint: checkpoints.logStartOffset,
      clock,
      leaderEpochCache,
      producerStateManager,
    }).load();
    const localLog = new LocalLog(dir, resolved, segments, loaded.recoveryPoint, loaded.logEndOffset, clock, openedAt);
    return new UnifiedLog(dir, resolved, clock, localLog, checkpoints, loaded, leaderEpochCache, producerStateManager);
  }

  get name(): string {
    return basename(this.dir);
  }

  /** The settings this log runs with now (its topic's config, resolved). */
  get config(): LogConfig {
    return this._config;
  }

  /**
   * Applies a changed topic config (Kafka's `UnifiedLog.updateConfig`, called when AlterConfigs changes the topic):
   * the next append, roll, flush check and retention pass use it. Existing segments keep their files; a smaller
   * segment.bytes rolls at the next append that would cross it.
   * @throws InvalidLogConfigError when a value is out of range (nothing changes then).
   */
  updateConfig(config: Partial<LogConfig>): void {
    const resolved = resolveLogConfig(config);
    this._config = resolved;
    this.localLog.updateConfig(resolved);
  }
  get logStartOffset(): bigint {
    return this._logStartOffset;
  }
  get logEndOffset(): bigint {
    return this.localLog.logEndOffset;
  }
  get highWatermark(): bigint {
    return this._highWatermark;
  }
  get recoveryPoint(): bigint {
    return this.localLog.recoveryPoint;
  }
  get loadInfo(): LogLoadInfo {
    return this._loadInfo;
  }
  /** fsync passes so far: by flush.messages / flush.ms, explicit flush(), segment roll and close. */
  get flushCount(): number {
    return this.localLog.flushCount;
  }
  get lastFlushOffset(): bigint {
    return this.localLog.lastFlushOffset;
  }
  get lastFlushTime(): number {
    return this.localLog.lastFlushTime;
  }
  /** Offsets appended since the last fsync (Kafka: unflushedMessages). */
  get unflushedMessages(): bigint {
    return this.localLog.unflushedMessages;
  }
  get size(): number {
    return this.localLog.size;
  }

  /** The segments, oldest first, for introspection (demos, tests); the last one is active. */
  get segments(): SegmentInfo[] {
    const active = this.activeSegment;
    return this.logSegments.values().map((s) => ({
      baseOffset: s.baseOffset,
      fileName: basename(s.logFile),
      sizeInBytes: s.size,
      offsetIndexEntries: s.offsetIndex.entries,
      timeIndexEntries: s.timeIndex.entries,
      largestTimestamp: s.largestTimestamp,
      active: s === active,
    }));
  }

  private get logSegments(): LogSegments {
    return this.localLog.segments;
  }

  private get activeSegment(): LogSegment {
    return this.localLog.activeSegment;
  }

  // ---------------------------------------------------------------- append

  /**
   * Appends a producer's record set (one or more batches). Validates all batches before writing any
   * (throws InvalidRecordBatchError: CORRUPT_MESSAGE, MESSAGE_TOO_LARGE or INVALID_RECORD), then assigns
   * offsets from the log end offset by rewriting each batch's header in place — `records` is modified.
   */
  append(records: Buffer, options: AppendOptions): LogAppendInfo {
    this.ensureOpen();
    const check = validateRecordSet(records, { maxMessageBytes: this.config.maxMessageBytes, fromProducer: true });
    if ('error' in check) throw check.error;
    const now = options.now ?? this.clock();
    const batches = check.batches;
    const offsetCount = batches.reduce((sum, b) => sum + BigInt(b.lastOffsetDelta) + 1n, 0n);
    const baseOffset = this.logEndOffset;
    const lastOffset = baseOffset + offsetCount - 1n;
    const maxTimestamp = batches.reduce((max, b) => Math.max(max, b.maxTimestamp), NO_TIMESTAMP);
    if (batches.length > 0) {
      let next = baseOffset;
      for (const batch of batches) {
        batch.setBaseOffset(next);
        batch.setPartitionLeaderEpoch(options.leaderEpoch);
        next = batch.nextOffset;
      }
      // Idempotent producers: a retry of an appended batch is answered with its original offsets, unappended.
      const producers = this.producerStateManager.analyzeAndValidate(batches, 'CLIENT', options.isProducerIdIssued);
      if (producers.duplicate) return this.duplicateAppendInfo(producers.duplicate, now);
      this.maybeRoll(records.length, lastOffset, maxTimestamp, now);
      this.localLog.append(records, lastOffset, batches);
      this.leaderEpochCache.assign(options.leaderEpoch, baseOffset);
      this.producerStateManager.commitAppend(producers.updates, lastOffset + 1n);
      this.maybeFlushAfterAppend(now);
    }
    return {
      baseOffset,
      lastOffset,
      appendTime: now,
      batchCount: batches.length,
      recordCount: batches.reduce((sum, b) => sum + b.recordCount, 0),
      maxTimestamp,
      validBytes: records.length,
      logStartOffset: this._logStartOffset,
    };
  }

  private duplicateAppendInfo(duplicate: BatchMetadata, now: number): LogAppendInfo {
    return {
      baseOffset: duplicate.firstOffset,
      lastOffset: duplicate.lastOffset,
      appendTime: now,
      batchCount: 0,
      recordCount: 0,
      maxTimestamp: duplicate.timestamp,
      validBytes: 0,
      logStartOffset: this._logStartOffset,
      duplicate: true,
    };
  }

  /**
   * Appends batches copied from the leader, offsets and leader epochs already assigned (replication).
   * The first batch must start at the log end offset and offsets must be contiguous.
   */
  appendAsFollower(records: Buffer, now = this.clock()): LogAppendInfo {
    this.ensureOpen();
    const check = validateRecordSet(records, {
      maxMessageBytes: Math.max(this.config.maxMessageBytes, records.length),
    });
    if ('error' in check) throw check.error;
    let expected = this.logEndOffset;
    for (const batch of check.batches) {
      if (batch.baseOffset !== expected) {
        throw new UnexpectedAppendOffsetError(
          `${this.name}: replicated batch starts at offset ${batch.baseOffset}, expected ${expected} (the log end offset). ` +
            `Truncate the follower to the leader's epoch end offset first.`,
        );
      }
      expected = batch.nextOffset;
    }
    const baseOffset = this.logEndOffset;
    const maxTimestamp = check.batches.reduce((max, b) => Math.max(max, b.maxTimestamp), NO_TIMESTAMP);
    if (check.batches.length > 0) {
      const producers = this.producerStateManager.analyzeAndValidate(check.batches, 'REPLICATION');
      this.maybeRoll(records.length, expected - 1n, maxTimestamp, now);
      this.localLog.append(records, expected - 1n, check.batches);
      for (const batch of check.batches) this.leaderEpochCache.assign(batch.partitionLeaderEpoch, batch.baseOffset);
      if (producers.duplicate === null) this.producerStateManager.commitAppend(producers.updates, expected);
      this.maybeFlushAfterAppend(now);
    }
    return {
      baseOffset,
      lastOffset: expected - 1n,
      appendTime: now,
      batchCount: check.batches.length,
      recordCount: check.batches.reduce((sum, b) => sum + b.recordCount, 0),
      maxTimestamp,
      validBytes: records.length,
      logStartOffset: this._logStartOffset,
    };
  }

  /** Rolls when the active segment would exceed segment.bytes, has spanned segment.ms, or offsets overflow it. */
  private maybeRoll(incomingBytes: number, lastOffset: bigint, maxTimestamp: number, now: number): void {
    const active = this.activeSegment;
    if (active.size === 0) return;
    if (
      active.size + incomingBytes > this.config.segmentBytes ||
      active.timeWaitedForRoll(now, maxTimestamp) > this.config.segmentMs ||
      !active.canConvertToRelativeOffset(lastOffset)
    ) {
      this.roll(now);
    }
  }

  /**
   * Starts a new active segment at the log end offset. Like Kafka, the old segment is flushed as it
   * retires, so the recovery point moves to the new segment's base and a crash re-scans only the tail.
   */
  roll(now = this.clock()): LogSegment {
    this.ensureOpen();
    const { segment, rolled } = this.localLog.roll(now);
    if (rolled) {
      // A snapshot at every segment base: recovery of a segment starts from its snapshot and replays just it.
      this.producerStateManager.updateMapEndOffset(segment.baseOffset);
      this.producerStateManager.takeSnapshot();
      this.flushUpTo(segment.baseOffset, now);
    }
    return segment;
  }

  // ---------------------------------------------------------------- flush

  private maybeFlushAfterAppend(now: number): void {
    if (this.unflushedMessages >= BigInt(this.config.flushIntervalMessages)) this.flushUpTo(this.logEndOffset, now);
    else this.maybeFlush(now);
  }

  /** The flush.ms half of the policy; a scheduler may call this periodically, as Kafka's LogManager does. */
  maybeFlush(now = this.clock()): boolean {
    if (this.unflushedMessages > 0n && now - this.lastFlushTime >= this.config.flushIntervalMs) {
      this.flushUpTo(this.logEndOffset, now);
      return true;
    }
    return false;
  }

  /** fsync everything up to the log end offset and checkpoint it as the recovery point. */
  flush(): void {
    this.ensureOpen();
    this.flushUpTo(this.logEndOffset, this.clock());
  }

  /** fsyncs below `offset` (LocalLog) and checkpoints the new recovery point. */
  private flushUpTo(offset: bigint, now: number): void {
    if (this.localLog.flush(offset, now)) {
      this.writeCheckpoints();
      this.leaderEpochCache.flush();
    }
  }

  // ---------------------------------------------------------------- read

  /**
   * Whole stored batches from the one holding `fetchOffset`, up to `maxBytes` (at least one batch when
   * minOneBatch). Throws OffsetOutOfRangeError below the log start offset or above the log end offset.
   * Reads from one segment at a time, like Kafka; the next fetch continues in the next segment.
   */
  read(fetchOffset: bigint, maxBytes: number, options: ReadOptions = {}): LogReadInfo {
    this.ensureOpen();
    const logEndOffset = this.logEndOffset;
    if (fetchOffset < this._logStartOffset || fetchOffset > logEndOffset) {
      throw new OffsetOutOfRangeError(fetchOffset, this._logStartOffset, logEndOffset, this.name);
    }
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError(`maxBytes must be a non-negative integer, got ${maxBytes}`);
    }
    const upper =
      options.maxOffset !== undefined && options.maxOffset < logEndOffset ? options.maxOffset : logEndOffset;
    const result: LogReadInfo = {
      records: Buffer.alloc(0),
      fetchOffset,
      highWatermark: this._highWatermark,
      logStartOffset: this._logStartOffset,
      logEndOffset,
    };
    if (fetchOffset >= upper) return result;
    const records = this.localLog.read(fetchOffset, maxBytes, upper, options.minOneBatch ?? true, options.allocate);
    return records ? { ...result, records } : result;
  }

  /** Sets the high watermark, clamped to [logStartOffset, logEndOffset]; on one broker callers pass the LEO. */
  updateHighWatermark(offset: bigint): bigint {
    this._highWatermark = clamp(offset, this._logStartOffset, this.logEndOffset);
    return this._highWatermark;
  }

  /**
   * ListOffsets: the first offset whose record timestamp is >= `timestamp`, or LATEST (-1, the log end
   * offset; callers serving consumers cap it at the high watermark) / EARLIEST (-2, the log start offset).
   * Null when every record is older.
   */
  fetchOffsetByTimestamp(timestamp: number): TimestampOffset | null {
    this.ensureOpen();
    if (timestamp === ListOffsetsTimestamp.EARLIEST) return { timestamp: NO_TIMESTAMP, offset: this._logStartOffset };
    if (timestamp === ListOffsetsTimestamp.LATEST) return { timestamp: NO_TIMESTAMP, offset: this.logEndOffset };
    for (const segment of this.logSegments.values()) {
      if (segment.largestTimestamp < timestamp) continue;
      const found = segment.findOffsetByTimestamp(timestamp, this._logStartOffset);
      if (found) return found;
    }
    return null;
  }

  /**
   * ListOffsets MAX_TIMESTAMP (-3, KIP-734): the first record with the largest timestamp in the log, or null
   * when no record has one. Each segment remembers its largest batch timestamp and that batch; the record itself
   * is found in the batch when it is uncompressed, else the batch's last offset stands for it.
   */
  fetchOffsetOfMaxTimestamp(): TimestampOffset | null {
    this.ensureOpen();
    let best: TimestampOffset | null = null;
    for (const segment of this.logSegments.values()) {
      const { timestamp, offset } = segment.maxTimestamp;
      if (timestamp >= 0 && offset >= this._logStartOffset && (best === null || timestamp > best.timestamp))
        best = { timestamp, offset };
    }
    if (best === null) return null;
    for (const batch of batchesIn(this.read(best.offset, 1).records)) {
      if (batch.compressionCodec !== 0 || best.offset > batch.lastOffset) continue;
      const record = decodeRecords(batch).find((r) => r.timestamp === best.timestamp);
      if (record) return { timestamp: record.timestamp, offset: record.offset };
    }
    return best;
  }

  /** The steps a read of `offset` takes: partition → segment → index entry → forward scan → batch. */
  explainLookup(offset: bigint): LookupTrace {
    this.ensureOpen();
    if (offset < this._logStartOffset || offset >= this.logEndOffset) {
      throw new OffsetOutOfRangeError(offset, this._logStartOffset, this.logEndOffset, this.name);
    }
    const { segment: floor, probes } = this.logSegments.floorSegment(offset);
    let segment = floor;
    let mapping = segment?.translateOffset(offset) ?? null;
    while (segment && !mapping) {
      segment = this.logSegments.next(segment);
      mapping = segment?.translateOffset(offset) ?? null;
    }
    if (!segment || !mapping)
      throw new Error(`${this.name}: offset ${offset} is below the log end offset but no batch holds it`);
    const entry = mapping.indexEntry;
    const relativeOffset = Number(entry.offset - segment.baseOffset);
    const logName = basename(segment.logFile);
    const indexName = basename(segment.offsetIndex.file);
    const fromPosition = mapping.position - mapping.bytesSkipped;
    return {
      partition: this.name,
      offset,
      segment: {
        baseOffset: segment.baseOffset,
        floorBaseOffset: floor?.baseOffset,
        logFile: logName,
        segmentCount: this.logSegments.count,
        probes,
      },
      indexEntry: {
        indexFile: indexName,
        entries: segment.offsetIndex.entries,
        slot: entry.slot,
        relativeOffset,
        offset: entry.offset,
        position: entry.position,
      },
      scan: { fromPosition, headersRead: mapping.headersRead, bytesSkipped: mapping.bytesSkipped },
      batch: {
        baseOffset: mapping.baseOffset,
        lastOffset: mapping.lastOffset,
        position: mapping.position,
        sizeInBytes: mapping.sizeInBytes,
        recordCount: mapping.recordCount,
      },
      steps: [
        `partition ${this.name}: offset ${offset} is in [${this._logStartOffset}, ${this.logEndOffset})`,
        `segment: binary search over ${this.logSegments.count} base offsets (compared ${probes.join(', ')}) → ${logName}`,
        entry.slot < 0
          ? `index: ${indexName} (${segment.offsetIndex.entries} entries) has no entry <= ${offset} → start at byte 0`
          : `index: ${indexName} slot ${entry.slot} of ${segment.offsetIndex.entries}: relative offset ${relativeOffset} ` +
            `(offset ${entry.offset}) → byte ${entry.position}`,
        `scan: read ${mapping.headersRead} batch header(s) from byte ${fromPosition}, skipping ${mapping.bytesSkipped} bytes`,
        `batch: offsets ${mapping.baseOffset}..${mapping.lastOffset} (${mapping.recordCount} records, ` +
          `${mapping.sizeInBytes} bytes) at byte ${mapping.position} of ${logName}`,
      ],
    };
  }

  // ---------------------------------------------------------------- retention and truncation

  /**
   * Deletes whole old segments, oldest first, never the active one and never past the high watermark:
   * those entirely below the log start offset, then by retention.bytes, then by retention.ms. Moves the
   * log start offset to the first remaining segment.
   */
  deleteOldSegments(now = this.clock()): DeletedSegment[] {
    this.ensureOpen();
    this.producerStateManager.removeExpiredProducers(now);
    const deleted: DeletedSegment[] = [];
    deleted.push(
      ...this.deleteSegmentsWhile('log-start-offset', (_s, next) => next.baseOffset <= this._logStartOffset),
    );
    if (this.config.retentionBytes >= 0) {
      let excess = this.logSegments.sizeInBytes - this.config.retentionBytes;
      deleted.push(
        ...this.deleteSegmentsWhile('retention.bytes', (s) => {
          if (excess - s.size < 0) return false;
          excess -= s.size;
          return true;
        }),
      );
    }
    if (this.config.retentionMs >= 0) {
      deleted.push(
        ...this.deleteSegmentsWhile('retention.ms', (s) => now - s.largestTimestamp > this.config.retentionMs),
      );
    }
    return deleted;
  }

  private deleteSegmentsWhile(
    reason: DeletionReason,
    shouldDelete: (segment: LogSegment, next: LogSegment) => boolean,
  ): DeletedSegment[] {
    const deleted: DeletedSegment[] = [];
    for (let segment = this.logSegments.first; segment; segment = this.logSegments.first) {
      const next = this.logSegments.next(segment);
      // Never the active segment, and never data consumers may not have seen yet.
      if (!next || next.baseOffset > this._highWatermark || !shouldDelete(segment, next)) break;
      deleted.push({ baseOffset: segment.baseOffset, sizeInBytes: segment.size, reason });
      this.localLog.removeAndDeleteSegment(segment);
      this.producerStateManager.removeAndDeleteSnapshot(segment.baseOffset);
    }
    if (deleted.length > 0) {
      const first = this.logSegments.first as LogSegment;
      if (first.baseOffset > this._logStartOffset) this._logStartOffset = first.baseOffset;
      this.producerStateManager.onLogStartOffsetIncremented(this._logStartOffset);
      this.leaderEpochCache.truncateFromStart(this._logStartOffset);
      this.localLog.raiseRecoveryPointTo(this._logStartOffset);
      this.writeCheckpoints();
    }
    return deleted;
  }

  /**
   * DeleteRecords: moves the log start offset up to `offset` (checkpointed, so it survives restarts) and
   * deletes segments that fall entirely below it. Returns the new log start offset.
   */
  deleteRecordsBefore(offset: bigint): bigint {
    this.ensureOpen();
    if (offset > this._highWatermark) {
      throw new OffsetOutOfRangeError(
        offset,
        this._logStartOffset,
        this.logEndOffset,
        this.name,
        `Cannot delete records of ${this.name} before offset ${offset}: it is above the high watermark ` +
          `${this._highWatermark}. Pass an offset up to the high watermark (DeleteRecords offset -1 means "the high watermark").`,
      );
    }
    if (offset > this._logStartOffset) {
      this._logStartOffset = offset;
      this.leaderEpochCache.truncateFromStart(offset);
      this.writeCheckpoints();
      this.deleteSegmentsWhile('log-start-offset', (_s, next) => next.baseOffset <= this._logStartOffset);
    }
    return this._logStartOffset;
  }

  /**
   * Removes everything from the batch holding `offset` onwards (replication: a follower drops what the
   * new leader does not have). Whole batches only, so the log end offset may end up below `offset`.
   */
  truncateTo(offset: bigint): boolean {
    this.ensureOpen();
    if (offset < 0n) throw new RangeError(`cannot truncate ${this.name} to negative offset ${offset}`);
    if (offset >= this.logEndOffset) return false;
    const first = this.logSegments.first as LogSegment;
    if (offset < first.baseOffset) {
      this.truncateFullyAndStartAt(offset);
      return true;
    }
    this.localLog.truncateTo(offset);
    this.leaderEpochCache.truncateFromEnd(this.logEndOffset);
    this.clampOffsetsToLogEnd();
    this.loadProducerState(this.logEndOffset, false);
    return true;
  }

  /** Deletes every segment and restarts the log empty at `offset` (a follower far behind the leader). */
  truncateFullyAndStartAt(offset: bigint): void {
    this.localLog.truncateFullyAndStartAt(offset);
    this._logStartOffset = offset;
    this.producerStateManager.truncateFullyAndStartAt(offset);
    this.leaderEpochCache.clear();
    this.clampOffsetsToLogEnd();
  }

  /** After a truncation (LocalLog clamps its own offsets): the log start and high watermark follow the end. */
  private clampOffsetsToLogEnd(): void {
    const logEndOffset = this.logEndOffset;
    if (this._logStartOffset > logEndOffset) this._logStartOffset = logEndOffset;
    this._highWatermark = clamp(this._highWatermark, this._logStartOffset, logEndOffset);
    this.writeCheckpoints();
  }

  // ---------------------------------------------------------------- lifecycle

  /** Flushes, checkpoints, closes every segment and writes the clean-shutdown marker. */
  close(): void {
    if (this.closed) return;
    this.flushUpTo(this.logEndOffset, this.clock());
    this.writeCheckpoints();
    this.leaderEpochCache.flush();
    // At the log end offset, so the next start loads it and scans nothing.
    this.producerStateManager.takeSnapshot();
    this.localLog.close();
    writeFileSync(join(this.dir, CLEAN_SHUTDOWN_FILE), '');
    this.closed = true;
  }

  /** Closes the segments and removes the whole partition directory (DeleteTopics). */
  delete(): void {
    this.closed = true;
    this.localLog.delete();
  }

  private writeCheckpoints(): void {
    this.checkpoints.recoveryPoint.write(this.recoveryPoint);
    this.checkpoints.logStartOffset.write(this._logStartOffset);
    this.checkpoints.highWatermark.write(this._highWatermark);
  }

  private ensureOpen(): void {
    if (this.closed) throw new LogClosedError(`log ${this.dir} is closed; open it again with UnifiedLog.open`);
  }
}

function clamp(value: bigint, min: bigint, max: bigint): bigint {
  return value < min ? min : value > max ? max : value;
}
