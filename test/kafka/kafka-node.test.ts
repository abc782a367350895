import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'kq-kafka-node-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('KafkaNode', () => {
  it('a stop that ends in SIGKILL resolves even when nothing else keeps Node running (no exit 13)', () => {
    // A "JVM" that ignores SIGTERM, as a Kafka stuck in controlled shutdown does.
    const fakeJava = join(dir, 'java');
    writeFileSync(fakeJava, '#!/bin/sh\ntrap \'\' TERM\n: > "$0.ready"\nwhile :; do sleep 1; done\n');
    chmodSync(fakeJava, 0o755);
    const run = spawnSync(
      process.execPath,
      ['scripts/run-ts.mjs', 'test/kafka/fixtures/stop-stubborn-node.ts', join(dir, 'node-1'), fakeJava],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ code: null, signal: 'SIGKILL' });
  }, 90_000);
});
