import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { repoRoot, runKq } from './run-kq.js';

describe('kq program', () => {
  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(`${repoRoot}package.json`, 'utf8')) as { version: string };
    const run = runKq(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 on an unknown flag and points to the help', () => {
    const run = runKq(['--bogus']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
    expect(run.stderr).toContain('kq --help');
  });
});

describe('kq output into a closed pipe', () => {
  // A demo writes line by line as it runs, so its later writes hit the closed pipe (a short `kq list` could be
  // written whole before the reader closes, and would prove nothing).
  it('stops quietly when the reader goes away (kq demo log-anatomy | head -1)', async () => {
    const { spawn } = await import('node:child_process');
    const { kqBin } = await import('./run-kq.js');
    const child = spawn(process.execPath, [kqBin, 'demo', 'log-anatomy'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // read the first chunk, then close our end, as head does
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
