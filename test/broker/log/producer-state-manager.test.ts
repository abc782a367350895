import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idempotentBatchOf } from '../../../src/broker/client/request-builders.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  producerSnapshotFile,
} from '../../../src/broker/log/producer-snapshot-file.js';
import { BatchMetadata, ProducerStateEntry } from '../../../src/broker/log/producer-state-entry.js';
import { ProducerStateManager } from '../../../src/broker/log/producer-state-manager.js';
import { UnifiedLog } from '../../../src/broker/log/unified-log.js';
import { MAX_SEQUENCE } from '../../../src/broker/record/producer-sequence.js';
import { RecordBatch } from '../../../src/broker/record/record-batch.js';
import { ProducerStateError } from '../../../src/broker/record/storage-errors.js';
import { crashImage, tempPartitionDir } from './log-test-kit.js';

const PID = 7n;

function batch(baseSequence: number, count = 1, producerEpoch = 0, producerId = PID): Buffer {
  const values = Array.from({ length: count }, (_, i) => `s${baseSequence}+${i}`);
  return idempotentBatchOf(values, { producerId, producerEpoch, baseSequence });
}

function openLog(dir = tempPartitionDir(), config = {}): UnifiedLog {
  return UnifiedLog.open(dir, config);
}

function append(log: UnifiedLog, bytes: Buffer, issued?: (id: bigint) => boolean) {
  return log.append(bytes, issued ? { leaderEpoch: 0, isProducerIdIssued: issued } : { leaderEpoch: 0 });
}

function refusal(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ProducerStateError) return error.errorName;
    throw error;
  }
  throw new Error('expected the append to be refused');
}

