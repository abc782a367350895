import type { RecordBatch } from '../record/record-batch.js';
import { ProducerStateError } from '../record/storage-errors.js';
import { type AppendOrigin, ProducerAppendInfo } from './producer-append-info.js';
import {
  CorruptSnapshotError,
  deleteSnapshotFile,
  listSnapshotFiles,
  producerSnapshotFile,
  readSnapshot,
  writeSnapshot,
} from './producer-snapshot-file.js';
import { type BatchMetadata, ProducerStateEntry } from './producer-state-entry.js';

export interface ProducerStateManagerConfig {
  /** producer.id.expiration.ms: a producer idle this long is forgotten (Kafka's default: one day). */
  producerIdExpirationMs: number;
}

export const DEFAULT_PRODUCER_STATE_MANAGER_CONFIG: ProducerStateManagerConfig = {
  producerIdExpirationMs: 86_400_000,
};

/** What the checks of one record set decided: a retry of an appended batch, or the updates to apply after the append. */
export type ProducerStateAnalysis =
  { readonly duplicate: BatchMetadata } | { readonly duplicate: null; readonly updates: readonly ProducerAppendInfo[] };

/**
 * The idempotent producers of one partition (Kafka's `ProducerStateManager`): producer id → ProducerStateEntry
 * (epoch + the last five batches' sequences and offsets), and the `.snapshot` files that let a restart rebuild
 * that map without reading the whole log.
 *
 *   mapEndOffset   the log offset the map reflects (everything below it has been applied)
 *   snapshots      `<offset>.snapshot`: the map as it was at that offset; taken at every segment roll (at the
 *                  new segment's base offset) and at close (at the log end offset); deleted with their segment
 *
 * On load, the latest snapshot at or below the log end offset is read and the batches after it are replayed
 * (`rebuildProducerState`), so a batch retried after a restart — clean or SIGKILL — is still recognised.
 *
 * Owned by one UnifiedLog and touched only inside its synchronous methods on the event-loop thread (Kafka guards
 * it with the log's lock). Transactions are out of scope: no ongoing-transaction tracking, no last stable offset.
 */
export class ProducerStateManager {
  private readonly producers = new Map<bigint, ProducerStateEntry>();
  private snapshots: Map<bigint, string>;
  private lastMapOffset = 0n;
  private lastSnapOffset = 0n;

  constructor(
    readonly dir: string,
    /** `<topic>-<partition>`, for messages. */
    readonly partition: string,
    readonly config: ProducerStateManagerConfig = DEFAULT_PRODUCER_STATE_MANAGER_CONFIG,
  ) {
    this.snapshots = listSnapshotFiles(dir);
  }

  get mapEndOffset(): bigint {
    return this.lastMapOffset;
  }

  get activeProducers(): ReadonlyMap<bigint, ProducerStateEntry> {
    return this.producers;
  }

  get isEmpty(): boolean {
    return this.producers.size === 0;
  }

  /** Offsets of the snapshot files, ascending. */
  get snapshotOffsets(): bigint[] {
    return [...this.snapshots.keys()].sort(compareBigInt);
  }

  get latestSnapshotOffset(): bigint | undefined {
    return this.snapshotOffsets.at(-1);
  }

  get oldestSnapshotOffset(): bigint | undefined {
    return this.snapshotOffsets[0];
  }

  lastEntry(producerId: bigint): ProducerStateEntry | undefined {
    return this.producers.get(producerId);
  }

  prepareUpdate(producerId: bigint, origin: AppendOrigin): ProducerAppendInfo {
    const current = this.producers.get(producerId) ?? ProducerStateEntry.empty(producerId);
    return new ProducerAppendInfo(this.partition, producerId, current, origin);
  }

