import { Kafka, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KafkaCluster,
  describePlan,
  planFaults,
  readReplicaRecords,
  runFaultPlan,
  waitUntil,
  waitUntilTopicServed,
} from '../broker/index.js';
import type { NodeDescription } from '../broker/index.js';
import { check } from './checker.js';
import type { CheckResult } from './checker.js';
import type { History, ReplicaCopy, WriteAttempt } from './history.js';
import { LiveReader, readToEnd } from './live-reader.js';
import type { Scenario } from './scenarios.js';

/** Failure detection in seconds, not tens of seconds, so a run's faults fit in it (as kraft-child-failover). */
export const CHAOS_BROKER_CONFIG = {
  'broker.heartbeat.interval.ms': 100,
  'broker.session.timeout.ms': 1000,
  'controller.quorum.election.timeout.ms': 300,
  'controller.quorum.fetch.timeout.ms': 600,
  'replica.fetch.wait.max.ms': 50,
  'replica.fetch.backoff.ms': 50,
  'replica.lag.time.max.ms': 2000,
} as const;

const TOPIC = 'chaos';

/** A kafkajs send given up on after SEND_DEADLINE_MS (see the produce loop). */
class StuckSend extends Error {
  constructor() {
    super('stuck send');
  }
}
/** A send that has neither succeeded nor failed by then is given up on (see the produce loop). */
const SEND_DEADLINE_MS = 60_000;

export interface ChaosRunOptions {
  readonly scenario: Scenario;
  readonly seed: number;
  /** At least this many records are written (more if the fault plan outlasts them). */
  readonly writes: number;
  /** How to run one `kq broker` node: `[node, bin/kq.js, 'broker']`. */
  readonly nodeCommand: readonly string[];
  readonly producers?: number;
  /** Records per send. */
  readonly batch?: number;
  readonly partitions?: number;
  /** Faults in the plan (one at a time). */
  readonly faults?: number;
  readonly log?: (line: string) => void;
}

export interface ChaosRunReport {
  readonly scenario: string;
  readonly seed: number;
  readonly plan: readonly string[];
  readonly faultLog: readonly string[];
  readonly result: CheckResult;
  readonly notes: readonly string[];
  readonly durationMs: number;
}

/**
 * One Jepsen-style run (issue 13 item 5): a 3-node kq cluster (child processes, faults on), a topic with RF 3 and
 * min.insync.replicas 2, producers writing unique values (`p<producer>-<seq>`, key `k<producer>`, one send at a
 * time each) with the scenario's acks and idempotence, a live reader fetching from the leaders throughout, and the
 * scenario's seeded fault plan running meanwhile. Then every fault is healed, the replicas converge, everything is
 * read back from the leaders (raw Fetches, readToEnd), the nodes are SIGKILLed (their files are whole) and each
 * replica's files are read. The History goes to the checker. Owns its cluster, clients and data dir, and removes
 * them whatever happens.
 */
