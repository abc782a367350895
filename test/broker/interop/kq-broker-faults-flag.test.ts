import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { startBrokerProcess } from '../support/broker-process.js';
import type { BrokerProcess } from '../support/broker-process.js';

const dirs: string[] = [];
const processes: BrokerProcess[] = [];
const childPids: number[] = [];
const clients: RawKafkaClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const pid of childPids.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const p of processes.splice(0)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('kq broker --faults: fault commands on stdin', () => {
  it('injects and heals what each line names, refuses an unknown node without changing anything, and stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kq-faults-cli-'));
    dirs.push(dir);
    const proc = await startBrokerProcess(['--data-dir', dir, '--faults'], 30_000);
    processes.push(proc);
    await expect.poll(() => proc.stdout(), { timeout: 30_000 }).toMatch(/^broker 1 listening on .* pid (\d+)$/m);
    childPids.push(Number(/^broker 1 listening on .* pid (\d+)$/m.exec(proc.stdout())![1]));
    const client = await RawKafkaClient.connect(proc.port);
    clients.push(client);
    const ask = (timeoutMs: number) =>
      client.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'kq', clientSoftwareVersion: '1' }, timeoutMs);
    await ask(5000);

    proc.child.stdin.write('kill 9\n');
    await expect.poll(() => proc.stderr(), { timeout: 10_000 }).toMatch(/refused: no node 9: the nodes are 1/);
    proc.child.stdin.write('faults\n');
    await expect.poll(() => proc.stderr(), { timeout: 10_000 }).toMatch(/no faults/);

    proc.child.stdin.write('drop 1 clients 1\n');
    await expect.poll(() => proc.stderr(), { timeout: 10_000 }).toMatch(/injected link node 1 <-> clients: drop 1/);
    await expect(ask(300)).rejects.toThrow(/response/);
    proc.child.stdin.write('heal\n');
    await expect.poll(() => proc.stderr(), { timeout: 10_000 }).toMatch(/healed everything/);
    const fresh = await RawKafkaClient.connect(proc.port);
    clients.push(fresh);
    await fresh.request(ApiKey.ApiVersions, 3, { clientSoftwareName: 'kq', clientSoftwareVersion: '1' });

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  }, 60_000);
});
