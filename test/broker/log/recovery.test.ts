import { appendFileSync, cpSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LogConfig } from '../../../src/broker/log/log-config.js';
import { UnifiedLog } from '../../../src/broker/log/unified-log.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { batch, crashImage, tempPartitionDir } from './log-test-kit.js';
import { idempotentBatchOf } from '../../../src/broker/client/request-builders.js';

const CONFIG: Partial<LogConfig> = { segmentBytes: 2000, indexIntervalBytes: 300 };
const MARKER = '.kafka_cleanshutdown';

/** Every (offset, value) in the log, read through the public read path. */
function contents(log: UnifiedLog): string[] {
  const out: string[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const batches = [...batchesIn(log.read(offset, 1 << 20).records)];
    if (batches.length === 0) break;
    for (const b of batches) {
      for (const r of decodeRecords(b)) if (r.offset >= offset) out.push(`${r.offset}:${r.value?.toString()}`);
      offset = b.nextOffset;
    }
  }
  return out;
}

/** A cleanly closed log of several segments; returns what a reader needs to damage its tail. */
function closedLog(batches = 30, config = CONFIG) {
  const dir = tempPartitionDir();
  const log = UnifiedLog.open(dir, config);
  for (let i = 0; i < batches; i++)
    log.append(batch(`v${i}`, 1 + (i % 3), { valueBytes: 40 + (i % 5) * 7 }), { leaderEpoch: 3 });
  const all = contents(log);
  const active = log.segments.at(-1);
  const lastBatch = [...batchesIn(log.read(log.logEndOffset - 1n, 1 << 20).records)].at(-1);
  if (!active || !lastBatch) throw new Error('test log has no active segment or no batch');
  // Index entries are keyed by a batch's last offset, as in Kafka.
  const lastLookup = log.explainLookup(lastBatch.lastOffset);
  log.close();
  return {
    dir,
    all,
    logEndOffset: log.logEndOffset,
    activeFile: active.fileName,
    activeSize: active.sizeInBytes,
    segmentCount: log.segments.length,
    /** True when the offset index has an entry for the last batch, which a torn write leaves dangling. */
    lastBatchIndexed: lastLookup.indexEntry.position === lastLookup.batch.position && lastLookup.indexEntry.slot >= 0,
    lastBatch: { baseOffset: lastBatch.baseOffset, size: lastBatch.sizeInBytes, records: lastBatch.recordCount },
  };
}

/** A copy of a log directory with its active segment damaged and no clean-shutdown marker. */
function damagedCopy(dir: string, damage: (copy: string) => void): string {
  const copy = tempPartitionDir();
  cpSync(dir, copy, { recursive: true });
  rmSync(join(copy, MARKER));
  damage(copy);
  return copy;
}

