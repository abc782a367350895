import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig } from 'kafkajs';
import { KafkaBroker, waitUntil, waitUntilTopicServed, withTimeout, type KafkaBrokerOptions } from '../broker/index.js';
import { ApacheKafkaCluster } from '../kafka/index.js';
import { ApacheKafkaDemoCluster } from './apache-kafka-demo-cluster.js';
import { ClusterView } from './cluster-view.js';
import { FAULT_DEMO_BROKER_CONFIG, type DemoCluster } from './demo-cluster.js';
import { FAST_GROUP_CONFIG } from './group-demo-cluster.js';
import {
  inLanguage,
  type Bilingual,
  type BrokerHost,
  type DemoContext,
  type DemoDefinition,
  type KnobValue,
  type Outcome,
} from './demo-definition.js';
import { resolveKnobs } from './demo-knobs.js';
import { kqInternalReason } from './kq-internal-demos.js';
import { verdictOf, type DemoEvent, type DemoResult } from './demo-result.js';
import { readPartitionFromDisk } from './partition-on-disk.js';
import { RawPartitionReader } from './raw-partition-reader.js';
import { KqDemoCluster } from './kq-demo-cluster.js';
import { SyscallTrace } from './syscall-trace.js';

/**
 * Where a demo runs: kq's own broker (a fresh one per demo, the default); Apache Kafka started by kq (`--kafka`:
 * a fresh cluster of `brokers` nodes, or `cluster`, one already running and shared, e.g. by `--all` or a test
 * file); or a cluster the user runs (`--bootstrap-server`), which kq can only reach over the protocol.
 */
export type DemoTarget =
  | { kind: 'kq' }
  | { kind: 'apache-kafka'; brokers?: 1 | 3; cluster?: ApacheKafkaCluster }
  | { kind: 'external'; bootstrap: string };

export interface RunDemoOptions {
  lang: 'zh' | 'en';
  /** Where to run; default kq's own broker. */
  target?: DemoTarget;
  /** Run against this external cluster instead of a fresh mini-broker (= target external; client-visible demos only). */
  bootstrapServer?: string;
  /** Called with each event as it happens, for live output. */
  onEvent?: (event: DemoEvent) => void;
  /** The whole demo must finish within this; default 60 s, 150 s for a demo that needs several brokers. */
  timeoutMs?: number;
  /** `name=value` knob assignments (`kq demo <id> --set ...`); unknown names or bad values throw KnobError. */
  set?: readonly string[];
}

/**
 * How kq starts Apache Kafka for demos (`--kafka`, and the tests' shared node): a TLS listener beside the plaintext
 * one (zero-copy-serve compares them) and a retention check every second from the start instead of every 5 minutes
 * after 30 s (retention-replay waits for one). Both are settings an operator may choose; neither changes what a demo's checks expect.
 */
export const APACHE_KAFKA_FOR_DEMOS = {
  tls: true,
  waitForGroupCoordinator: true,
  // log.initial.task.delay.ms: the first retention check would otherwise come 30 s after start-up; the group
  // settings are those kq's group demos give their own broker (groups form at once, short sessions allowed)
  config: {
    'log.retention.check.interval.ms': '1000',
    'log.initial.task.delay.ms': '0',
    ...Object.fromEntries(Object.entries(FAST_GROUP_CONFIG).map(([key, value]) => [key, String(value)])),
  },
} as const;

/** The cluster given with --bootstrap-server did not answer: an environment problem (exit 3). */
export class ClusterUnreachableError extends Error {}
/** An internals demo was asked to run against an external cluster: a usage error (exit 2). */
export class DemoNeedsInternalsError extends Error {}
/** A kq-internal demo (kq-internal-demos.ts) was asked to run on another target: a usage error (exit 2). */
export class DemoIsKqInternalError extends DemoNeedsInternalsError {}

/**
 * Runs one demo: starts its mini-broker (or checks the external cluster answers), hands it a DemoContext,
 * records every step, observation and check, computes the verdict from the checks, and always cleans up —
 * clients first, then brokers — whether the demo passed, failed or threw.
 */
