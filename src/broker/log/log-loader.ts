/**
 * LogLoader (Kafka's name): brings one partition directory back to a consistent log when it is opened, before
 * UnifiedLog serves anything. It removes leftovers of interrupted operations (`.tmp` checkpoints, indexes whose
 * `.log` is gone), opens a LogSegment per `.log` file, and — after a crash (no `.kafka_cleanshutdown` marker) or
 * for segments whose indexes are missing or fail their sanity check — re-scans segments batch by batch, cutting at
 * the first invalid batch and dropping the segments after it, so the log stays contiguous. It then says where the
 * log starts and ends.
 *
 * One pass after a crash, as in Kafka: while the segments from the recovery point on are re-read (and their CRCs
 * checked), each batch kept also updates the leader-epoch cache and the producer state, and a producer snapshot is
 * taken at the end of each recovered segment, so UnifiedLog reads none of those bytes again (it used to, twice: once
 * for the epochs, once to replay producer state). The rare crash that also finds a broken index below the
 * recovery point is recovered without this (`streamedFrom` null) and UnifiedLog re-derives both from the log.
 *
 * Concurrency: used once, synchronously, inside `UnifiedLog.open`; it fills the LogSegments it is given and keeps
 * nothing afterwards. Must not run on a directory another log or process has open.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LogConfig } from './log-config.js';
import { CLEAN_SHUTDOWN_FILE, offsetFromFileName, offsetIndexFile, timeIndexFile } from './log-file-names.js';
import { LogSegment } from './log-segment.js';
import type { LogSegments } from './log-segments.js';
import type { OffsetCheckpointFile } from './offset-checkpoint-file.js';
import type { RecordBatch } from '../record/record-batch.js';
import type { LeaderEpochFileCache } from './leader-epoch-file-cache.js';
import { rebuildProducerState, type ProducerStateManager } from './producer-state-manager.js';

/** How the log came up: observable so tests and demos can show recovery (or its absence). */
export interface LogLoadInfo {
  cleanShutdown: boolean;
  segmentsLoaded: number;
  /** Segments re-scanned batch by batch (all from the recovery point after a crash). */
  segmentsRecovered: number;
  /** Invalid bytes cut from the end of recovered segments. */
  bytesTruncated: number;
  /** Segments after a damaged one, dropped because the log must stay contiguous. */
  segmentsDeleted: number;
  recoveredFrom: bigint | null;
  /**
   * From which offset to the log end the leader-epoch cache and producer state were updated during recovery
   * itself (null: not at all, the owner derives them by reading the log).
   */
  streamedFrom: bigint | null;
}

/** Kafka's `LoadedLogOffsets`: where the loaded log starts and ends, and how it got there. */
export interface LoadedLogOffsets {
  logStartOffset: bigint;
  /** Everything loaded is on disk (recovered segments are fsynced), so this is the log end offset. */
  recoveryPoint: bigint;
  logEndOffset: bigint;
  loadInfo: LogLoadInfo;
}

export interface LogLoaderOptions {
  dir: string;
  config: LogConfig;
  /** Empty; the loader adds the segments it opens. */
  segments: LogSegments;
  recoveryPointCheckpoint: OffsetCheckpointFile;
  logStartOffsetCheckpoint: OffsetCheckpointFile;
  clock: () => number;
  /** Updated from the recovered batches after a crash (see the class comment); absent: recovery only. */
  leaderEpochCache?: LeaderEpochFileCache;
  producerStateManager?: ProducerStateManager;
}

export class LogLoader {
  constructor(private readonly options: LogLoaderOptions) {}

  load(): LoadedLogOffsets {
    const { dir, config, segments, clock } = this.options;
    const marker = join(dir, CLEAN_SHUTDOWN_FILE);
    const cleanShutdown = existsSync(marker);
    // Removed while open: if the process dies from here on, the next open knows to recover.
    if (cleanShutdown) rmSync(marker);

    const now = clock();
    const needsRebuild = this.openSegments(now);
    const checkpointedStart = this.options.logStartOffsetCheckpoint.read() ?? 0n;
    // No segment on disk: a new log (or one whose every segment was deleted). Its one segment is created empty
    // here, so there is nothing a crash could have torn: like Kafka's getOrCreateLog for a new log, it is not
    // recovered. Recovering it would only fsync three empty files, which was 3 of the 5 fsyncs per partition
    // of a CreateTopics (9 s of fsync wall time for 1,000 partitions at load 14).
    const created = segments.count === 0;
    if (created) segments.add(LogSegment.open(dir, checkpointedStart, config.indexIntervalBytes, now));

    // After a crash, everything from the segment holding the recovery point may hold a torn write.
    const recoveryPoint = this.options.recoveryPointCheckpoint.read() ?? 0n;
    const tail = cleanShutdown || created ? [] : segments.from(recoveryPoint);
    const toRecover = unique([...needsRebuild, ...tail]).sort(byBaseOffset);
    // Streamed only when what is recovered is exactly the tail from the recovery point (the common crash).
    const stream = tail.length > 0 && toRecover[0] === tail[0] ? this.streamTo(checkpointedStart) : undefined;
    const info = this.recoverSegments(toRecover, stream);
    const loadInfo = { cleanShutdown, segmentsLoaded: segments.count + info.segmentsDeleted, ...info };

    let logEndOffset = activeSegment(segments).readNextOffset();
    const first = segments.first as LogSegment;
    const logStartOffset = checkpointedStart > first.baseOffset ? checkpointedStart : first.baseOffset;
    if (logStartOffset > logEndOffset) {
      // DeleteRecords moved the start past everything left on disk: start over, empty, at the checkpointed start.
      for (const segment of [...segments.values()]) {
        segments.remove(segment);
        segment.delete();
      }
      segments.add(LogSegment.open(dir, logStartOffset, config.indexIntervalBytes, clock()));
      logEndOffset = logStartOffset;
    }
    return { logStartOffset, recoveryPoint: logEndOffset, logEndOffset, loadInfo };
  }

