import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchesIn } from '../../record/record-batch.js';
import { decodeRecords } from '../../record/record-decoder.js';

/** One data record as a replica stores it. */
export interface StoredRecord {
  readonly offset: bigint;
  readonly key: string | null;
  readonly value: string | null;
  /** The leader epoch of its batch. */
  readonly leaderEpoch: number;
}

/**
 * Every data record in a partition directory (`<node data dir>/<topic>-<partition>`), read straight from its
 * segment files in offset order, control batches skipped, a torn tail ignored. For post-mortems of a stopped
 * node (a chaos run's replica check): it opens nothing for writing and runs no recovery, unlike UnifiedLog.open,
 * so it must not be pointed at a log a running broker is writing.
 */
export function readReplicaRecords(partitionDir: string): StoredRecord[] {
  const segments = readdirSync(partitionDir, { withFileTypes: true })
    .filter((e) => e.isFile() && /^\d{20}\.log$/.test(e.name))
    .map((e) => e.name)
    .sort();
  const out: StoredRecord[] = [];
  for (const name of segments) {
    for (const batch of batchesIn(readFileSync(join(partitionDir, name)))) {
      if (batch.isControl) continue;
      for (const r of decodeRecords(batch))
        out.push({
          offset: r.offset,
          key: r.key?.toString() ?? null,
          value: r.value?.toString() ?? null,
          leaderEpoch: batch.partitionLeaderEpoch,
        });
    }
  }
  return out;
}
