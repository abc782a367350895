/** Shared helpers for the log tests: temporary partition directories and batches of known shape. */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { buildRecordBatch } from '../../../src/broker/record/record-batch-builder.js';

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * tmpfs when the machine has one: these tests prove recovery logic, not the disk, and the crash tests
 * reopen a log hundreds of times; on a real disk each reopen pays several fsyncs.
 */
const TEMP_ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

/** A fresh `<topic>-<partition>` directory under a temp root, removed after the test. */
export function tempPartitionDir(name = 'orders-0'): string {
  const root = mkdtempSync(join(TEMP_ROOT, 'kq-log-'));
  created.push(root);
  return join(root, name);
}

/**
 * A copy of a live log directory: what the disk holds if the broker died right now. The copy has no
 * clean-shutdown marker because the open log removed it.
 */
export function crashImage(dir: string): string {
  const copy = tempPartitionDir();
  cpSync(dir, copy, { recursive: true });
  return copy;
}

export const T0 = 1_700_000_000_000;

/** A producer's batch of `count` records whose values are `${label}-${i}`, `valueBytes` long at least. */
export function batch(label: string, count = 1, options: { timestamp?: number; valueBytes?: number } = {}): Buffer {
  const timestamp = options.timestamp ?? T0;
  return buildRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({
      key: `k-${label}-${i}`,
      value: `${label}-${i}`.padEnd(options.valueBytes ?? 0, '.'),
      timestamp,
    })),
  });
}