  /**
   * Kafka's LogLoader.recoverSegment: before a segment, producer state is brought up to its base offset (from the
   * latest snapshot below it, reading only what lies between); each kept batch then assigns its leader epoch and
   * updates its producer's state; after it, a producer snapshot is taken at its end. Undefined when the loader was
   * given no epoch cache or producer state to keep.
   */
  private streamTo(logStartOffset: bigint): RecoveryStream | undefined {
    const { leaderEpochCache, producerStateManager, segments, clock } = this.options;
    if (!leaderEpochCache || !producerStateManager) return undefined;
    producerStateManager.removeStraySnapshots(segments.values().map((s) => s.baseOffset));
    return {
      beforeSegment: (segment) => {
        const source = {
          segmentBaseOffsets: segments.values().map((s) => s.baseOffset),
          logStartOffset,
          readBatches: (from: bigint, to: bigint) => segments.batchesBetween(from, to),
        };
        rebuildProducerState(producerStateManager, source, segment.baseOffset, false, clock());
      },
      onBatch: (batch) => {
        leaderEpochCache.assign(batch.partitionLeaderEpoch, batch.baseOffset);
        if (!batch.hasProducerId) return;
        const replayed = producerStateManager.analyzeAndValidate([batch], 'REPLICATION');
        if (replayed.duplicate === null) producerStateManager.commitAppend(replayed.updates, batch.nextOffset);
      },
      afterSegment: (segment) => {
        producerStateManager.updateMapEndOffset(segment.readNextOffset());
        producerStateManager.takeSnapshot();
      },
    };
  }

  /**
   * Opens a LogSegment per .log file after removing leftovers (temp checkpoint files, indexes whose .log
   * is gone). Returns the segments whose index files are missing or fail their sanity check.
   */
  private openSegments(now: number): LogSegment[] {
    const { dir, config, segments } = this.options;
    const files = readdirSync(dir);
    const logBases = new Set<bigint>();
    for (const file of files) {
      const parsed = offsetFromFileName(file);
      if (parsed?.kind === 'log') logBases.add(parsed.baseOffset);
      if (file.endsWith('.tmp')) rmSync(join(dir, file));
    }
    for (const file of files) {
      const parsed = offsetFromFileName(file);
      // An index without its .log is a leftover of an interrupted delete; it indexes nothing.
      if (parsed && parsed.kind !== 'log' && !logBases.has(parsed.baseOffset)) rmSync(join(dir, file));
    }
    const needsRebuild: LogSegment[] = [];
    for (const baseOffset of logBases) {
      const indexesMissing =
        !existsSync(offsetIndexFile(dir, baseOffset)) || !existsSync(timeIndexFile(dir, baseOffset));
      const segment = LogSegment.open(dir, baseOffset, config.indexIntervalBytes, now);
      segments.add(segment);
      if (indexesMissing || segment.needsRecovery()) needsRebuild.push(segment);
    }
    return needsRebuild;
  }

  /**
   * Re-scans `toRecover` (oldest first). The first one that had to be cut ends recovery: the segments
   * after it are unreachable and deleted (Kafka: LogLoader.recoverLog). Recovered data is fsynced, so
   * the recovery point can move to the new log end offset.
   */
  private recoverSegments(
    toRecover: LogSegment[],
    stream: RecoveryStream | undefined,
  ): Omit<LogLoadInfo, 'cleanShutdown' | 'segmentsLoaded'> {
    const { segments } = this.options;
    const info = {
      segmentsRecovered: 0,
      bytesTruncated: 0,
      segmentsDeleted: 0,
      recoveredFrom: toRecover[0]?.baseOffset ?? null,
      streamedFrom: stream && toRecover[0] ? toRecover[0].baseOffset : null,
    };
    for (const segment of toRecover) {
      stream?.beforeSegment(segment);
      const truncated = segment.recover(stream?.onBatch);
      segment.flush();
      stream?.afterSegment(segment);
      info.segmentsRecovered++;
      info.bytesTruncated += truncated;
      if (truncated > 0) {
        for (let next = segments.next(segment); next; next = segments.next(segment)) {
          segments.remove(next);
          next.delete();
          info.segmentsDeleted++;
        }
        break;
      }
    }
    return info;
  }
}

/** What recovery does with each segment and batch besides checking them (see `LogLoader.streamTo`). */
interface RecoveryStream {
  readonly beforeSegment: (segment: LogSegment) => void;
  readonly onBatch: (batch: RecordBatch) => void;
  readonly afterSegment: (segment: LogSegment) => void;
}

function activeSegment(segments: LogSegments): LogSegment {
  const active = segments.last;
  if (!active) throw new Error('a loaded log has at least one segment');
  return active;
}

function byBaseOffset(a: LogSegment, b: LogSegment): number {
  return a.baseOffset < b.baseOffset ? -1 : a.baseOffset > b.baseOffset ? 1 : 0;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
