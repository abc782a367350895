/**
 * `npm run bench:raft [-- --rounds N] [-- --short]`: KRaft controller failover time on kq.
 *
 * Each round starts three KRaft voters in this process (KafkaBrokers on 127.0.0.1 with a KafkaRaftManager each,
 * talking over real sockets), waits for a leader and a first committed append, then takes the leader away and
 * measures, from that moment:
 *   elected      until the two survivors agree on a new leader in a higher epoch
 *   committed    until a record appended at the new leader is committed (high watermark past it)
 * in two ways: `kill` (the leader's sockets close without a word: the followers notice by their fetch timeout) and
 * `resign` (a controlled shutdown: EndQuorumEpoch names the successors, who run at once).
 * Timeouts are Kafka's defaults (election 1000 ms, fetch 2000 ms) unless --short (200 / 400 ms).
 * Run it on a quiet machine and more than once: the numbers are wall-clock times.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaRaftManager } from '../src/broker/raft/kafka-raft-manager.js';
import type { QuorumVoter } from '../src/broker/raft/quorum-config.js';
import type { RecordSerde } from '../src/broker/raft/raft-client.js';
import { KafkaBroker } from '../src/broker/server/kafka-broker.js';

const args = process.argv.slice(2);
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 5) || 5;
const short = args.includes('--short');
const timeouts = short
  ? { electionTimeoutMs: 200, fetchTimeoutMs: 400, requestTimeoutMs: 400, fetchMaxWaitMs: 100 }
  : { electionTimeoutMs: 1000, fetchTimeoutMs: 2000, requestTimeoutMs: 2000, fetchMaxWaitMs: 500 };

const serde: RecordSerde<string> = {
  write: (r) => Buffer.from(r, 'utf8'),
  read: (b) => b.toString('utf8'),
};

interface Node {
  id: number;
  broker: KafkaBroker;
  manager: KafkaRaftManager<string>;
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return performance.now();
}

function leaderOf(nodes: Node[]): Node | undefined {
  const views = nodes.map((n) => n.manager.leaderAndEpoch());
  const first = views[0]!;
  if (first.leaderId < 0 || !views.every((v) => v.leaderId === first.leaderId && v.epoch === first.epoch)) return;
  const leader = nodes.find((n) => n.id === first.leaderId);
  return leader?.manager.describe().state === 'Leader' ? leader : undefined;
}

async function round(mode: 'kill' | 'resign'): Promise<{ elected: number; committed: number }> {
  const root = mkdtempSync(join(tmpdir(), 'kq-bench-raft-'));
  const nodes: Node[] = [];
  try {
    for (const id of [1, 2, 3]) {
      const dataDir = join(root, `node-${id}`);
      const manager = KafkaRaftManager.open<string>(dataDir, {
        nodeId: id,
        // Ports are learned once every node has bound its ephemeral port (setVoterEndpoint below).
        voters: [1, 2, 3].map((v) => ({ id: v, host: '127.0.0.1', port: 0 })),
        serde,
        ...timeouts,
        onListenerError: () => {},
      });
      const broker = await KafkaBroker.start({ dataDir, config: { 'node.id': id }, raft: manager });
      nodes.push({ id, broker, manager });
    }
    const voters: QuorumVoter[] = nodes.map((n) => ({ id: n.id, host: '127.0.0.1', port: n.broker.port }));
    for (const n of nodes) for (const v of voters) n.manager.setVoterEndpoint(v);
    return await measure(nodes, mode);
  } finally {
    for (const n of nodes) {
      await n.manager.shutdown({ resign: false });
      await n.broker.close();
    }
    rmSync(root, { recursive: true, force: true });
  }
}

async function measure(nodes: Node[], mode: 'kill' | 'resign'): Promise<{ elected: number; committed: number }> {
  for (const n of nodes) n.manager.startup();
  await until(() => leaderOf(nodes) !== undefined, 'a first leader');
  const old = leaderOf(nodes)!;
  const oldEpoch = old.manager.leaderAndEpoch().epoch;
  const first = old.manager.scheduleAtomicAppend(oldEpoch, ['before']);
  await until(() => nodes.every((n) => n.manager.highWatermark > first), 'the first record committed everywhere');
  const survivors = nodes.filter((n) => n !== old);
  const t0 = performance.now();
  await old.manager.shutdown({ resign: mode === 'resign' });
  await old.broker.close();
  const elected = await until(() => {
    const next = leaderOf(survivors);
    return next !== undefined && next.manager.leaderAndEpoch().epoch > oldEpoch;
  }, 'a new leader');
  const next = leaderOf(survivors)!;
  const offset = next.manager.scheduleAtomicAppend(next.manager.leaderAndEpoch().epoch, ['after']);
  const committed = await until(() => next.manager.highWatermark > offset, 'the first commit of the new leader');
  nodes.splice(nodes.indexOf(old), 1);
  return { elected: elected - t0, committed: committed - t0 };
}

const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

console.log(
  `KRaft controller failover, 3 in-process voters over 127.0.0.1, ${rounds} rounds per mode, ` +
    `election.timeout=${timeouts.electionTimeoutMs} ms fetch.timeout=${timeouts.fetchTimeoutMs} ms`,
);
for (const mode of ['kill', 'resign'] as const) {
  const results: { elected: number; committed: number }[] = [];
  for (let i = 0; i < rounds; i++) results.push(await round(mode));
  const e = results.map((r) => r.elected);
  const c = results.map((r) => r.committed);
  console.log(
    `${mode.padEnd(6)} elected p50 ${pct(e, 50).toFixed(0)} ms max ${Math.max(...e).toFixed(0)} ms | ` +
      `first commit p50 ${pct(c, 50).toFixed(0)} ms max ${Math.max(...c).toFixed(0)} ms`,
  );
}
