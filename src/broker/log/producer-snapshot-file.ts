/**
 * A producer state snapshot, `<offset, 20 digits>.snapshot` in the partition directory: the state of every producer
 * id after the log's first `offset` offsets, so recovery replays only the batches after it. The format is
 * Kafka's (storage/src/main/resources/message/ProducerSnapshot.json, version 1; written by
 * ProducerStateManager.writeSnapshot), so a kq snapshot reads like Kafka's:
 *
 *   ProducerSnapshot =>
 *     version int16                      1
 *     crc uint32                         CRC-32C of every byte after it
 *     producer_entries int32 + [entry]   entry => producer_id int64, epoch int16, last_sequence int32,
 *                                                 last_offset int64, offset_delta int32, timestamp int64,
 *                                                 coordinator_epoch int32, current_txn_first_offset int64
 *
 * Kafka writes one entry per producer, for its LAST batch only, so after a restart its de-duplication window
 * holds one batch plus whatever the replay after the snapshot adds. kq writes one entry per retained batch
 * (up to five per producer, oldest first) and merges them back into the window on read. The file stays
 * readable by Kafka: its reader keeps the last entry per producer id, which is the newest batch — exactly
 * what Kafka itself would have written.
 */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '../record/crc32c.js';
import { filenamePrefixFromOffset } from './log-file-names.js';
import { BatchMetadata, ProducerStateEntry } from './producer-state-entry.js';

export const PRODUCER_SNAPSHOT_FILE_SUFFIX = '.snapshot';
const SNAPSHOT_VERSION = 1;
const CRC_OFFSET = 2;
const PRODUCER_ENTRIES_OFFSET = 6;
const ENTRY_BYTES = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;
const SNAPSHOT_FILE = /^(\d{20})\.snapshot$/;

/** A snapshot that fails its version or CRC check: recovery deletes it and falls back to an older one. */
export class CorruptSnapshotError extends Error {
  override readonly name = 'CorruptSnapshotError';
}

export function producerSnapshotFile(dir: string, offset: bigint): string {
  return join(dir, filenamePrefixFromOffset(offset) + PRODUCER_SNAPSHOT_FILE_SUFFIX);
}

/** The snapshots in `dir` by offset (Kafka: ProducerStateManager.listSnapshotFiles). */
export function listSnapshotFiles(dir: string): Map<bigint, string> {
  const snapshots = new Map<bigint, string>();
  if (!existsSync(dir)) return snapshots;
  for (const name of readdirSync(dir)) {
    const match = SNAPSHOT_FILE.exec(name);
    if (match) snapshots.set(BigInt(match[1] as string), join(dir, name));
  }
  return snapshots;
}

/** One snapshot row: Kafka's ProducerEntry. */
interface SnapshotRow {
  producerId: bigint;
  epoch: number;
  lastSeq: number;
  lastOffset: bigint;
  offsetDelta: number;
  timestamp: number;
  coordinatorEpoch: number;
}

function rowsOf(entry: ProducerStateEntry): SnapshotRow[] {
  const base = { producerId: entry.producerId, epoch: entry.producerEpoch, coordinatorEpoch: entry.coordinatorEpoch };
  if (entry.isEmpty) {
    return [{ ...base, lastSeq: entry.lastSeq, lastOffset: -1n, offsetDelta: 0, timestamp: entry.lastTimestamp }];
  }
  return entry.batchMetadata.map((b, i, all) => ({
    ...base,
    lastSeq: b.lastSeq,
    lastOffset: b.lastOffset,
    offsetDelta: b.offsetDelta,
    // The newest row carries the entry's timestamp, as Kafka's single row does.
    timestamp: i === all.length - 1 ? entry.lastTimestamp : b.timestamp,
  }));
}

