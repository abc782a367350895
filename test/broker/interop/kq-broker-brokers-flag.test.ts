import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kqBin, startBrokerProcess } from '../support/broker-process.js';
import type { BrokerProcess } from '../support/broker-process.js';

const dirs: string[] = [];
const processes: BrokerProcess[] = [];
afterEach(async () => {
  for (const p of processes.splice(0)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kq-brokers-'));
  dirs.push(d);
  return d;
}

function runKqBroker(args: string[]) {
  return spawnSync(process.execPath, [kqBin, 'broker', '--port', '0', '--data-dir', dataDir(), ...args], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('kq broker --brokers', () => {
  it.each([['0'], ['6'], ['two']])('refuses --brokers %s with exit 2, naming the valid counts', (value) => {
    const run = runKqBroker(['--brokers', value]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/1, 2, 3, 4 or 5/);
  });

  it('says plainly that more than one broker needs the KRaft controller (exit 1), and starts nothing', () => {
    const run = runKqBroker(['--brokers', '3']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/KRaft controller/);
    expect(run.stdout).toBe('');
  });

  it('with one broker prints "listening on" first, then the node line with its id and pid', async () => {
    const proc = await startBrokerProcess([
      '--data-dir',
      dataDir(),
      '--brokers',
      '1',
      '--replication-factor',
      '1',
      '--min-insync-replicas',
      '1',
      '--config',
      'broker.id=4',
    ]);
    processes.push(proc);
    await expect
      .poll(() => proc.stdout(), { timeout: 5000 })
      .toMatch(
        new RegExp(
          `^listening on ${proc.bootstrap}\\nbroker 4 listening on ${proc.bootstrap} pid ${proc.child.pid}\\n`,
        ),
      );
  });
});
