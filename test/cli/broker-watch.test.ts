import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntilTopicServed } from '../../src/broker/index.js';
import { TmuxTerminal, hasTmux } from '../support/tmux-terminal.js';
import { kqBin, runKq } from './run-kq.js';

/**
 * `kq broker --brokers 3 --watch`, the live view of issue 13 item 4, through the built binary on a real 3-node
 * cluster: plain lines and stdin commands when not a terminal, the ink view in tmux at 80×24. Each test writes
 * records, SIGKILLs the partition's leader from the view (the fault commands of `kq broker --faults`), sees the
 * leader change and the node come back when healed; in tmux also a link fault (the node cut from its clients). Every node pid the view printed is SIGKILLed (its process group) after the test, whatever happened.
 */
const FAST_FAILOVER = [
  '-c',
  'broker.session.timeout.ms=3000',
  '-c',
  'broker.heartbeat.interval.ms=500',
  '-c',
  'replica.lag.time.max.ms=2000',
];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitUntil(what: string, test: () => boolean | Promise<boolean>, timeoutMs: number, detail = () => '') {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Creates a 3-replica topic and writes 5 records with acks=all through the cluster at `bootstrap`. */
async function writeRecords(bootstrap: string, topic: string): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  const admin = kafka.admin();
  const producer = kafka.producer();
  try {
    await admin.connect();
    // kafkajs' waitForLeaders may ask a broker still applying the topic's records: wait until every broker serves it
    await admin.createTopics({ waitForLeaders: false, topics: [{ topic, numPartitions: 1, replicationFactor: 3 }] });
    await waitUntilTopicServed(bootstrap, [topic]);
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [1, 2, 3, 4, 5].map((i) => ({ value: `r${i}` })) });
  } finally {
    await producer.disconnect();
    await admin.disconnect();
  }
}

