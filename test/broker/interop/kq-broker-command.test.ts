import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { defaultDataDir } from '../../../src/cli/commands/broker.js';
import { kqBin, startBrokerProcess } from '../support/broker-process.js';
import type { BrokerProcess } from '../support/broker-process.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { batchOf, metadata, produce } from '../../../src/broker/client/request-builders.js';

let dataDir: string;
const processes: BrokerProcess[] = [];
let blocker: Server | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'kq-cli-'));
});

afterEach(async () => {
  for (const p of processes.splice(0)) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

function runKqBroker(args: string[]) {
  return spawnSync(process.execPath, [kqBin, 'broker', ...args], {
    encoding: 'utf8',
    timeout: 10_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('kq broker', () => {
  it('defaults the data dir to $KQ_HOME/broker, else the platform data dir for kq', () => {
    const saved = process.env.KQ_HOME;
    try {
      process.env.KQ_HOME = '/somewhere/kq-home';
      expect(defaultDataDir()).toBe('/somewhere/kq-home/broker');
      delete process.env.KQ_HOME;
      expect(defaultDataDir()).toMatch(/kq[/\\]broker$/);
    } finally {
      if (saved === undefined) delete process.env.KQ_HOME;
      else process.env.KQ_HOME = saved;
    }
  });

  it('prints "listening on", logs connections and topic creation, and closes cleanly on SIGTERM with exit 0', async () => {
    const proc = await startBrokerProcess(['--data-dir', dataDir]);
    processes.push(proc);
    const client = await RawKafkaClient.connect(proc.port);
    // a producer's Metadata auto-creates the topic (a Produce alone never does, as in Kafka)
    await client.request(ApiKey.Metadata, 8, metadata(['cli-topic']));
    await client.request(ApiKey.Produce, 8, produce('cli-topic', batchOf(['x'])));
    client.close();
    await client.closed;
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    processes.length = 0;
    expect(proc.stderr()).toMatch(/connection opened 127\.0\.0\.1:\d+/);
    expect(proc.stderr()).toMatch(/topic created cli-topic with 1 partition\(s\) \(auto-created\)/);
    expect(existsSync(join(dataDir, 'cli-topic-0', '.kafka_cleanshutdown'))).toBe(true);
  });

  it('exits 3 with a clear message when the port is in use', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) =>
      blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)),
    );
    const run = runKqBroker(['--port', String(port), '--data-dir', dataDir]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
    expect(run.stderr).toContain('already in use');
  });

  it.each([
    [['--config', 'num.partition=3'], /unknown broker config 'num.partition': did you mean num.partitions/],
    [['--config', 'num.partitions=many'], /expected an integer ≥ 1/],
    [['--port', 'http'], /expected a port number/],
  ])('exits 2 on %j and says what is allowed', (args, message) => {
    const run = runKqBroker([...args, '--data-dir', dataDir]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a data dir another live broker holds (exit 3)', async () => {
    const proc = await startBrokerProcess(['--data-dir', dataDir]);
    processes.push(proc);
    const run = runKqBroker(['--port', '0', '--data-dir', dataDir]);
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`in use by another broker (pid ${proc.child.pid})`);
  });
});
