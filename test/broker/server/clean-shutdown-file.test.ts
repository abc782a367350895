import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CLEAN_SHUTDOWN_FILE_NAME,
  consumeCleanShutdownFile,
  writeCleanShutdownFile,
} from '../../../src/broker/server/clean-shutdown-file.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the clean shutdown file (Kafka’s CleanShutdownFileHandler, KIP-966)', () => {
  it('hands the broker epoch of a clean stop to the next start once, in Kafka’s format', () => {
    dir = mkdtempSync(join(tmpdir(), 'kq-clean-shutdown-'));
    writeCleanShutdownFile(dir, 42n);
    expect(readFileSync(join(dir, CLEAN_SHUTDOWN_FILE_NAME), 'utf8')).toBe('{"version":0,"brokerEpoch":42}');
    expect(consumeCleanShutdownFile(dir)).toBe(42n);
    // Read once: a crash after this start leaves nothing, so the next registration counts as unclean.
    expect(existsSync(join(dir, CLEAN_SHUTDOWN_FILE_NAME))).toBe(false);
    expect(consumeCleanShutdownFile(dir)).toBe(-1n);
  });

  it('treats a file that does not parse as no clean shutdown', () => {
    dir = mkdtempSync(join(tmpdir(), 'kq-clean-shutdown-'));
    writeFileSync(join(dir, CLEAN_SHUTDOWN_FILE_NAME), 'torn');
    expect(consumeCleanShutdownFile(dir)).toBe(-1n);
  });
});