  /**
   * Kafka's `UnifiedLog.analyzeAndValidateProducerState`, run on a record set whose offsets are assigned but which
   * is not yet appended. A client batch whose epoch and exact sequence range match one of its producer's last five
   * is a retry: its metadata comes back and nothing may be appended. Otherwise every batch is checked in order
   * (throws ProducerStateError) and the resulting updates are returned for `commitAppend`.
   * `isProducerIdIssued` (client appends only): a producer id the broker never handed out is UNKNOWN_PRODUCER_ID.
   */
  analyzeAndValidate(
    batches: Iterable<RecordBatch>,
    origin: AppendOrigin,
    isProducerIdIssued?: (producerId: bigint) => boolean,
  ): ProducerStateAnalysis {
    const updates = new Map<bigint, ProducerAppendInfo>();
    for (const batch of batches) {
      if (!batch.hasProducerId) continue;
      const producerId = batch.producerId;
      if (origin === 'CLIENT') {
        if (isProducerIdIssued && !isProducerIdIssued(producerId)) {
          throw new ProducerStateError(
            'UNKNOWN_PRODUCER_ID',
            `Producer id ${producerId} was never issued by this broker; get one with InitProducerId.`,
            producerId,
          );
        }
        const duplicate = this.producers.get(producerId)?.findDuplicateBatch(batch);
        if (duplicate) return { duplicate };
      }
      let info = updates.get(producerId);
      if (!info) {
        info = this.prepareUpdate(producerId, origin);
        updates.set(producerId, info);
      }
      info.append(batch);
    }
    return { duplicate: null, updates: [...updates.values()] };
  }

  /** Applies a validated append's updates once its batches are in the log; `nextOffset` is the new log end. */
  commitAppend(updates: readonly ProducerAppendInfo[], nextOffset: bigint): void {
    for (const info of updates) this.update(info);
    this.updateMapEndOffset(nextOffset);
  }

  update(appendInfo: ProducerAppendInfo): void {
    const next = appendInfo.toEntry();
    const current = this.producers.get(appendInfo.producerId);
    if (current) current.update(next);
    else this.producers.set(appendInfo.producerId, next);
  }

  updateMapEndOffset(offset: bigint): void {
    this.lastMapOffset = offset;
  }

  /** Writes `<mapEndOffset>.snapshot` if the map moved past the last snapshot; returns its path if written. */
  takeSnapshot(sync = true): string | undefined {
    if (this.lastMapOffset <= this.lastSnapOffset) return undefined;
    const file = producerSnapshotFile(this.dir, this.lastMapOffset);
    writeSnapshot(file, this.producers.values(), sync);
    this.snapshots.set(this.lastMapOffset, file);
    this.lastSnapOffset = this.lastMapOffset;
    return file;
  }

  /**
   * Drops snapshots outside (logStartOffset, logEndOffset] and, unless the map already ends at logEndOffset,
   * reloads the map from the latest remaining snapshot (corrupt ones are deleted and the next older one tried).
   * The caller then replays the log from `mapEndOffset` (Kafka: truncateAndReload).
   */
  truncateAndReload(logStartOffset: bigint, logEndOffset: bigint, now: number): void {
    for (const offset of this.snapshotOffsets) {
      if (offset > logEndOffset || offset <= logStartOffset) this.removeAndDeleteSnapshot(offset);
    }
    if (logEndOffset !== this.lastMapOffset) {
      this.producers.clear();
      this.loadFromSnapshot(logStartOffset, now);
    } else {
      this.onLogStartOffsetIncremented(logStartOffset);
    }
  }

  /** Forgets every producer and snapshot: the log restarts empty at `offset`. */
  truncateFullyAndStartAt(offset: bigint): void {
    this.producers.clear();
    for (const snapshot of this.snapshotOffsets) this.removeAndDeleteSnapshot(snapshot);
    this.lastSnapOffset = 0n;
    this.lastMapOffset = offset;
  }

  onLogStartOffsetIncremented(logStartOffset: bigint): void {
    if (this.lastMapOffset < logStartOffset) this.lastMapOffset = logStartOffset;
    this.lastSnapOffset = this.latestSnapshotOffset ?? logStartOffset;
  }

  /** Deletes the snapshots below `offset` (their segments are gone). */
  deleteSnapshotsBefore(offset: bigint): void {
    for (const snapshot of this.snapshotOffsets) if (snapshot < offset) this.removeAndDeleteSnapshot(snapshot);
  }

  removeAndDeleteSnapshot(offset: bigint): void {
    const file = this.snapshots.get(offset);
    if (file === undefined) return;
    this.snapshots.delete(offset);
    deleteSnapshotFile(file);
  }

  /**
   * Removes snapshots that belong to no segment, keeping only the newest stray one if it is above every segment
   * (the one written at close, at the log end offset). Kafka: removeStraySnapshots.
   */
  removeStraySnapshots(segmentBaseOffsets: readonly bigint[]): void {
    const bases = new Set(segmentBaseOffsets);
    const maxBase = segmentBaseOffsets.reduce<bigint | undefined>(
      (m, b) => (m === undefined || b > m ? b : m),
      undefined,
    );
    let latestStray: bigint | undefined;
    for (const offset of this.snapshotOffsets) {
      if (bases.has(offset)) continue;
      if (latestStray !== undefined) this.removeAndDeleteSnapshot(latestStray);
      latestStray = offset;
    }
    if (latestStray !== undefined && maxBase !== undefined && latestStray < maxBase) {
      this.removeAndDeleteSnapshot(latestStray);
    }
  }

