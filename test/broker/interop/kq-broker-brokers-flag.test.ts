import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kqBin, startBrokerProcess } from '../support/broker-process.js';
import type { BrokerProcess } from '../support/broker-process.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const dirs: string[] = [];
const processes: BrokerProcess[] = [];
/** The nodes a `--brokers N` run started (each in its own process group): killed if the test failed early. */
const childPids: number[] = [];
afterEach(async () => {
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

  it('with --brokers 3 runs three KRaft nodes that form one cluster, and SIGTERM stops every one of them', async () => {
    const proc = await startBrokerProcess(
      ['--data-dir', dataDir(), '--brokers', '3', '--config', 'broker.heartbeat.interval.ms=100'],
      60_000,
    );
    processes.push(proc);
    await expect.poll(() => proc.stdout(), { timeout: 30_000 }).toMatch(/^broker 3 listening on /m);
    const lines = proc.stdout().trim().split('\n');
    expect(lines[0]).toBe(`listening on ${proc.bootstrap}`);
    const nodes = lines.slice(1).map((line) => /^broker (\d) listening on (\S+):(\d+) pid (\d+)$/.exec(line));
    expect(nodes.map((m) => m?.[1])).toEqual(['1', '2', '3']);
    childPids.push(...nodes.map((m) => Number(m?.[4])));
    // Every node answers Metadata from the same metadata log: three unfenced brokers.
    for (const m of nodes) {
      const client = await RawKafkaClient.connect(Number(m?.[3]));
      const metadata = await client.request(ApiKey.Metadata, 12, {
        topics: [],
        allowAutoTopicCreation: false,
        includeClusterAuthorizedOperations: false,
        includeTopicAuthorizedOperations: false,
      });
      client.close();
      expect(metadata.brokers.map((b) => b.nodeId).sort()).toEqual([1, 2, 3]);
    }
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    for (const pid of childPids) expect(alive(pid), `node pid ${pid} is gone`).toBe(false);
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
