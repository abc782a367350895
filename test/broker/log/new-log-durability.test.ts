import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnsyncedWrites } from '../../../src/broker/cluster/faults/unsynced-writes.js';
import { UnifiedLog } from '../../../src/broker/log/unified-log.js';
import { batch, tempPartitionDir } from './log-test-kit.js';

// UnsyncedWrites patches this process's `fs` for good, hence a file of its own (vitest runs each file in its own
// process or worker).
const disk = new UnsyncedWrites();
disk.install();

const HW_FILE = 'replication-offset-checkpoint';
const unsyncedNames = (dir: string) =>
  disk
    .unsyncedFiles()
    .filter((f) => f.startsWith(`${dir}/`))
    .map((f) => basename(f))
    .sort();

describe('a new partition log costs no fsync, and a power cut right after its creation loses nothing it promised', () => {
  it('writes its high watermark checkpoint at once in Kafka format, fsyncs nothing, and opens empty after a power cut', () => {
    const dir = tempPartitionDir('orders-3');
    const log = UnifiedLog.open(dir);
    // Kafka's checkpoint text: version, entry count, `topic partition offset`.
    expect(readFileSync(join(dir, HW_FILE), 'utf8')).toBe('0\n1\norders 3 0\n');
    // Neither the empty segment nor the checkpoint was fsynced: their loss means what their absence means.
    expect(unsyncedNames(dir)).toEqual(
      [HW_FILE, '00000000000000000000.index', '00000000000000000000.log', '00000000000000000000.timeindex'].sort(),
    );

    disk.cutPower();
    const after = UnifiedLog.open(dir);
    expect([after.logStartOffset, after.highWatermark, after.logEndOffset]).toEqual([0n, 0n, 0n]);
    after.append(batch('a', 2), { leaderEpoch: 0 });
    expect(after.logEndOffset).toBe(2n);
    after.close();
    log.close();
  });

  it('makes the segment and a moved high watermark durable at the first flush', () => {
    const dir = tempPartitionDir('orders-4');
    const log = UnifiedLog.open(dir);
    log.append(batch('a', 3), { leaderEpoch: 0 });
    log.updateHighWatermark(3n);
    log.flush();
    expect(unsyncedNames(dir)).toEqual([]);
    expect(readFileSync(join(dir, HW_FILE), 'utf8')).toBe('0\n1\norders 4 3\n');

    disk.cutPower();
    const after = UnifiedLog.open(dir);
    expect([after.highWatermark, after.logEndOffset]).toEqual([3n, 3n]);
    after.close();
    log.close();
  });
});
