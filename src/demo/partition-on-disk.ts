/**
 * Reads a partition the operator's way: the files in `<data dir>/<topic>-<partition>/`, parsed from their bytes
 * with Kafka's on-disk formats (the `.log` file is a run of record batches; the `.index` file is 8-byte entries,
 * `relativeOffset int32, position int32`). Nothing here asks the broker: a demo that checks a file name, an index
 * or a layout against these bytes checks what is on disk, on kq's broker and on Apache Kafka alike.
 *
 * Kafka preallocates the active segment's index (a sparse file of zeros, trimmed on roll); an entry whose position
 * is 0 after the first slot is such padding — the first batch of a segment is never indexed, so no real entry
 * points at byte 0.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchesIn } from '../broker/index.js';

/** One record batch as it sits in a `.log` file. */
export interface BatchOnDisk {
  position: number;
  baseOffset: bigint;
  lastOffset: bigint;
  sizeInBytes: number;
  recordCount: number;
  compressionCodec: number;
}

/** One entry of a segment's `.index` file: the batch whose last offset is `offset` starts at byte `position`. */
export interface IndexEntryOnDisk {
  offset: bigint;
  position: number;
}

export interface SegmentOnDisk {
  /** `00000000000000001234.log` */
  fileName: string;
  /** The base offset the file name states. */
  nameOffset: bigint;
  bytes: number;
  batches: BatchOnDisk[];
  /** Bytes after the last whole batch (a torn tail, or 0). */
  trailingBytes: number;
  indexEntries: IndexEntryOnDisk[];
}

export interface PartitionOnDisk {
  dir: string;
  /** Every file in the partition directory, sorted. */
  files: string[];
  /** Segments ordered by the offset in their names. */
  segments: SegmentOnDisk[];
}

const SEGMENT_FILE = /^(\d{20})\.log$/;
const INDEX_ENTRY_SIZE = 8;

export function partitionDir(dataDir: string, topic: string, partition: number): string {
  return join(dataDir, `${topic}-${partition}`);
}

export function readPartitionFromDisk(dataDir: string, topic: string, partition: number): PartitionOnDisk {
  const dir = partitionDir(dataDir, topic, partition);
  if (!existsSync(dir)) throw new Error(`no directory ${dir}: ${topic}-${partition} is not stored in ${dataDir}`);
  const files = readdirSync(dir).sort();
  const segments = files
    .map((name) => SEGMENT_FILE.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => readSegment(dir, match[0], BigInt(match[1]!)))
    .sort((a, b) => (a.nameOffset < b.nameOffset ? -1 : a.nameOffset > b.nameOffset ? 1 : 0));
  return { dir, files, segments };
}

function readSegment(dir: string, fileName: string, nameOffset: bigint): SegmentOnDisk {
  const log = readFileSync(join(dir, fileName));
  const batches: BatchOnDisk[] = [];
  let position = 0;
  for (const batch of batchesIn(log)) {
    batches.push({
      position,
      baseOffset: batch.baseOffset,
      lastOffset: batch.lastOffset,
      sizeInBytes: batch.sizeInBytes,
      recordCount: batch.recordCount,
      compressionCodec: batch.compressionCodec,
    });
    position += batch.sizeInBytes;
  }
  const indexFile = join(dir, fileName.replace(/\.log$/, '.index'));
  const indexEntries = existsSync(indexFile) ? readOffsetIndex(readFileSync(indexFile), nameOffset) : [];
  return { fileName, nameOffset, bytes: log.length, batches, trailingBytes: log.length - position, indexEntries };
}

function readOffsetIndex(bytes: Buffer, baseOffset: bigint): IndexEntryOnDisk[] {
  const entries: IndexEntryOnDisk[] = [];
  for (let at = 0; at + INDEX_ENTRY_SIZE <= bytes.length; at += INDEX_ENTRY_SIZE) {
    const relativeOffset = bytes.readInt32BE(at);
    const position = bytes.readInt32BE(at + 4);
    if (position === 0) break; // preallocated padding (see the module comment)
    entries.push({ offset: baseOffset + BigInt(relativeOffset), position });
  }
  return entries;
}

/** The segment whose batches hold `offset`, found by scanning every batch on disk (no index, no search). */
export function segmentHolding(segments: readonly SegmentOnDisk[], offset: bigint): SegmentOnDisk | undefined {
  return segments.find((s) => s.batches.some((b) => b.baseOffset <= offset && offset <= b.lastOffset));
}

const HIGH_WATERMARK_CHECKPOINT = 'replication-offset-checkpoint';

/**
 * The high watermark a broker last wrote to disk for the partition (`replication-offset-checkpoint`, in Kafka's
 * checkpoint format: version, count, then `topic partition offset` lines) — what it trusts after a restart. Kafka
 * keeps one such file per log dir, kq one per partition dir: both are looked at. Undefined when none names it.
 */
export function checkpointedHighWatermark(dataDir: string, topic: string, partition: number): bigint | undefined {
  for (const file of [
    join(dataDir, HIGH_WATERMARK_CHECKPOINT),
    join(partitionDir(dataDir, topic, partition), HIGH_WATERMARK_CHECKPOINT),
  ]) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(2)) {
      const [name, index, offset] = line.trim().split(' ');
      if (name === topic && Number(index) === partition && offset !== undefined) return BigInt(offset);
    }
  }
  return undefined;
}