describe('ProducerStateManager: sequence and epoch checks', () => {
  it('answers a retry of any of the last five batches with its original offsets and appends nothing', () => {
    const log = openLog();
    const originals = [0, 2, 4, 6, 8].map((seq) => append(log, batch(seq, 2)).baseOffset);
    expect(originals).toEqual([0n, 2n, 4n, 6n, 8n]);
    for (const [i, seq] of [0, 2, 4, 6, 8].entries()) {
      const retry = append(log, batch(seq, 2));
      expect(retry).toMatchObject({
        baseOffset: originals[i],
        lastOffset: (originals[i] as bigint) + 1n,
        duplicate: true,
      });
    }
    expect(log.logEndOffset).toBe(10n);
  });

  it('forgets the sixth batch back: its retry is out of order, because at most five can be in flight', () => {
    const log = openLog();
    for (let seq = 0; seq < 6; seq++) append(log, batch(seq));
    // Batches 1..5 are the window; batch 0 fell out of it.
    expect(append(log, batch(1)).duplicate).toBe(true);
    expect(refusal(() => append(log, batch(0)))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(log.logEndOffset).toBe(6n);
  });

  it('refuses a gap in the sequence (batch n+2 before n+1) and accepts n+1 then n+2', () => {
    const log = openLog();
    append(log, batch(0));
    expect(refusal(() => append(log, batch(2)))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(log.logEndOffset).toBe(1n);
    expect(append(log, batch(1)).baseOffset).toBe(1n);
    expect(append(log, batch(2)).baseOffset).toBe(2n);
  });

  it('refuses an older epoch (INVALID_PRODUCER_EPOCH) and a new epoch that does not start at sequence 0', () => {
    const log = openLog();
    append(log, batch(0, 1, 3));
    expect(refusal(() => append(log, batch(1, 1, 2)))).toBe('INVALID_PRODUCER_EPOCH');
    expect(refusal(() => append(log, batch(5, 1, 4)))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    // A bumped epoch restarts the sequence space: seq 0 of epoch 4 is new data, not a duplicate of epoch 3's seq 0.
    expect(append(log, batch(0, 1, 4))).toMatchObject({ baseOffset: 1n });
    expect(log.producerStateManager.lastEntry(PID)?.producerEpoch).toBe(4);
    expect(log.logEndOffset).toBe(2n);
  });

  it('refuses a producer id the broker never issued, before anything is written', () => {
    const log = openLog();
    const issued = (id: bigint) => id < 5n;
    expect(refusal(() => append(log, batch(0, 1, 0, 99n), issued))).toBe('UNKNOWN_PRODUCER_ID');
    expect(append(log, batch(0, 1, 0, 4n), issued).baseOffset).toBe(0n);
    expect(log.logEndOffset).toBe(1n);
  });

  it('accepts any sequence from an issued producer it has no state for (KIP-360: state lost with the log)', () => {
    const log = openLog();
    expect(append(log, batch(41)).baseOffset).toBe(0n);
    expect(append(log, batch(42)).baseOffset).toBe(1n);
  });

  it('wraps the sequence from Int32 max to 0', () => {
    const log = openLog();
    append(log, batch(MAX_SEQUENCE - 1, 2));
    expect(log.producerStateManager.lastEntry(PID)?.lastSeq).toBe(MAX_SEQUENCE);
    expect(append(log, batch(0)).baseOffset).toBe(2n);
    // A batch that itself crosses the wrap: seqs MAX-1, MAX, 0 — its retry is still recognised.
    const wrapLog = openLog();
    append(wrapLog, batch(MAX_SEQUENCE - 1, 3));
    const entry = wrapLog.producerStateManager.lastEntry(PID);
    expect([entry?.firstSeq, entry?.lastSeq]).toEqual([MAX_SEQUENCE - 1, 0]);
    expect(append(wrapLog, batch(MAX_SEQUENCE - 1, 3)).duplicate).toBe(true);
    expect(append(wrapLog, batch(1)).baseOffset).toBe(3n);
  });

  it('keeps producers apart: each id has its own sequence', () => {
    const log = openLog();
    append(log, batch(0, 1, 0, 1n));
    append(log, batch(0, 1, 0, 2n));
    expect(append(log, batch(0, 1, 0, 1n)).baseOffset).toBe(0n);
    expect(append(log, batch(0, 1, 0, 2n)).baseOffset).toBe(1n);
    expect(append(log, batch(1, 1, 0, 2n)).baseOffset).toBe(2n);
  });

  it('leaves batches without a producer id alone', () => {
    const log = openLog();
    const plain = idempotentBatchOf(['x'], { producerId: -1n, producerEpoch: -1, baseSequence: -1 });
    append(log, plain);
    append(log, Buffer.from(plain));
    expect(log.logEndOffset).toBe(2n);
    expect(log.producerStateManager.isEmpty).toBe(true);
  });
});

describe('ProducerStateManager: snapshots', () => {
  it('writes Kafka’s snapshot format: version 1, CRC-32C of the entries, 46-byte entries', () => {
    const entry = new ProducerStateEntry(5n, 2, -1, 1234, new BatchMetadata(9, 100n, 4, 1234));
    const bytes = encodeSnapshot([entry]);
    expect(bytes.readInt16BE(0)).toBe(1);
    expect(bytes.readInt32BE(6)).toBe(1);
    expect(bytes.length).toBe(10 + 46);
    const [back] = decodeSnapshot(bytes);
    expect(decodeSnapshot(encodeSnapshot([]))).toEqual([]);
    expect(back).toMatchObject({ producerId: 5n, producerEpoch: 2, lastSeq: 9, firstSeq: 5, lastDataOffset: 100n });
    expect(back?.batchMetadata[0]?.firstOffset).toBe(96n);
    const damaged = Buffer.from(bytes);
    damaged.writeUInt8(damaged.readUInt8(20) ^ 1, 20);
    expect(() => decodeSnapshot(damaged)).toThrow(/CRC/);
  });

  it('writes one row per retained batch, oldest first, so Kafka’s reader (last row per id wins) gets the newest batch', () => {
    const entry = new ProducerStateEntry(5n, 0, -1, 0);
    for (let seq = 0; seq < 7; seq++) entry.addBatch(0, seq, BigInt(seq), 0, 1000 + seq);
    const bytes = encodeSnapshot([entry]);
    expect(bytes.readInt32BE(6)).toBe(5);
    // Kafka's readSnapshot keeps a map put per row: the last row of producer 5 is what it would hold.
    const lastRow = 10 + 4 * 46;
    expect([
      bytes.readBigInt64BE(lastRow),
      bytes.readInt32BE(lastRow + 10),
      bytes.readBigInt64BE(lastRow + 14),
    ]).toEqual([5n, 6, 6n]);
    expect(decodeSnapshot(bytes)[0]?.batchMetadata.map((b) => b.lastSeq)).toEqual([2, 3, 4, 5, 6]);
  });

  it('snapshots at every segment roll, named by the new segment’s base offset in 20 digits, and at close', () => {
    const dir = tempPartitionDir();
    const log = openLog(dir, { segmentBytes: 300 });
    for (let seq = 0; seq < 12; seq++) append(log, batch(seq));
    const bases = log.segments.map((s) => s.baseOffset);
    expect(bases.length).toBeGreaterThan(2);
    const snapshots = () =>
      readdirSync(dir)
        .filter((f) => f.endsWith('.snapshot'))
        .sort();
    expect(snapshots()).toEqual(bases.slice(1).map((b) => `${b.toString().padStart(20, '0')}.snapshot`));
    log.close();
    expect(snapshots().at(-1)).toBe('00000000000000000012.snapshot');
  });

  it('deletes a segment’s snapshot when retention deletes the segment', () => {
    const dir = tempPartitionDir();
    const log = openLog(dir, { segmentBytes: 300, retentionBytes: 400 });
    for (let seq = 0; seq < 12; seq++) append(log, batch(seq));
    log.updateHighWatermark(log.logEndOffset);
    const deleted = log.deleteOldSegments();
    expect(deleted.length).toBeGreaterThan(0);
    for (const d of deleted) expect(existsSync(producerSnapshotFile(dir, d.baseOffset))).toBe(false);
    const first = log.segments[0]?.baseOffset as bigint;
    expect(log.producerStateManager.snapshotOffsets.every((o) => o >= first)).toBe(true);
  });

  it('de-duplicates a retry after a clean restart (state loaded from the snapshot at the log end)', () => {
    const dir = tempPartitionDir();
    const log = openLog(dir);
    for (let seq = 0; seq < 4; seq++) append(log, batch(seq));
    log.close();
    const reopened = openLog(dir);
    expect(reopened.loadInfo.cleanShutdown).toBe(true);
    expect(append(reopened, batch(3))).toMatchObject({ baseOffset: 3n, duplicate: true });
    expect(refusal(() => append(reopened, batch(5)))).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(append(reopened, batch(4)).baseOffset).toBe(4n);
  });

  it('de-duplicates a retry after a crash: latest snapshot at or below the log end, then the batches after it replayed', () => {
    const dir = tempPartitionDir();
    const log = openLog(dir, { segmentBytes: 300 });
    for (let seq = 0; seq < 9; seq++) append(log, batch(seq));
    const image = crashImage(dir);
    const recovered = openLog(image, { segmentBytes: 300 });
    expect(recovered.loadInfo.cleanShutdown).toBe(false);
    // The whole five-batch window is back, not just the snapshot's last batch.
    for (let seq = 4; seq < 9; seq++)
      expect(append(recovered, batch(seq))).toMatchObject({ baseOffset: BigInt(seq), duplicate: true });
    expect(append(recovered, batch(9)).baseOffset).toBe(9n);
  });

  it('skips a corrupt snapshot and rebuilds from the one before it', () => {
    const dir = tempPartitionDir();
    const log = openLog(dir, { segmentBytes: 300 });
    for (let seq = 0; seq < 9; seq++) append(log, batch(seq));
    log.close();
    const latest = log.producerStateManager.latestSnapshotOffset as bigint;
    const file = producerSnapshotFile(dir, latest);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    writeFileSync(file, bytes);
    const reopened = openLog(dir, { segmentBytes: 300 });
    expect(append(reopened, batch(8))).toMatchObject({ baseOffset: 8n, duplicate: true });
    expect(append(reopened, batch(9)).baseOffset).toBe(9n);
  });

  it('forgets producers idle longer than producer.id.expiration.ms when loading a snapshot', () => {
    const dir = tempPartitionDir();
    mkdirSync(dir, { recursive: true });
    const manager = new ProducerStateManager(dir, 'orders-0', { producerIdExpirationMs: 1000 });
    const records = new RecordBatch(batch(0));
    records.setBaseOffset(0n);
    const analysis = manager.analyzeAndValidate([records], 'CLIENT');
    if (analysis.duplicate) throw new Error('unexpected duplicate');
    manager.commitAppend(analysis.updates, 1n);
    manager.takeSnapshot();
    const ts = manager.lastEntry(PID)?.lastTimestamp as number;
    const fresh = new ProducerStateManager(dir, 'orders-0', { producerIdExpirationMs: 1000 });
    fresh.truncateAndReload(0n, 1n, ts + 10);
    expect(fresh.lastEntry(PID)).toBeDefined();
    const late = new ProducerStateManager(dir, 'orders-0', { producerIdExpirationMs: 1000 });
    late.truncateAndReload(0n, 1n, ts + 1000);
    expect(late.lastEntry(PID)).toBeUndefined();
  });

  it('truncation drops snapshots above the new end and rebuilds the state below it', () => {
    const dir = tempPartitionDir();
    const log = openLog(dir, { segmentBytes: 300 });
    for (let seq = 0; seq < 9; seq++) append(log, batch(seq));
    log.truncateTo(5n);
    expect(log.producerStateManager.snapshotOffsets.every((o) => o <= 5n)).toBe(true);
    expect(log.producerStateManager.lastEntry(PID)?.lastSeq).toBe(4);
    expect(append(log, batch(5)).baseOffset).toBe(5n);
    expect(existsSync(join(dir, '00000000000000000005.snapshot'))).toBe(true);
  });
});
