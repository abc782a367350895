/**
 * `npm run bench:failover [-- --rounds N] [-- --defaults] [-- --session MS]`: what a client sees when a combined
 * KRaft node dies in a 3-node `kq broker` cluster (child processes, Raft over 127.0.0.1).
 *
 * Each round starts three nodes (KafkaCluster, child-process mode), creates a topic with one partition per node
 * (RF=3, min.insync.replicas=2), finds the active controller, SIGKILLs that node — which also leads one partition
 * and is in every ISR — and records, from the kill, a timeline seen from outside:
 *   quorum     a survivor answers DescribeQuorum with a new leader in a higher epoch
 *   fenced     every survivor's Metadata shows the killed node's partition led by a survivor
 *   produce    the first acks=all Produce to that partition is acknowledged (a new attempt every 20 ms to every
 *              survivor, as a client with a tiny retry backoff would)
 *   survivor   the first acks=all Produce to a partition the killed node did NOT lead is acknowledged (it waits for
 *              the killed node to leave the ISR too)
 * Short settings unless --defaults: heartbeat 100 ms, session 1000 ms (--session), election 300 ms, fetch 600 ms.
 * Wall-clock times on a shared machine: say the load beside the figure.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { RawKafkaClient } from '../src/broker/client/raw-kafka-client.js';
import { batchOf, createTopics, metadata, produce } from '../src/broker/client/request-builders.js';
import { KafkaCluster } from '../src/broker/cluster/kafka-cluster.js';
import { ApiKey } from '../src/broker/protocol/api-keys.js';
import type { ApiRequest, ApiResponse } from '../src/broker/protocol/api-registry.js';
import { ErrorCode } from '../src/broker/protocol/error-codes.js';
import { median } from './bench-support.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const rounds = Number(option('--rounds') ?? 3) || 3;
const defaults = args.includes('--defaults');
const sessionMs = Number(option('--session') ?? (defaults ? 9000 : 1000));
const config: Record<string, number> = defaults
  ? { 'broker.session.timeout.ms': sessionMs }
  : {
      'broker.heartbeat.interval.ms': 100,
      'broker.session.timeout.ms': sessionMs,
      'controller.quorum.election.timeout.ms': 300,
      'controller.quorum.fetch.timeout.ms': 600,
      'replica.fetch.wait.max.ms': 50,
      'replica.fetch.backoff.ms': 50,
    };
// run-ts bundles this script into a temporary folder: find bin/kq.js from where npm runs it.
const kqBin = join(process.cwd(), 'bin', 'kq.js');
const TOPIC = 'failover';

interface Timeline {
  quorum: number;
  fenced: number;
  produce: number;
  survivor: number;
}

/** One connection per node, reopened after a failure; every call is bounded. */
class Clients {
  readonly #clients = new Map<number, RawKafkaClient>();
  constructor(private readonly ports: Map<number, number>) {}

  async request<K extends ApiKey>(id: number, key: K, version: number, body: ApiRequest<K>): Promise<ApiResponse<K>> {
    let client = this.#clients.get(id);
    try {
      if (!client || client.isClosed) {
        client = await RawKafkaClient.connect(this.ports.get(id)!);
        this.#clients.set(id, client);
      }
      return await client.request(key, version, body, 2000);
    } catch (error) {
      client?.close();
      this.#clients.delete(id);
      throw error;
    }
  }

