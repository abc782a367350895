/**
 * LeaderEpochFileCache: which leader epoch started at which offset in one partition's log (KIP-101), kept in
 * the partition dir's `leader-epoch-checkpoint` in Kafka's format (LeaderEpochCheckpointFile):
 *
 *   0                     version
 *   2                     number of entries
 *   0 0                   <epoch> <start offset>, epochs ascending
 *   3 120
 *
 * It answers OffsetsForLeaderEpoch ("where does epoch E end in your log?": `endOffsetFor`), which a follower
 * asks its new leader after a leader change, to truncate to the point where the logs diverge rather than to its
 * high watermark (the pre-KIP-101 rule that could lose or fork committed data). Entries are added as batches of
 * a new epoch are appended (`assign`), and cut when the log is truncated at the end (`truncateFromEnd`) or the
 * start (`truncateFromStart`).
 *
 * Written atomically (temp file, fsync, rename). A new epoch (`assign`, on the produce path) is only marked dirty
 * and written with the log's next flush, as Kafka does since KAFKA-15046 (no fsync inside the append); the log
 * re-derives the unflushed tail's epochs from its batches after a crash. Truncations, which are rare and must
 * not be forgotten, are written at once. Owned by one UnifiedLog; event-loop thread only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../utils/atomic-file.js';

export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';

/**
 * When a truncation reaches the file. 'now' (fsynced before returning) for truncations that happen once: a
 * follower cutting its log, retention, DeleteRecords. 'next-flush' for the ones every open of the log repeats from
 * what is on disk (cutting the cache to the log end and start the loader found): if the process dies before the
 * next flush, the next open cuts the same entries again, so writing them at once buys nothing. It cost one fsync
 * per partition at the first start after a CreateTopics (an empty partition's epoch starts at its log end: 1,000
 * partitions, 79 % of a 5.5 s start-up's samples at load 10), as Kafka's truncateFromEndAsyncFlush avoids too.
 */
export type WriteWhen = 'now' | 'next-flush';
/** Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET: the answer for an epoch the log knows nothing about. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1n;

const VERSION = 0;

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: bigint;
}

/** The checkpoint file could not be parsed; the log refuses to guess (a wrong epoch map truncates wrongly). */
export class LeaderEpochCheckpointError extends Error {
  constructor(
    readonly file: string,
    line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'LeaderEpochCheckpointError';
  }
}

export class LeaderEpochFileCache {
  readonly file: string;
  private entries: EpochEntry[];
  /** Entries changed since the file was last written. */
  private dirty = false;

  constructor(dir: string) {
    this.file = join(dir, LEADER_EPOCH_CHECKPOINT_FILE);
    this.entries = existsSync(this.file) ? readCheckpoint(this.file) : [];
  }

  /** Every entry, epochs ascending (for introspection, tests and the byte-exact truncation demo). */
  epochEntries(): readonly EpochEntry[] {
    return this.entries;
  }

  latestEpoch(): number | undefined {
    return this.entries.at(-1)?.epoch;
  }

  /** The offset where `epoch` began in this log, if it did. */
  startOffsetOf(epoch: number): bigint | undefined {
    return this.entries.find((e) => e.epoch === epoch)?.startOffset;
  }

  /**
   * Records that `epoch` starts at `startOffset` — called for each appended batch with its partitionLeaderEpoch,
   * so only the first batch of an epoch changes anything. An entry with a larger epoch or a start offset at or
   * past this one contradicts it (the log was truncated and rewritten) and is removed first, as Kafka does.
   */
  assign(epoch: number, startOffset: bigint): void {
    if (epoch < 0) return;
    const latest = this.entries.at(-1);
    if (latest && latest.epoch === epoch && latest.startOffset <= startOffset) return;
    this.entries = this.entries.filter((e) => e.epoch < epoch && e.startOffset < startOffset);
    this.entries.push({ epoch, startOffset });
    this.dirty = true;
  }

  /**
   * Kafka's `endOffsetFor(requestedEpoch, logEndOffset)`: the largest epoch ≤ requested that this log has, and
   * the offset where the next epoch after it starts (the log end for the latest epoch). An epoch newer than all
   * known is UNDEFINED; one older than all known answers the first known epoch's start.
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: bigint): EpochEntry {
    const undefinedAnswer = { epoch: UNDEFINED_EPOCH, startOffset: UNDEFINED_EPOCH_OFFSET };
    if (requestedEpoch === UNDEFINED_EPOCH) return undefinedAnswer;
    if (this.latestEpoch() === requestedEpoch) return { epoch: requestedEpoch, startOffset: logEndOffset };
    const higher = this.entries.find((e) => e.epoch > requestedEpoch);
    if (!higher) return undefinedAnswer;
    const floor = this.entries.filter((e) => e.epoch <= requestedEpoch).at(-1);
    return { epoch: floor?.epoch ?? requestedEpoch, startOffset: higher.startOffset };
  }

  /**
   * The log was truncated to `endOffset`: epochs that started at or after it are gone. Written at once, unless
   * `when` is 'next-flush' (see `WriteWhen`).
   */
  truncateFromEnd(endOffset: bigint, when: WriteWhen = 'now'): void {
    const kept = this.entries.filter((e) => e.startOffset < endOffset);
    if (kept.length === this.entries.length) return;
    this.entries = kept;
    this.save(when);
  }

  /**
   * The log start moved to `startOffset` (retention, DeleteRecords): entries wholly before it are dropped, and the
   * epoch in force at it now starts there. Written at once, unless `when` is 'next-flush' (see `WriteWhen`).
   */
  truncateFromStart(startOffset: bigint, when: WriteWhen = 'now'): void {
    const before = this.entries.filter((e) => e.startOffset <= startOffset);
    const last = before.at(-1);
    if (!last || (before.length === 1 && last.startOffset === startOffset)) return;
    this.entries = [{ epoch: last.epoch, startOffset }, ...this.entries.filter((e) => e.startOffset > startOffset)];
    this.save(when);
  }

  private save(when: WriteWhen): void {
    if (when === 'now') this.write();
    else this.dirty = true;
  }

  /** Forgets everything (the log was emptied and restarts at a new offset). */
  clear(): void {
    if (this.entries.length === 0) return;
    this.entries = [];
    this.write();
  }

  /** Writes the entries if an `assign` changed them since the last write (called when the log flushes). */
  flush(): void {
    if (this.dirty) this.write();
  }

  private write(): void {
    const body = [
      String(VERSION),
      String(this.entries.length),
      ...this.entries.map((e) => `${e.epoch} ${e.startOffset}`),
    ];
    writeFileAtomically(this.file, `${body.join('\n')}\n`);
    this.dirty = false;
  }
}

function readCheckpoint(file: string): EpochEntry[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== String(VERSION))
    throw new LeaderEpochCheckpointError(file, 1, `unknown version ${JSON.stringify(lines[0])}, expected ${VERSION}`);
  const count = Number(lines[1]);
  if (!Number.isInteger(count) || count < 0 || lines.length !== count + 2)
    throw new LeaderEpochCheckpointError(file, 2, `entry count ${JSON.stringify(lines[1])} does not match the file`);
  return lines.slice(2).map((line, i) => {
    const match = /^(\d+) (\d+)$/.exec(line);
    if (!match)
      throw new LeaderEpochCheckpointError(file, i + 3, `expected "<epoch> <offset>", got ${JSON.stringify(line)}`);
    return { epoch: Number(match[1]), startOffset: BigInt(match[2] as string) };
  });
}