  /** Forgets producers idle for producer.id.expiration.ms (Kafka checks every 10 minutes). */
  removeExpiredProducers(now: number): void {
    for (const [producerId, entry] of this.producers) {
      if (this.isProducerExpired(now, entry)) this.producers.delete(producerId);
    }
  }

  private isProducerExpired(now: number, entry: ProducerStateEntry): boolean {
    return now - entry.lastTimestamp >= this.config.producerIdExpirationMs;
  }

  private loadFromSnapshot(logStartOffset: bigint, now: number): void {
    for (let latest = this.latestSnapshotOffset; latest !== undefined; latest = this.latestSnapshotOffset) {
      try {
        for (const entry of readSnapshot(this.snapshots.get(latest) as string)) {
          if (!this.isProducerExpired(now, entry)) this.producers.set(entry.producerId, entry);
        }
        this.lastSnapOffset = latest;
        this.lastMapOffset = latest;
        return;
      } catch (error) {
        if (!(error instanceof CorruptSnapshotError)) throw error;
        this.producers.clear();
        this.removeAndDeleteSnapshot(latest);
      }
    }
    this.lastSnapOffset = logStartOffset;
    this.lastMapOffset = logStartOffset;
  }
}

/** What `rebuildProducerState` needs of a log: where its segments start and a way to read batches. */
export interface ProducerStateSource {
  readonly segmentBaseOffsets: readonly bigint[];
  readonly logStartOffset: bigint;
  /** Batches holding offsets in [from, to), in order (whole batches; may start below `from`). */
  readBatches(from: bigint, to: bigint): Iterable<RecordBatch>;
}

/**
 * Brings `manager` up to `lastOffset` (Kafka: UnifiedLog.rebuildProducerState): load the latest snapshot at or
 * below it, then replay the batches after it with origin REPLICATION (they were validated when first appended),
 * taking snapshots at the last two segments' base offsets on the way and one at `lastOffset` at the end.
 *
 * A log closed cleanly that has no snapshot at all was written before producer state existed (or never had an
 * idempotent producer and was never rolled): like Kafka, nothing is scanned and empty snapshots are written.
 */
export function rebuildProducerState(
  manager: ProducerStateManager,
  source: ProducerStateSource,
  lastOffset: bigint,
  reloadFromCleanShutdown: boolean,
  now: number,
): void {
  const bases = [...source.segmentBaseOffsets].sort(compareBigInt);
  const offsetsToSnapshot = new Set<bigint>([...bases.slice(-2), lastOffset]);
  if (manager.latestSnapshotOffset === undefined && reloadFromCleanShutdown) {
    for (const offset of [...offsetsToSnapshot].sort(compareBigInt)) {
      manager.updateMapEndOffset(offset);
      manager.takeSnapshot();
    }
    return;
  }
  const isEmptyBeforeTruncation = manager.isEmpty && manager.mapEndOffset >= lastOffset;
  manager.truncateAndReload(source.logStartOffset, lastOffset, now);
  if (lastOffset > manager.mapEndOffset && !isEmptyBeforeTruncation) {
    bases.forEach((base, i) => {
      const end = bases[i + 1] ?? lastOffset;
      if (end <= manager.mapEndOffset || base >= lastOffset) return;
      const start = maxOf(base, manager.mapEndOffset, source.logStartOffset);
      manager.updateMapEndOffset(start);
      if (offsetsToSnapshot.has(base)) manager.takeSnapshot();
      const limit = end < lastOffset ? end : lastOffset;
      const replayed = manager.analyzeAndValidate(
        filterBatches(source.readBatches(start, limit), start, limit),
        'REPLICATION',
      );
      if (replayed.duplicate === null) manager.commitAppend(replayed.updates, limit);
    });
  }
  manager.updateMapEndOffset(lastOffset);
  manager.takeSnapshot();
}

function* filterBatches(batches: Iterable<RecordBatch>, from: bigint, to: bigint): Generator<RecordBatch> {
  for (const batch of batches) {
    if (batch.baseOffset >= to) return;
    if (batch.lastOffset >= from) yield batch;
  }
}

function maxOf(...values: bigint[]): bigint {
  return values.reduce((m, v) => (v > m ? v : m));
}

function compareBigInt(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
