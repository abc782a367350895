import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureDirectory } from '../../../src/broker/utils/ensure-directory.js';
import { repoRoot } from '../../cli/run-kq.js';

/**
 * The broker's data directories are made one level at a time: Node's mkdirSync(recursive) spins at 100 % CPU
 * where mkdir answers ENOENT under an existing parent (/proc). The library path (kq/broker, no CLI check in
 * front) is run in a child process with a time limit, so a spin is a killed child and a failed test, not a
 * hung suite.
 */
describe('ensureDirectory', () => {
  it('makes missing levels and refuses a path through a file, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kq-ensure-'));
    ensureDirectory(join(dir, 'a', 'b', 'c'));
    writeFileSync(join(dir, 'file'), '');
    expect(() => ensureDirectory(join(dir, 'file', 'x'))).toThrow(/ENOTDIR/);
  });

  it('makes startBroker reject a data dir under /proc at once instead of spinning', () => {
    const script = `
      const { startBroker } = await import(${JSON.stringify(`${repoRoot}dist/broker/index.js`)});
      try { await startBroker({ dataDir: '/proc/kq-no-such/data', port: 0 }); console.log('started'); }
      catch (error) { console.log('refused: ' + error.message); }`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.signal, 'the broker spun until the time limit killed it').toBeNull();
    expect(run.stdout).toMatch(/^refused: .*\/proc\/kq-no-such/m);
  });
});