describe('kq broker --brokers 3 --watch', () => {
  const pids = new Set<number>();
  let child: ChildProcess | undefined;
  let terminal: TmuxTerminal | undefined;
  let dir: string | undefined;
  afterEach(() => {
    terminal?.close();
    terminal = undefined;
    for (const pid of [...pids, ...(child?.pid ? [child.pid] : [])]) {
      try {
        process.kill(-pid, 'SIGKILL'); // each node is its own process group
      } catch {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
    pids.clear();
    child = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses --watch without a cluster, naming the form that works (exit 2)', () => {
    const run = runKq(['broker', '--watch', '--port', '0']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--brokers 3 --watch');
  });

  it('without a terminal: prints a line per change and takes fault commands on stdin', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kq-watch-'));
    child = spawn(
      process.execPath,
      [kqBin, 'broker', '--brokers', '3', '--port', '0', '--watch', '--data-dir', join(dir, 'data'), ...FAST_FAILOVER],
      { detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const m of out.matchAll(/pid (\d+)/g)) pids.add(Number(m[1]));
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    let exitCode: number | null | undefined;
    child.once('exit', (code) => (exitCode = code));
    const lines = () => out.split('\n');
    const shown = () => `stdout:\n${out}\nstderr:\n${err.slice(-2000)}`;
    await waitUntil('the three nodes running', () => /^node 3 running/m.test(out), 60_000, shown);
    expect(out).toMatch(
      /^watching 127\.0\.0\.1:\d+ every 1000 ms; commands: kill N, stop N, pause N, power-loss N, cut A B/m,
    );
    const bootstrap = /^listening on (\S+)$/m.exec(out)![1]!;

    await writeRecords(bootstrap, 'watched');
    // every replica at LEO 5 with HW 5: the three cells of the partition's line; the ISR at min ISR, so no ELR (KIP-966)
    const caughtUp =
      /^partition watched-0 leader (\d) epoch (\d+) isr \[[123],[123],[123]\] elr \[\] leo\/hw (\d:5\/5 ?){3}$/m;
    await waitUntil('the partition line with every replica at 5/5', () => caughtUp.test(out), 20_000, shown);
    const [, leaderText, epochText] = caughtUp.exec(out)!;
    const leader = Number(leaderText);
    const epoch = Number(epochText);

    child.stdin!.write(`kill ${leader}\n`);
    await waitUntil(`node ${leader} killed`, () => lines().includes(`ok injected kill node ${leader}`), 20_000, shown);
    await waitUntil(
      `the line of node ${leader} killed`,
      () => new RegExp(`^node ${leader} killed `, 'm').test(out),
      10_000,
      shown,
    );
    // the controller fences the dead leader after broker.session.timeout.ms and elects another replica
    const reelected = new RegExp(`^partition watched-0 leader (?!${leader})\\d epoch (\\d+) `, 'm');
    await waitUntil('a new leader in a higher epoch', () => reelected.test(out), 30_000, shown);
    expect(Number(reelected.exec(out)![1])).toBeGreaterThan(epoch);

    child.stdin!.write(`heal ${leader}\nkill 9\nsplit 1\n`);
    await waitUntil(`node ${leader} back`, () => lines().includes(`ok healed kill node ${leader}`), 60_000, shown);
    // running again: a node line after the last one that said killed (the first 'running' lines are from the start)
    const healedLine = () =>
      out.slice(out.lastIndexOf(`\nnode ${leader} killed `)).match(new RegExp(`^node ${leader} running `, 'm'));
    await waitUntil(`the line of node ${leader} running again`, () => healedLine() !== null, 10_000, shown);
    expect(lines()).toContain('error no node 9: the nodes are 1, 2, 3');
    expect(out).toMatch(/^error expected one of: kill N, stop N, .*; got "split 1"$/m);
    // the faults in force, as a line whenever they change
    expect(out).toMatch(new RegExp(`^faults kill node ${leader}$`, 'm'));
    await waitUntil('the faults line back to none', () => /^faults none$/m.test(out), 10_000, shown);

    child.stdin!.write('quit\n');
    await waitUntil('kq exiting after quit', () => exitCode !== undefined, 60_000, shown);
    expect(exitCode).toBe(0);
    expect(err).toContain('watch ended: stopping 3 brokers');
    for (const pid of pids) await waitUntil(`node pid ${pid} gone`, () => !alive(pid), 15_000);
  }, 180_000);

  it.skipIf(!hasTmux)(
    'in a terminal of 80×24: the ink view, a SIGKILL by key and the heal',
    async () => {
      dir = mkdtempSync(join(tmpdir(), 'kq-watch-tmux-'));
      terminal = new TmuxTerminal(
        80,
        24,
        [
          process.execPath,
          kqBin,
          'broker',
          '--brokers',
          '3',
          '--port',
          '0',
          '--watch',
          '--data-dir',
          join(dir, 'data'),
          ...FAST_FAILOVER,
        ],
        { NO_COLOR: '1' },
      );
      const t = terminal;
      const first = await t.waitFor(/node 3 running/, 60_000);
      for (const m of first.matchAll(/pid (\d+)/g)) pids.add(Number(m[1]));
      const bootstrap = /bootstrap (\S+)/.exec(first)![1]!;
      expect(first).toContain('1-3 node · k kill · s stop · p pause · w power loss · c cut from clients');
      expect(first).toContain('faults: none');
      expect(first).toContain('why (latest decisions, newest last)');

      await writeRecords(bootstrap, 'watched');
      const row = /^watched-0\s+(\d)\s+(\d+) \[[123],[123],[123]\]\s+\[\]\s+\d:5\/5 \d:5\/5 \d:5\/5/m;
      const table = await t.waitFor(row, 20_000);
      expect(table).toMatch(/^partition\s+ldr epoch ISR\s+ELR\s+LEO\/HW per replica\s+rec\/s$/m);
      for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      const [, leaderText, epochText] = row.exec(table)!;
      const leader = Number(leaderText);

      t.type(`${leader}k`); // keys typed together: pick the leader, then kill it
      await t.waitFor(`injected kill node ${leader}`, 20_000);
      await t.waitFor(`faults: kill node ${leader}`, 10_000);
      await t.waitFor(new RegExp(`node ${leader} killed `), 10_000);
      const after = await t.waitFor(new RegExp(`^watched-0\\s+(?!${leader}\\s)\\d\\s+(\\d+) `, 'm'), 30_000);
      const newEpoch = Number(new RegExp(`^watched-0\\s+\\d\\s+(\\d+) `, 'm').exec(after)![1]);
      expect(newEpoch).toBeGreaterThan(Number(epochText));
      // the why panel names the decision: the controller fenced the dead leader and elected another replica
      const why = await t.waitFor(/^node \d watched-0 election: elected [123]/m, 30_000);
      for (const line of why.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

      t.type('h');
      await t.waitFor(`healed kill node ${leader}`, 60_000);
      await t.waitFor('faults: none', 10_000);
      const healed = await t.waitFor(new RegExp(`node ${leader} running `), 10_000);
      for (const m of healed.matchAll(/pid (\d+)/g)) pids.add(Number(m[1]));

      // a link fault through the proxies: the healed node cut from its clients, then healed again
      t.type('c');
      await t.waitFor(`faults: link node ${leader} <-> clients: cut`, 20_000);
      t.type('h');
      await t.waitFor(`healed link node ${leader} <-> clients: cut`, 20_000);
      await t.waitFor('faults: none', 10_000);

      t.type('q');
      await t.waitFor('kq exited 0', 60_000);
      for (const pid of pids) await waitUntil(`node pid ${pid} gone`, () => !alive(pid), 15_000);
    },
    180_000,
  );
});