describe('crash recovery', () => {
  it('cuts a torn last batch at every byte offset back to the complete batches, and appends right after them', () => {
    // A small index interval gives the last batch an index entry, which the torn write leaves dangling.
    const config = { ...CONFIG, indexIntervalBytes: 100 };
    const base = closedLog(33, config);
    expect(base.segmentCount).toBeGreaterThan(2);
    expect(base.lastBatchIndexed).toBe(true);
    const before = base.all.slice(0, base.all.length - base.lastBatch.records);
    for (let kept = 0; kept < base.lastBatch.size; kept++) {
      const cutAt = base.activeSize - base.lastBatch.size + kept;
      const copy = damagedCopy(base.dir, (d) => truncateSync(join(d, base.activeFile), cutAt));
      const log = UnifiedLog.open(copy, config);
      expect(log.loadInfo, `cut after ${kept} bytes of the last batch`).toMatchObject({
        cleanShutdown: false,
        bytesTruncated: kept,
      });
      expect(log.logEndOffset).toBe(base.lastBatch.baseOffset);
      expect(contents(log)).toEqual(before);
      expect(log.append(batch('after'), { leaderEpoch: 4 }).baseOffset).toBe(base.lastBatch.baseOffset);
      expect(contents(log).at(-1)).toBe(`${base.lastBatch.baseOffset}:after-0`);
      expect(log.explainLookup(base.lastBatch.baseOffset).batch.baseOffset).toBe(base.lastBatch.baseOffset);
      log.close();
      rmSync(copy, { recursive: true });
    }
  });

  it('drops any garbage tail after the last complete batch', () => {
    const base = closedLog(12);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 400 }), fc.boolean(), (garbage, lostCheckpoint) => {
        const copy = damagedCopy(base.dir, (d) => {
          appendFileSync(join(d, base.activeFile), garbage);
          if (lostCheckpoint) rmSync(join(d, 'recovery-point-offset-checkpoint'));
        });
        const log = UnifiedLog.open(copy, CONFIG);
        expect(log.loadInfo.bytesTruncated).toBe(garbage.length);
        expect(log.logEndOffset).toBe(base.logEndOffset);
        expect(contents(log)).toEqual(base.all);
        expect(log.append(batch('next'), { leaderEpoch: 4 }).baseOffset).toBe(base.logEndOffset);
        log.close();
        rmSync(copy, { recursive: true });
      }),
      { numRuns: 40 },
    );
  });

  it('creates a new log without recovering it (nothing on disk could be torn), and recovers it after a crash once written', () => {
    const dir = tempPartitionDir();
    const log = UnifiedLog.open(dir, CONFIG);
    // Recovering the new empty segment would only fsync its three empty files (3 of 5 fsyncs per created partition).
    expect(log.loadInfo).toMatchObject({ cleanShutdown: false, segmentsLoaded: 1, segmentsRecovered: 0 });
    expect(log.loadInfo.recoveredFrom).toBeNull();
    // Killed before anything was written: the segment files exist now, so the next open does recover them.
    const emptyCrash = UnifiedLog.open(crashImage(dir), CONFIG);
    expect(emptyCrash.loadInfo).toMatchObject({ cleanShutdown: false, segmentsRecovered: 1, bytesTruncated: 0 });
    expect(emptyCrash.logEndOffset).toBe(0n);
    emptyCrash.close();

    for (let i = 0; i < 5; i++) log.append(batch(`v${i}`, 2, { valueBytes: 50 }), { leaderEpoch: 1 });
    const crashed = UnifiedLog.open(crashImage(dir), CONFIG);
    expect(crashed.loadInfo).toMatchObject({ cleanShutdown: false, segmentsRecovered: 1, bytesTruncated: 0 });
    expect(contents(crashed)).toEqual(contents(log));
    crashed.close();
    log.close();
  });

  it('re-scans only from the recovery point after a crash, and nothing after a clean close', () => {
    const dir = tempPartitionDir();
    const log = UnifiedLog.open(dir, CONFIG);
    for (let i = 0; i < 40; i++) log.append(batch(`v${i}`, 2, { valueBytes: 50 }), { leaderEpoch: 1 });
    const all = contents(log);
    const segments = log.segments.length;
    // Rolling flushed every finished segment (Kafka does the same), so only the active one is unflushed.
    expect(log.recoveryPoint).toBe(log.segments.at(-1)?.baseOffset);

    const crashed = UnifiedLog.open(crashImage(dir), CONFIG);
    expect(crashed.loadInfo).toMatchObject({
      cleanShutdown: false,
      segmentsLoaded: segments,
      segmentsRecovered: 1,
      bytesTruncated: 0,
    });
    expect(crashed.loadInfo.recoveredFrom).toBe(log.recoveryPoint);
    expect(contents(crashed)).toEqual(all);
    crashed.close();

    log.close();
    const reopened = UnifiedLog.open(dir, CONFIG);
    expect(reopened.loadInfo).toMatchObject({ cleanShutdown: true, segmentsRecovered: 0 });
    expect(contents(reopened)).toEqual(all);
    reopened.close();
  });

  it('rebuilds exactly the index files that appends wrote', () => {
    const base = closedLog(40);
    const copy = damagedCopy(base.dir, (d) => rmSync(join(d, 'recovery-point-offset-checkpoint')));
    const log = UnifiedLog.open(copy, CONFIG);
    expect(log.loadInfo.segmentsRecovered).toBe(base.segmentCount);
    log.close();
    for (const info of log.segments) {
      for (const suffix of ['.index', '.timeindex']) {
        const name = info.fileName.replace('.log', suffix);
        expect(readFileSync(join(copy, name)).equals(readFileSync(join(base.dir, name))), name).toBe(true);
      }
    }
  });

  it('truncates at a corrupted batch in an older segment and deletes the segments after it', () => {
    const base = closedLog(40);
    const reader = UnifiedLog.open(base.dir, CONFIG);
    const victim = reader.segments[1];
    const victimBatches = [...batchesIn(reader.read(victim?.baseOffset ?? 0n, 1 << 20).records)];
    reader.close();
    const damaged = victimBatches[2];
    if (!victim || !damaged) throw new Error('test log is too small');
    const damagedAt = victimBatches.slice(0, 2).reduce((n, b) => n + b.sizeInBytes, 0);
    const copy = damagedCopy(base.dir, (d) => {
      const file = join(d, victim.fileName);
      const bytes = readFileSync(file);
      bytes[damagedAt + 70] = (bytes[damagedAt + 70] as number) ^ 0x10; // one bit inside a record
      writeFileSync(file, bytes);
      // Without a recovery point the whole log is re-scanned, as after a crash before the first flush.
      rmSync(join(d, 'recovery-point-offset-checkpoint'));
    });
    const log = UnifiedLog.open(copy, CONFIG);
    expect(log.loadInfo).toMatchObject({
      bytesTruncated: victim.sizeInBytes - damagedAt,
      segmentsDeleted: base.segmentCount - 2,
    });
    expect(log.logEndOffset).toBe(damaged.baseOffset);
    expect(contents(log)).toEqual(base.all.filter((r) => BigInt(r.split(':')[0] as string) < damaged.baseOffset));
    expect(log.segments.map((s) => s.fileName)).toEqual(['00000000000000000000.log', victim.fileName]);
    log.close();
  });

  it('rebuilds a damaged or missing index even after a clean shutdown', () => {
    const base = closedLog(40);
    const indexName = base.activeFile.replace('.log', '.index');
    const copy = tempPartitionDir();
    cpSync(base.dir, copy, { recursive: true });
    appendFileSync(join(copy, indexName), Buffer.from([1, 2, 3]));
    rmSync(join(copy, '00000000000000000000.timeindex'));
    const log = UnifiedLog.open(copy, CONFIG);
    expect(log.loadInfo).toMatchObject({ cleanShutdown: true, segmentsRecovered: 2, bytesTruncated: 0 });
    expect(contents(log)).toEqual(base.all);
    log.close();
    expect(readFileSync(join(copy, indexName)).equals(readFileSync(join(base.dir, indexName)))).toBe(true);
  });

  it('recovers in one pass: epochs and producer state from the recovery read equal those from re-reading the log', () => {
    const dir = tempPartitionDir();
    const log = UnifiedLog.open(dir, CONFIG);
    // Three leader epochs over several segments, the last one new in the unflushed active segment, and an
    // idempotent producer's sequences throughout.
    for (let i = 0; i < 50; i++) {
      const records = idempotentBatchOf([`v${i}`.padEnd(60, '.')], { producerId: 7n, baseSequence: i });
      log.append(records, { leaderEpoch: i < 10 ? 1 : i < 48 ? 4 : 6 });
    }
    const all = contents(log);
    expect(log.segments.length).toBeGreaterThan(2);
    // Crashed: only the active segment is above the recovery point. The second image also has a broken index
    // in the first segment, so its recovery starts below the recovery point and cannot update state as it reads.
    const streamedImage = crashImage(dir);
    const rereadImage = crashImage(dir);
    appendFileSync(join(rereadImage, '00000000000000000000.index'), Buffer.from([1, 2, 3]));

    const streamed = UnifiedLog.open(streamedImage, CONFIG);
    const reread = UnifiedLog.open(rereadImage, CONFIG);
    expect(streamed.loadInfo.streamedFrom).toBe(log.recoveryPoint);
    expect(streamed.loadInfo.recoveredFrom).toBe(log.recoveryPoint);
    expect(reread.loadInfo).toMatchObject({ recoveredFrom: 0n, streamedFrom: null });
    expect(streamed.producerStateManager.latestSnapshotOffset).toBe(streamed.logEndOffset);
    for (const recovered of [streamed, reread]) {
      expect(contents(recovered)).toEqual(all);
      expect(recovered.leaderEpochCache.epochEntries()).toEqual([
        { epoch: 1, startOffset: 0n },
        { epoch: 4, startOffset: 10n },
        { epoch: 6, startOffset: 48n },
      ]);
      // Producer state came back too: the last batch retried is a duplicate, the next sequence is accepted.
      const retry = recovered.append(idempotentBatchOf(['v49'.padEnd(60, '.')], { producerId: 7n, baseSequence: 49 }), {
        leaderEpoch: 6,
      });
      expect(retry).toMatchObject({ duplicate: true, baseOffset: 49n });
      const next = recovered.append(idempotentBatchOf(['v50'], { producerId: 7n, baseSequence: 50 }), {
        leaderEpoch: 6,
      });
      expect(next.duplicate ?? false).toBe(false);
      recovered.close();
    }
    log.close();
  });
});