  close(): void {
    for (const c of this.#clients.values()) c.close();
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function leaders(clients: Clients, id: number): Promise<Map<number, number> | undefined> {
  const response = await clients.request(id, ApiKey.Metadata, 12, metadata([TOPIC], false));
  const topic = response.topics[0];
  if (!topic || topic.errorCode !== ErrorCode.NONE) return undefined;
  return new Map(topic.partitions.map((p) => [p.partitionIndex, p.leaderId]));
}

async function quorumLeader(clients: Clients, id: number): Promise<{ leaderId: number; epoch: number } | undefined> {
  const response = await clients.request(id, ApiKey.DescribeQuorum, 1, {
    topics: [{ topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] }],
  });
  const p = response.topics[0]?.partitions[0];
  return p && p.errorCode === ErrorCode.NONE ? { leaderId: p.leaderId, epoch: p.leaderEpoch } : undefined;
}

async function produceAnywhere(clients: Clients, ids: number[], partition: number): Promise<true | undefined> {
  const answers = await Promise.all(
    ids.map((id) =>
      clients
        .request(id, ApiKey.Produce, 9, produce(TOPIC, batchOf(['x']), { acks: -1, partition }))
        .then((r) => {
          const code = r.responses[0]?.partitions[0]?.errorCode;
          return code === ErrorCode.NONE;
        })
        .catch(() => false),
    ),
  );
  return answers.some(Boolean) ? true : undefined;
}

const trace = args.includes('--trace');

async function round(): Promise<Timeline> {
  // Each node's log lines (quorum leader changes, controller decisions) with the time they reached us.
  const logs: Array<{ at: number; id: number; line: string }> = [];
  const cluster = await KafkaCluster.start({
    onNodeLog: (id, line) => {
      if (/quorum leader|controller/.test(line))
        logs.push({ at: performance.now(), id, line: line.replace(/^\S+ /, '') });
    },
    brokers: 3,
    mode: 'child-process',
    nodeCommand: [process.execPath, kqBin, 'broker'],
    config,
    startTimeoutMs: 60_000,
  });
  const ports = new Map(cluster.info().map((n) => [n.id, n.port]));
  const clients = new Clients(ports);
  try {
    const ids = [...ports.keys()];
    await until('the topic', async () => {
      const r = await clients.request(
        ids[0]!,
        ApiKey.CreateTopics,
        7,
        createTopics([
          { name: TOPIC, numPartitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
        ]),
      );
      const code = r.topics[0]?.errorCode;
      return code === ErrorCode.NONE || code === ErrorCode.TOPIC_ALREADY_EXISTS ? true : undefined;
    });
    const before = await until('every partition led everywhere', async () => {
      const views = await Promise.all(ids.map((id) => leaders(clients, id)));
      const first = views[0];
      if (!first || first.size !== 3 || [...first.values()].some((l) => l < 0)) return undefined;
      return views.every((v) => v && [...v].every(([p, l]) => first.get(p) === l)) ? first : undefined;
    });
    // Every partition takes an acks=all write first: all replicas are fetching and in the ISR.
    for (const p of before.keys())
      await until(`a first write to partition ${p}`, () => produceAnywhere(clients, ids, p));
    const controller = await until('the active controller', () => quorumLeader(clients, ids[0]!));
    const victim = controller.leaderId;
    const victimPartition = [...before].find(([, l]) => l === victim)?.[0];
    const otherPartition = [...before].find(([, l]) => l !== victim)?.[0];
    if (victimPartition === undefined || otherPartition === undefined)
      throw new Error(
        `node ${victim} should lead one partition and not all: leaders ${[...before.values()].join(', ')}`,
      );
    const survivors = ids.filter((id) => id !== victim);
    const t0 = performance.now();
    await cluster.kill(victim);
    const since = () => performance.now() - t0;
    const timeline: Partial<Timeline> = {};
    await Promise.all([
      until('a new quorum leader', async () => {
        const q = await quorumLeader(clients, survivors[0]!);
        return q && q.leaderId !== victim && q.epoch > controller.epoch ? true : undefined;
      }).then(() => (timeline.quorum = since())),
      until('the partition moved on every survivor', async () => {
        const views = await Promise.all(survivors.map((id) => leaders(clients, id)));
        return views.every((v) => v && survivors.includes(v.get(victimPartition) ?? -1)) ? true : undefined;
      }).then(() => (timeline.fenced = since())),
      until('an acks=all write to the moved partition', () =>
        produceAnywhere(clients, survivors, victimPartition),
      ).then(() => (timeline.produce = since())),
      until('an acks=all write to a partition that stayed', () =>
        produceAnywhere(clients, survivors, otherPartition),
      ).then(() => (timeline.survivor = since())),
    ]);
    if (trace)
      for (const l of logs.filter((l) => l.at >= t0))
        console.log(`    +${(l.at - t0).toFixed(0)} ms node ${l.id}: ${l.line}`);
    return timeline as Timeline;
  } finally {
    clients.close();
    await cluster.close();
  }
}

console.log(
  `Combined-node failover: 3 kq nodes as child processes, the active controller (also a partition leader) SIGKILLed; ` +
    `${rounds} rounds; ${Object.entries(config)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}${defaults ? ' (other settings: Kafka defaults)' : ''}; load ${loadavg()[0]!.toFixed(1)}`,
);
const results: Timeline[] = [];
for (let i = 0; i < rounds; i++) {
  const t = await round();
  results.push(t);
  console.log(
    `  round ${i + 1}: quorum ${t.quorum.toFixed(0)} ms, partition moved ${t.fenced.toFixed(0)} ms, ` +
      `acks=all on it ${t.produce.toFixed(0)} ms, acks=all elsewhere ${t.survivor.toFixed(0)} ms`,
  );
}
const p50 = (k: keyof Timeline) => median(results.map((r) => r[k])).toFixed(0);
console.log(
  `median: quorum ${p50('quorum')} ms | partition moved ${p50('fenced')} ms | first acks=all produce on it ${p50('produce')} ms | elsewhere ${p50('survivor')} ms (load ${loadavg()[0]!.toFixed(1)})`,
);