export async function runDemo(demo: DemoDefinition, options: RunDemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const events: DemoEvent[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  const record = (event: DemoEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  const target: DemoTarget =
    options.target ??
    (options.bootstrapServer ? { kind: 'external', bootstrap: options.bootstrapServer } : { kind: 'kq' });
  const external = target.kind === 'external' ? target.bootstrap : undefined;
  const kqOnly = kqInternalReason(demo.id);
  if (kqOnly !== undefined && target.kind !== 'kq') {
    throw new DemoIsKqInternalError(
      `demo '${demo.id}' runs on kq's broker only: ${kqOnly}. Run it without ${external ? '--bootstrap-server' : '--kafka'}`,
    );
  }
  if (external && demo.needs === 'internals') {
    throw new DemoNeedsInternalsError(
      `demo '${demo.id}' reads the mini-broker's internals, so it cannot run against --bootstrap-server; run it without that flag`,
    );
  }

  const knobs: Record<string, KnobValue> = resolveKnobs(demo, options.set ?? []);
  const runId = randomBytes(3).toString('hex');
  // A second broker is always kq's: on another target it would quietly move the demo off the cluster under test,
  // and whatever it proved would be about kq, reported as about that cluster.
  let onKq = true;
  const startBroker = async (brokerOptions: KafkaBrokerOptions = {}) => {
    if (!onKq)
      throw new Error(
        `demo '${demo.id}' starts a kq broker of its own with other settings; on ${external ?? 'Apache Kafka'} that would prove something about kq, not about this cluster`,
      );
    const broker = await KafkaBroker.start({ host: '127.0.0.1', port: 0, ...brokerOptions });
    cleanups.push(() => broker.close());
    return broker;
  };
  let broker: KafkaBroker | undefined;
  let apacheKafka: ApacheKafkaCluster | undefined;
  let cluster: DemoCluster | undefined;
  let bootstrap: string;
  const brokers = demo.brokers ?? 1;
  if (brokers > 1) {
    onKq = false;
    if (external)
      throw new DemoNeedsInternalsError(
        `demo '${demo.id}' stops and kills brokers, so it runs on a cluster kq starts (kq's, or --kafka), not on --bootstrap-server`,
      );
    try {
      cluster = await startCluster(target, brokers, demo.powerLoss === true);
    } catch (cause) {
      // the cluster could not be had (e.g. kq's KRaft controller is not built yet): the demo proved nothing
      const error = `could not start ${brokers} brokers: ${cause instanceof Error ? cause.message : String(cause)}`;
      return {
        id: demo.id,
        claim: demo.claim,
        target: target.kind === 'apache-kafka' ? 'apache-kafka' : 'mini-broker',
        bootstrap: '',
        ...verdictOf(events, error),
        knobs,
        events,
        durationMs: Date.now() - started,
        error,
      };
    }
    const owned = cluster;
    cleanups.push(() => owned.close());
    if (cluster instanceof ApacheKafkaDemoCluster) apacheKafka = cluster.kafka;
    bootstrap = cluster.bootstrap;
  } else if (external) {
    onKq = false;
    await assertReachable(external);
    bootstrap = external;
  } else if (target.kind === 'apache-kafka') {
    onKq = false;
    apacheKafka =
      target.cluster ?? (await ApacheKafkaCluster.start({ brokers: target.brokers ?? 1, ...APACHE_KAFKA_FOR_DEMOS }));
    if (!target.cluster) {
      const started = apacheKafka;
      cleanups.push(() => started.stop());
    }
    bootstrap = apacheKafka.bootstrap;
  } else {
    broker = await startBroker();
    bootstrap = broker.bootstrap;
  }

  const kafka = (config: Partial<KafkaJsConfig> = {}) => {
    const client = new Kafka({
      clientId: `kq-demo-${demo.id}`,
      brokers: bootstrap.split(',').map((address) => address.trim()),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      // Apache Kafka applies a new topic's leadership asynchronously (the metadata log, then each broker): right
      // after CreateTopics a produce may meet UNKNOWN_TOPIC_OR_PARTITION, which a real client retries through.
      retry: apacheKafka
        ? { retries: 8, initialRetryTime: 200, maxRetryTime: 2000 }
        : { retries: 3, initialRetryTime: 100 },
      ...config,
    });
    // kq's single in-process broker serves a topic as CreateTopics returns; any other cluster may not yet.
    return broker ? client : withSettledTopicCreation(client, bootstrap);
  };
  // kq's own broker runs in this process; Apache Kafka's node 1 is a JVM kq started, with its own log.dirs.
  // Only a --bootstrap-server cluster hides both.
  const firstNode = cluster?.broker(cluster.brokerIds[0]!) ?? apacheKafka?.node(1);
  const host: BrokerHost | undefined = broker
    ? { pid: process.pid, dataDir: broker.dataDir, host: broker.host, port: broker.port }
    : firstNode?.pid !== undefined
      ? { pid: firstNode.pid, dataDir: firstNode.dataDir, host: firstNode.host, port: firstNode.port }
      : undefined;
  let clusterView: ClusterView | undefined;
  if (cluster) {
    const view = new ClusterView(cluster);
    cleanups.push(() => view.close());
    clusterView = view;
  }
  const needHost = (what: string): BrokerHost => {
    if (!host)
      throw new Error(`${what} needs the broker's process and data directory, which this target does not expose`);
    return host;
  };
  let reader: RawPartitionReader | undefined;
  const ctx: DemoContext = {
    lang: options.lang,
    knobs,
    host,
    bootstrap,
    broker,
    target: broker || cluster?.target === 'kq' ? 'kq' : apacheKafka ? 'apache-kafka' : 'external',
    apacheKafka,
    cluster,
    clusterView,
    step: (text) => record({ kind: 'step', text }),
    observe: (label, value) => record({ kind: 'observation', label, value }),
    check: (label, outcome) => record(checkEvent(label, outcome, options.lang)),
    notApplicable: (label, why) => record({ kind: 'not-applicable', label, why: inLanguage(why, options.lang) }),
    checkInternals: async (label, why, measure) => {
      if (!broker) {
        const internals =
          options.lang === 'zh'
            ? `kq broker 的内部数据；此目标是 ${bootstrap}`
            : `kq's broker internals; this target is ${bootstrap}`;
        record({ kind: 'not-applicable', label, why: `${inLanguage(why, options.lang)} (${internals})` });
        return;
      }
      record(checkEvent(label, await measure(broker), options.lang));
    },
    createTopics: async (topics) => {
      const admin = await ctx.admin();
      await admin.createTopics({
        waitForLeaders: true,
        topics: topics.map(({ topic, partitions, configs }) => ({
          topic,
          numPartitions: partitions ?? 1,
          configEntries: Object.entries(configs ?? {}).map(([name, value]) => ({ name, value: String(value) })),
        })),
      });
    },
    reader: () => {
      if (!reader) {
        const opened = new RawPartitionReader(bootstrap);
        cleanups.push(() => opened.close());
        reader = opened;
      }
      return reader;
    },
    partitionOnDisk: (topic, partition) =>
      readPartitionFromDisk(needHost('reading a partition from disk').dataDir, topic, partition),
    traceSyscalls: async (syscalls) => {
      const trace = await SyscallTrace.attach(needHost('tracing system calls').pid, syscalls);
      cleanups.push(() => trace.stop());
      return trace;
    },
    waitUntil: (condition, what, timeoutMs = 5000) => waitUntil(condition, what, timeoutMs, { everyMs: 20 }),
    kafka,
    producer: async (config) => connected(kafka().producer(config)),
    consumer: async (config) => connected(kafka().consumer(config)),
    admin: async () => connected(kafka().admin()),
    startBroker,
    topic: (base) => `kq-${base}-${runId}`,
    defer: (cleanup) => cleanups.push(cleanup),
  };

  async function connected<C extends { connect(): Promise<void>; disconnect(): Promise<void> }>(client: C): Promise<C> {
    cleanups.push(() => client.disconnect());
    await client.connect();
    return client;
  }

  let error: string | undefined;
  try {
    // a cluster demo waits out fault timings (fencing, ISR lag) and whole-cluster restarts on a loaded machine
    const timeoutMs = options.timeoutMs ?? (brokers > 1 ? 150_000 : 60_000);
    await withTimeout(demo.run(ctx), 'the demo to finish', timeoutMs);
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  } finally {
    // clients were registered after the brokers they talk to: close in reverse order
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // a failing cleanup must not hide the verdict
      }
    }
  }
  const verdict = verdictOf(events, error);
  return {
    id: demo.id,
    claim: demo.claim,
    target: external ? 'external' : apacheKafka ? 'apache-kafka' : 'mini-broker',
    ...(cluster ? { brokers: cluster.brokerIds.length } : {}),
    ...(apacheKafka ? { kafkaVersion: apacheKafka.kafka.version } : {}),
    bootstrap,
    ...verdict,
    knobs,
    events,
    durationMs: Date.now() - started,
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * The cluster a several-broker demo runs on: Apache Kafka's shared cluster when it has the nodes and the fault
 * settings, else one of its own (Apache Kafka with --kafka, kq's KafkaCluster otherwise).
 */
async function startCluster(target: DemoTarget, brokers: number, powerLoss: boolean): Promise<DemoCluster> {
  if (target.kind === 'apache-kafka') {
    if (target.cluster && ApacheKafkaDemoCluster.runs(target.cluster, FAULT_DEMO_BROKER_CONFIG, brokers))
      return ApacheKafkaDemoCluster.over(target.cluster);
    return ApacheKafkaDemoCluster.start(brokers, FAULT_DEMO_BROKER_CONFIG);
  }
  return KqDemoCluster.start(brokers, FAULT_DEMO_BROKER_CONFIG, { faults: powerLoss });
}

async function assertReachable(bootstrap: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'kq-demo-probe',
    brokers: bootstrap.split(',').map((address) => address.trim()),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 1 },
  }).admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (cause) {
    throw new ClusterUnreachableError(
      `cannot reach a Kafka cluster at ${bootstrap}: ${cause instanceof Error ? cause.message : String(cause)}. Check the address, or run without --bootstrap-server to use kq's own broker`,
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * kafkajs' createTopics with waitForLeaders asks one broker for the new topic's metadata and gives up on the
 * UNKNOWN_TOPIC_OR_PARTITION a broker answers until it has applied the controller's records (on a multi-node
 * cluster, the broker asked is often not the one that created it); and a leader named in Metadata may not serve the
 * partition yet. Here creation waits (bounded) until every broker knows the topic and each leader serves it.
 */
function withSettledTopicCreation(client: Kafka, bootstrap: string): Kafka {
  const makeAdmin = client.admin.bind(client);
  client.admin = (adminConfig) => {
    const admin = makeAdmin(adminConfig);
    const create = admin.createTopics.bind(admin);
    admin.createTopics = async (options) => {
      const created = await create({ ...options, waitForLeaders: false });
      if (options.waitForLeaders === false) return created;
      await waitUntilTopicServed(
        bootstrap,
        options.topics.map((t) => t.topic),
        options.timeout ?? 30_000,
      );
      return created;
    };
    return admin;
  };
  return client;
}

/** A check as recorded: its expectation and finding in the run's language (the JSON keeps that one). */
function checkEvent(label: Bilingual, outcome: Outcome, lang: 'zh' | 'en'): DemoEvent {
  return {
    kind: 'check',
    label,
    pass: outcome.pass,
    expected: inLanguage(outcome.expected, lang),
    actual: inLanguage(outcome.actual, lang),
  };
}
