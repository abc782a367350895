import { spawn, type ChildProcess } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchKafka } from '../../src/kafka/index.js';
import { kqBin, runKq } from '../cli/run-kq.js';
import { useTempDir } from '../support/temp-dir.js';
import { isAlive, kcatMetadata, pidsMentioning } from './support.js';
import { waitUntil } from '../../src/broker/utils/wait-until.js';

beforeAll(() => {
  fetchKafka();
}, 600_000);

/** Starts `kq kafka start …` in its own process group and collects its output. */
function startKq(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [kqBin, 'kafka', 'start', ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KAFKA_HOME: '', NO_COLOR: '1' },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** The test's own cleanup: the kq process group, if it is still there. */
function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

const LISTENING = /^kafka (\d) listening on 127\.0\.0\.1:(\d+) pid (\d+)$/gm;

describe('kq kafka start', () => {
  const temp = useTempDir();

  it('prints one listening line per node, serves Metadata, and stops every JVM on SIGTERM (exit 0)', async () => {
    const kq = startKq(['--data-dir', temp()]);
    try {
      await waitUntil(
        () => LISTENING.test(kq.stdout()) || kq.child.exitCode !== null,
        'kq kafka start to print its line',
        120_000,
      );
      LISTENING.lastIndex = 0;
      const [line] = [...kq.stdout().matchAll(LISTENING)];
      expect(line, kq.stderr()).toBeDefined();
      const [, nodeId, port, pid] = line!;
      expect(nodeId).toBe('1');
      expect(kcatMetadata(`127.0.0.1:${port}`).brokers).toEqual([{ id: 1, name: `127.0.0.1:${port}` }]);
      // stderr is another pipe: its "ready" line may be read a moment after stdout's listening line
      const READY = /Apache Kafka 4\.\d+\.\d+ \(cache: .*\) ready in \d+ ms after \d+ ms formatting storage/;
      await waitUntil(() => READY.test(kq.stderr()), 'the ready line on stderr', 10_000).catch(() => undefined);
      expect(kq.stderr()).toMatch(READY);

      process.kill(kq.child.pid!, 'SIGTERM');
      expect(await exitOf(kq.child)).toEqual({ code: 0, signal: null });
      expect(kq.stderr()).toMatch(/SIGTERM: stopping 1 node\(s\)\nstopped\n$/);
      expect(isAlive(Number(pid))).toBe(false);
    } finally {
      killGroup(kq.child);
    }
  }, 180_000);

  it('leaves no JVM behind when kq itself is SIGKILLed (the reaper kills the node)', async () => {
    const kq = startKq(['--data-dir', temp()]);
    try {
      await waitUntil(() => /listening/.test(kq.stdout()) || kq.child.exitCode !== null, 'the listening line', 120_000);
      const pid = Number(/pid (\d+)/.exec(kq.stdout())?.[1]);
      expect(isAlive(pid), kq.stderr()).toBe(true);
      process.kill(kq.child.pid!, 'SIGKILL');
      await waitUntil(() => !isAlive(pid), `the reaper to kill JVM ${pid}`, 20_000);
      expect(pidsMentioning(temp())).toEqual([]);
    } finally {
      killGroup(kq.child);
    }
  }, 180_000);

  it('exits 3 naming JAVA_HOME when there is no usable Java', () => {
    const run = runKq(['kafka', 'start'], { env: { JAVA_HOME: '/nonexistent-jdk' } });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/no usable Java found .*set JAVA_HOME/);
  });

  it('exits 3 when KAFKA_HOME is not a Kafka release', () => {
    const run = runKq(['kafka', 'start'], { env: { KAFKA_HOME: temp() } });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/does not look like an Apache Kafka release/);
  });

  it('exits 2 for a broker count other than 1 or 3, naming the choices', () => {
    const run = runKq(['kafka', 'start', '--brokers', '2']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Allowed choices are 1, 3/);
  });
});