export async function runChaos(options: ChaosRunOptions): Promise<ChaosRunReport> {
  const { scenario, seed } = options;
  const producersN = options.producers ?? 3;
  const batch = options.batch ?? 10;
  const partitions = options.partitions ?? 3;
  const log = options.log ?? (() => undefined);
  const notes: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), `kq-chaos-${scenario.name}-${seed}-`));
  const clients: Array<Admin | Producer> = [];
  let cluster: KafkaCluster | undefined;
  let stopLive: (() => Promise<void>) | undefined;
  let stopProgress: (() => void) | undefined;
  const writes: WriteAttempt[] = [];
  const started = Date.now();
  try {
    cluster = await KafkaCluster.start({
      brokers: 3,
      mode: 'child-process',
      nodeCommand: options.nodeCommand,
      dataDir,
      faults: { seed },
      config: CHAOS_BROKER_CONFIG,
      startTimeoutMs: 60_000,
    });
    const c = cluster;
    const kafka = new Kafka({
      clientId: `chaos-${scenario.name}-${seed}`,
      brokers: c.bootstrap.split(','),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 15 },
    });
    const admin = kafka.admin();
    clients.push(admin);
    await admin.connect();
    const topicConfig = { 'min.insync.replicas': '2', ...scenario.topicConfig };
    try {
      await admin.createTopics({
        topics: [
          {
            topic: TOPIC,
            numPartitions: partitions,
            replicationFactor: 3,
            configEntries: Object.entries(topicConfig).map(([name, value]) => ({ name, value })),
          },
        ],
        waitForLeaders: false,
      });
    } catch (error) {
      const causes = (error as { errors?: Array<{ type?: string }> }).errors?.map((e) => e.type).join(', ');
      throw new Error(
        `the cluster refused topic ${TOPIC} with ${Object.entries(topicConfig)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}: ${causes ?? String(error)}`,
        { cause: error },
      );
    }
    await waitUntilTopicServed(c.bootstrap, [TOPIC], 60_000);

    // The live consumer: raw Fetches from each partition's leader (see LiveReader for why not kafkajs).
    const live = new LiveReader(
      c.info().map((n) => ({ host: n.host, port: n.port })),
      TOPIC,
      partitions,
      started,
    );
    stopLive = () => live.stop();

    // The fault plan, running beside the producers.
    const plan = planFaults({
      seed,
      nodes: [1, 2, 3],
      steps: scenario.steps,
      count: options.faults ?? 3,
      gapMs: [800, 2000],
      holdMs: [1500, 3500],
    });
    log(`${scenario.name} seed ${seed}: ${describePlan(plan).join('; ')}`);
    const leaderView = async () => {
      const nodes = await c.describe().catch(() => [] as NodeDescription[]);
      return nodes
        .flatMap((n) => n.partitions)
        .find((p) => p.topic === TOPIC && p.partition === 0 && p.role === 'leader');
    };
    const leader = async () => (await leaderView())?.leader;
    const isr = async () => (await leaderView())?.isr;
    const writeStart = Date.now();
    let planDone = false;
    // A progress line every 10 s: when a run stalls, its last lines say in which phase and on what.
    let phase = 'writing';
    const progress = setInterval(() => {
      const last = c.faults.log.at(-1);
      log(
        `${scenario.name} seed ${seed}: ${phase}, ${writes.length} writes so far, plan ${planDone ? 'done' : 'running'}, ${c.faults.log.length} fault events${last ? ` (last: ${last.text} at ${last.atMs} ms)` : ''}`,
      );
    }, 10_000);
    progress.unref();
    stopProgress = () => clearInterval(progress);
    const faultRun = runFaultPlan(
      c.faults,
      plan,
      [1, 2, 3],
      { leader, isr, note: (text) => notes.push(text) },
      seed,
    ).finally(() => (planDone = true));

    const share = Math.ceil(options.writes / producersN);
    const produce = async (id: number) => {
      const connected = async () => {
        const p = kafka.producer({
          idempotent: scenario.idempotent,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          retry: { initialRetryTime: 100, maxRetryTime: 1000, retries: 15 },
        });
        clients.push(p);
        await p.connect();
        return p;
      };
      let producer = await connected();
      let seq = 0;
      while (seq < share || !planDone) {
        const values = Array.from({ length: batch }, (_, i) => ({ seq: seq + i, value: `p${id}-${seq + i}` }));
        seq += batch;
        const startMs = Date.now() - writeStart;
        try {
          const sending = producer.send({
            topic: TOPIC,
            acks: scenario.acks,
            timeout: 5000,
            messages: values.map((v) => ({ key: `k${id}`, value: v.value })),
          });
          // A send kafkajs never settles (seen after a pause of the leader: no answer, no error, for minutes)
          // would stall the run: past SEND_DEADLINE_MS it counts as failed (indeterminate, as a timeout is),
          // the report says so, and a new producer takes over.
          let timer: NodeJS.Timeout | undefined;
          const stuck = new Promise<'stuck'>(
            (resolve) => (timer = setTimeout(() => resolve('stuck'), SEND_DEADLINE_MS)),
          );
          const settled = await Promise.race([sending, stuck]).finally(() => clearTimeout(timer));
          if (settled === 'stuck') {
            sending.catch(() => undefined);
            notes.push(
              `producer ${id}: a send of ${values[0]!.value}.. did not settle in ${SEND_DEADLINE_MS / 1000} s (kafkajs); a new producer took over`,
            );
            throw new StuckSend();
          }
          const [meta] = settled;
          const endMs = Date.now() - writeStart;
          const base = BigInt(meta?.baseOffset ?? '-1');
          values.forEach((v, i) =>
            writes.push({
              producer: id,
              seq: v.seq,
              key: `k${id}`,
              value: v.value,
              startMs,
              endMs,
              outcome: 'acked',
              ...(meta ? { partition: meta.partition, offset: base + BigInt(i) } : {}),
            }),
          );
        } catch (error) {
          const endMs = Date.now() - writeStart;
          for (const v of values)
            writes.push({ producer: id, seq: v.seq, key: `k${id}`, value: v.value, startMs, endMs, outcome: 'failed' });
          // A failed idempotent send is replaced too: kafkajs (2.2.4, sendMessages.js) gives a failed batch's
          // sequence numbers back though the batch may be in the log (a timeout after the append), so its next
          // batch would carry the same producer id, epoch and sequence and be answered as a duplicate of the stored
          // one — acknowledged at that batch's offsets, its own records never written. Kafka's broker does the
          // same (ProducerStateEntry.findDuplicateBatch compares sequences, not contents); the Java client never
          // reuses a sequence after an unresolved batch (it bumps the epoch).
          if (error instanceof StuckSend || scenario.idempotent) {
            const old = producer;
            void old.disconnect().catch(() => undefined);
            producer = await connected();
          }
        }
      }
    };
    await Promise.all(Array.from({ length: producersN }, (_, i) => produce(i + 1)));
    const durationMs = Date.now() - writeStart;
    const faultLog = (await faultRun).map((e) => `${e.atMs} ms ${e.text}`);
    phase = 'healing';
    await c.faults.healAll();
    log(`${scenario.name} seed ${seed}: ${writes.length} writes in ${durationMs} ms; faults: ${faultLog.length}`);

    phase = 'converging';
    // Converge: every partition led, its ISR whole, every replica's log end offset equal.
    try {
      await waitUntil(
        async () => {
          const nodes = await c.describe();
          const replicas = nodes.flatMap((n) => n.partitions).filter((p) => p.topic === TOPIC);
          return Array.from({ length: partitions }, (_, p) => replicas.filter((r) => r.partition === p)).every(
            (rs) =>
              rs.length === 3 &&
              rs.some((r) => r.role === 'leader' && r.isr.length === 3) &&
              new Set(rs.map((r) => String(r.logEndOffset))).size === 1,
          );
        },
        'every replica to catch up after the faults healed',
        60_000,
        { everyMs: 200 },
      );
    } catch (error) {
      notes.push(`did not converge: ${(error as Error).message}`);
    }

    phase = 'reading back';
    // Read everything back from the leaders, from offset 0 to each partition's high watermark.
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const want = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
    const addresses = c.info().map((n) => ({ host: n.host, port: n.port }));
    const finalReads = await readToEnd(addresses, TOPIC, want, 120_000);
    // Let the live reader reach the end too, so its last reads are judged against the same log.
    const reached = () => {
      const last = new Map<number, bigint>();
      for (const r of live.reads) last.set(r.partition, r.offset + 1n);
      return [...want].every(([p, high]) => (last.get(p) ?? 0n) >= high);
    };
    await waitUntil(reached, 'the live reader to reach the end offsets', 30_000).catch(() =>
      notes.push(`the live reader did not reach the end offsets (${live.reads.length} reads)`),
    );
    await live.stop();
    stopLive = undefined;
    if (live.logWentBack > 0)
      notes.push(`the live reader found the log gone back under it ${live.logWentBack} time(s)`);

    phase = 'closing';
    for (const client of clients.splice(0).reverse()) await client.disconnect().catch(() => undefined);
    // SIGKILL, not a clean stop: the nodes' writes are synchronous, so their files are whole (the OS has them),
    // and three controlled shutdowns one after another cost seconds per run for nothing the checker reads.
    for (const node of [1, 2, 3]) await c.faults.inject({ kind: 'kill', node });
    await c.close();
    const replicas: ReplicaCopy[] = [];
    for (const node of [1, 2, 3])
      for (let p = 0; p < partitions; p++)
        replicas.push({
          node,
          partition: p,
          records: readReplicaRecords(join(dataDir, `node-${node}`, `${TOPIC}-${p}`)).map((r) => ({
            partition: p,
            offset: r.offset,
            value: r.value ?? '',
          })),
        });

    const history: History = {
      durationMs,
      partitions,
      writes,
      liveReads: live.reads,
      liveLogWentBack: live.logWentBack,
      finalReads,
      replicas,
    };
    return {
      scenario: scenario.name,
      seed,
      plan: describePlan(plan),
      faultLog,
      result: check(history),
      notes,
      durationMs: Date.now() - started,
    };
  } finally {
    stopProgress?.();
    await stopLive?.();
    for (const client of clients) await client.disconnect().catch(() => undefined);
    await cluster?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