export function encodeSnapshot(entries: Iterable<ProducerStateEntry>): Buffer {
  const rows = [...entries].flatMap(rowsOf);
  const buffer = Buffer.alloc(PRODUCER_ENTRIES_OFFSET + 4 + rows.length * ENTRY_BYTES);
  buffer.writeInt16BE(SNAPSHOT_VERSION, 0);
  let at = buffer.writeInt32BE(rows.length, PRODUCER_ENTRIES_OFFSET);
  for (const row of rows) {
    at = buffer.writeBigInt64BE(row.producerId, at);
    at = buffer.writeInt16BE(row.epoch, at);
    at = buffer.writeInt32BE(row.lastSeq, at);
    at = buffer.writeBigInt64BE(row.lastOffset, at);
    at = buffer.writeInt32BE(row.offsetDelta, at);
    at = buffer.writeBigInt64BE(BigInt(row.timestamp), at);
    at = buffer.writeInt32BE(row.coordinatorEpoch, at);
    at = buffer.writeBigInt64BE(-1n, at); // current_txn_first_offset: kq has no transactions
  }
  buffer.writeUInt32BE(crc32c(buffer, PRODUCER_ENTRIES_OFFSET), CRC_OFFSET);
  return buffer;
}

export function decodeSnapshot(bytes: Buffer, file = 'snapshot'): ProducerStateEntry[] {
  if (bytes.length < PRODUCER_ENTRIES_OFFSET + 4) throw new CorruptSnapshotError(`${file}: only ${bytes.length} bytes`);
  const version = bytes.readInt16BE(0);
  if (version !== SNAPSHOT_VERSION) throw new CorruptSnapshotError(`${file}: unknown snapshot version ${version}`);
  const stored = bytes.readUInt32BE(CRC_OFFSET);
  const computed = crc32c(bytes, PRODUCER_ENTRIES_OFFSET);
  if (stored !== computed) {
    throw new CorruptSnapshotError(`${file}: CRC is no longer valid (stored ${stored}, computed ${computed})`);
  }
  const count = bytes.readInt32BE(PRODUCER_ENTRIES_OFFSET);
  if (count < 0 || bytes.length !== PRODUCER_ENTRIES_OFFSET + 4 + count * ENTRY_BYTES) {
    throw new CorruptSnapshotError(`${file}: ${count} entries do not fit ${bytes.length} bytes`);
  }
  const entries = new Map<bigint, ProducerStateEntry>();
  let at = PRODUCER_ENTRIES_OFFSET + 4;
  for (let i = 0; i < count; i++, at += ENTRY_BYTES) {
    const producerId = bytes.readBigInt64BE(at);
    const epoch = bytes.readInt16BE(at + 8);
    const lastSeq = bytes.readInt32BE(at + 10);
    const lastOffset = bytes.readBigInt64BE(at + 14);
    const offsetDelta = bytes.readInt32BE(at + 22);
    const timestamp = Number(bytes.readBigInt64BE(at + 26));
    const coordinatorEpoch = bytes.readInt32BE(at + 34);
    const batch = lastOffset >= 0n ? new BatchMetadata(lastSeq, lastOffset, offsetDelta, timestamp) : undefined;
    const earlier = entries.get(producerId);
    // A later row of the same producer and epoch is a newer batch of its window; anything else replaces it.
    if (earlier && batch && earlier.producerEpoch === epoch) {
      earlier.addBatch(epoch, lastSeq, lastOffset, offsetDelta, timestamp);
    } else {
      entries.set(producerId, new ProducerStateEntry(producerId, epoch, coordinatorEpoch, timestamp, batch));
    }
  }
  return [...entries.values()];
}

export function readSnapshot(file: string): ProducerStateEntry[] {
  return decodeSnapshot(readFileSync(file), file);
}

/** Writes the snapshot (fsynced when `sync`); a torn write fails its CRC on the next load and is skipped. */
export function writeSnapshot(file: string, entries: Iterable<ProducerStateEntry>, sync: boolean): void {
  const bytes = encodeSnapshot(entries);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, bytes);
    if (sync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function deleteSnapshotFile(file: string): void {
  rmSync(file, { force: true });
}
