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
