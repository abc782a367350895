import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ApiKey, metadata, RawKafkaClient, restartablePorts, waitUntil, WaitTimeoutError } from '../broker/index.js';
import { findJava } from './java-runtime.js';
import { fetchKafka, locateKafka, type KafkaDistribution, type KafkaLocateOptions } from './kafka-distribution.js';
import { KafkaNode } from './kafka-node.js';
import { KafkaSetupError } from './kafka-setup-error.js';
import { ProcessReaper } from './process-reaper.js';

export interface ApacheKafkaClusterOptions extends KafkaLocateOptions {
  /** Number of combined broker+controller nodes; default 1. */
  brokers?: number;
  /** Client port of node 1 (node i gets port + i - 1); 0 (default) picks free ephemeral ports. */
  port?: number;
  /**
   * Where the nodes keep their folders (`<dir>/node-<id>`); reused on the next start (already-formatted nodes are
   * not formatted again). Default: a temporary folder removed by stop() (and by the reaper after a crash).
   */
  dataDir?: string;
  /** JVM heap per node (-Xmx); default 512m. */
  heap?: string;
  /** Extra server.properties entries for every node, by Kafka's names (override kq's defaults). */
  config?: Record<string, string>;
  /** Bound on waiting for every node to answer Metadata; default 90 s (3 JVMs share 2 cores). */
  readyTimeoutMs?: number;
  /**
   * Ready also means a working group coordinator (__consumer_offsets created, every partition led). Demos want it
   * (their consumer timeouts are short); tests that create topics right after start do not, because the broker is
   * still applying 50 partitions' records when their topic arrives and answers UNKNOWN_TOPIC_OR_PARTITION.
   */
  waitForGroupCoordinator?: boolean;
  /** Fetch Kafka with Maven when neither KAFKA_HOME nor the cache has it (default true). */
  fetch?: boolean;
  /**
   * Also open a TLS listener (`SSL://127.0.0.1:<tlsPort>`) on every node, with a self-signed certificate for
   * 127.0.0.1 made by the JDK's keytool: clients reach it with certificate verification off. For the zero-copy
   * demo, which compares how Kafka serves a Fetch on each listener.
   */
  tls?: boolean;
  /** Progress lines (fetching, formatting). */
  log?: (line: string) => void;
}

/**
 * ApacheKafkaCluster: real Apache Kafka, N KRaft combined nodes on 127.0.0.1, for `kq kafka start`, `kq demo
 * --kafka`, the oracle tests and the benchmarks. It owns its KafkaNodes (one JVM each) and their folders: it
 * formats storage, starts the JVMs, waits until every node answers Metadata listing all N brokers, and stops
 * them. Demos and tests reach single nodes through node(id) to stop, kill, pause or resume them, and restart()
 * to bring them back. Not thread-safe across callers: one owner drives it.
 *
 * Why combined nodes (process.roles=broker,controller) and not a separate controller quorum: it is what Kafka's
 * own quickstart config (config/server.properties) runs on a laptop, it is the fewest JVMs (3, not 4 or 6, on a
 * 2-core machine), a quorum of 3 voters survives losing any one node, and kq's `--brokers N` cluster is combined
 * too, so "kill node 2" means the same fault on both targets. The cost, which a demo must allow for: killing a
 * node that is the active controller also makes the quorum elect a new one before that node is fenced.
 */
export class ApacheKafkaCluster {
  private stopped = false;

  private constructor(
    readonly nodes: KafkaNode[],
    readonly kafka: KafkaDistribution,
    readonly clusterId: string,
    /** The folder holding node-<id>/; removed by stop() when it was temporary. */
    readonly dir: string,
    private readonly temporary: boolean,
    /** Milliseconds spent formatting storage (0 when reused), and from JVM spawn to every node ready. */
    readonly timings: { formatMs: number; startMs: number },
  ) {}

  static async start(options: ApacheKafkaClusterOptions = {}): Promise<ApacheKafkaCluster> {
    const count = options.brokers ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`brokers must be a positive integer, got ${count}`);
    const java = findJava(options.env);
    const kafka = resolveDistribution(options);

    const temporary = options.dataDir === undefined;
    const dir = temporary ? mkdtempSync(join(tmpdir(), 'kq-kafka-')) : resolve(options.dataDir!);
    mkdirSync(dir, { recursive: true });
    if (temporary) ProcessReaper.get().watchDir(dir);

    const cleanupOnFailure = async (nodes: KafkaNode[]) => {
      await Promise.all(nodes.map((n) => n.kill()));
      if (temporary) {
        rmSync(dir, { recursive: true, force: true });
        ProcessReaper.get().releaseDir(dir);
      }
    };

    const clientPorts = await portsFor(count, options.port ?? 0);
    const controllerPorts = await portsFor(count, 0, clientPorts);
    const tlsPorts = options.tls ? await portsFor(count, 0, [...clientPorts, ...controllerPorts]) : [];
    let keystore: Record<string, string> = {};
    try {
      if (options.tls) keystore = makeKeystore(java.executable, join(dir, 'tls'));
    } catch (error) {
      await cleanupOnFailure([]);
      throw error;
    }
    const voters = controllerPorts.map((port, i) => `${i + 1}@127.0.0.1:${port}`).join(',');
    const nodes = clientPorts.map((port, i) => {
      const config = nodeConfig(i + 1, port, controllerPorts[i]!, voters, count, join(dir, `node-${i + 1}`, 'data'));
      const tlsPort = tlsPorts[i];
      if (tlsPort !== undefined) {
        config.listeners += `,SSL://127.0.0.1:${tlsPort}`;
        config['advertised.listeners'] += `,SSL://127.0.0.1:${tlsPort}`;
        config['listener.security.protocol.map'] += ',SSL:SSL';
        Object.assign(config, keystore);
      }
      return new KafkaNode(
        {
          nodeId: i + 1,
          host: '127.0.0.1',
          port,
          controllerPort: controllerPorts[i]!,
          ...(tlsPort !== undefined ? { tlsPort } : {}),
          dir: join(dir, `node-${i + 1}`),
          heap: options.heap ?? '512m',
          config: { ...config, ...options.config },
        },
        java,
        kafka,
      );
    });

    const clusterId = existingClusterId(nodes) ?? newClusterId();
    const formatStarted = Date.now();
    const unformatted = nodes.filter((n) => !n.isFormatted);
    if (unformatted.length > 0) options.log?.(`formatting ${unformatted.length} node(s), cluster id ${clusterId}`);
    try {
      await Promise.all(unformatted.map((n) => n.format(clusterId)));
    } catch (error) {
      await cleanupOnFailure(nodes);
      throw new KafkaSetupError(error instanceof Error ? error.message : String(error));
    }
    const formatMs = unformatted.length > 0 ? Date.now() - formatStarted : 0;

    const started = Date.now();
    for (const node of nodes) node.start();
    try {
      const deadline = Date.now() + (options.readyTimeoutMs ?? 90_000);
      await waitUntilReady(nodes, count, deadline - Date.now());
      if (options.waitForGroupCoordinator) await waitForGroupCoordinator(nodes[0]!, deadline);
    } catch (error) {
      await cleanupOnFailure(nodes);
      throw error;
    }
    return new ApacheKafkaCluster(nodes, kafka, clusterId, dir, temporary, {
      formatMs,
      startMs: Date.now() - started,
    });
  }

  /** `host:port,host:port…` of every node, for clients. */
  get bootstrap(): string {
    return this.nodes.map((n) => n.address).join(',');
  }

  node(nodeId: number): KafkaNode {
    const node = this.nodes.find((n) => n.nodeId === nodeId);
    if (!node) throw new RangeError(`no kafka node ${nodeId}; nodes are ${this.nodes.map((n) => n.nodeId).join(', ')}`);
    return node;
  }

  /** The nodes whose JVM runs now (paused ones included: a frozen JVM is still a process). */
  get running(): KafkaNode[] {
    return this.nodes.filter((n) => n.isRunning);
  }

  /**
   * Starts nodes again after stop() or kill(), with the same node id, ports, config and data dir (a node that
   * still runs is stopped first), then waits until every running node answers Metadata listing every running
   * node. Give several ids to bring back a whole quorum at once (after killing every node, one combined node
   * alone cannot elect a controller). A node SIGKILLed a moment ago is registered again only once the controller
   * expires its old session (broker.session.timeout.ms, 9 s by default), so this takes that long.
   */
  async restart(nodeIds: number | readonly number[], readyTimeoutMs = 90_000): Promise<void> {
    const nodes = (typeof nodeIds === 'number' ? [nodeIds] : nodeIds).map((id) => this.node(id));
    for (const node of nodes) if (node.isRunning) await node.stop();
    for (const node of nodes) node.start();
    const running = this.running;
    await waitUntilReady(running, running.length, readyTimeoutMs);
  }

  /** Stops every node (SIGTERM, SIGKILL after the timeout) and removes a temporary data dir. Idempotent. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.nodes.map((n) => n.stop(timeoutMs)));
    if (this.temporary) {
      rmSync(this.dir, { recursive: true, force: true });
      ProcessReaper.get().releaseDir(this.dir);
    }
  }
}

function resolveDistribution(options: ApacheKafkaClusterOptions): KafkaDistribution {
  const found = options.fetch === false ? locateKafka(options) : fetchKafka(options).distribution;
  if (!found) {
    throw new KafkaSetupError(
      'no Apache Kafka here: run `npm run kafka:fetch` (or kq kafka fetch), or set KAFKA_HOME to an unpacked Kafka release',
    );
  }
  return found;
}

/**
 * server.properties for a combined node, close to Kafka's shipped config/server.properties: replication factors
 * of internal topics and min ISR fit the cluster size; the initial group rebalance delay is 0 as in the shipped
 * file (the broker's own default is 3 s).
 */
function nodeConfig(
  nodeId: number,
  port: number,
  controllerPort: number,
  voters: string,
  count: number,
  logDir: string,
): Record<string, string> {
  const replication = String(Math.min(3, count));
  return {
    'process.roles': 'broker,controller',
    'node.id': String(nodeId),
    'controller.quorum.voters': voters,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': logDir,
    'num.partitions': '1',
    'offsets.topic.replication.factor': replication,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': count >= 3 ? '2' : '1',
    'share.coordinator.state.topic.replication.factor': replication,
    'share.coordinator.state.topic.min.isr': count >= 3 ? '2' : '1',
    'group.initial.rebalance.delay.ms': '0',
  };
}

/**
 * A PKCS12 keystore holding a self-signed certificate for 127.0.0.1 (keytool, from the JDK that runs Kafka), and
 * the server.properties entries that point the SSL listener at it. Throws KafkaSetupError when keytool fails.
 */
function makeKeystore(javaExecutable: string, dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'kafka.p12');
  const password = randomBytes(12).toString('hex');
  const keytool = javaExecutable === 'java' ? 'keytool' : join(dirname(javaExecutable), 'keytool');
  const made = spawnSync(
    keytool,
    [
      '-genkeypair',
      '-alias',
      'kafka',
      '-keyalg',
      'RSA',
      '-keysize',
      '2048',
      '-validity',
      '30',
      '-dname',
      'CN=127.0.0.1',
      '-ext',
      'SAN=ip:127.0.0.1',
      '-keystore',
      path,
      '-storetype',
      'PKCS12',
      '-storepass',
      password,
      '-keypass',
      password,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (made.error || made.status !== 0)
    throw new KafkaSetupError(
      `keytool could not make a TLS keystore for Kafka: ${made.error?.message ?? made.stderr.trim()}`,
    );
  return {
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': path,
    'ssl.keystore.password': password,
    'ssl.key.password': password,
  };
}

/**
 * A fresh cluster id as Kafka makes them (`kafka-storage.sh random-uuid`): 16 random bytes, base64url. Like
 * Kafka's Uuid.randomUuid it never starts with '-', which command-line parsers would take for an option.
 */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The cluster id a reused data dir was formatted with (nodes of one cluster must share it). */
function existingClusterId(nodes: KafkaNode[]): string | undefined {
  for (const node of nodes) {
    const meta = join(node.dataDir, 'meta.properties');
    if (!existsSync(meta)) continue;
    const match = /^cluster\.id=(.+)$/m.exec(readFileSync(meta, 'utf8'));
    if (match) return match[1]!.trim();
  }
  return undefined;
}

/**
 * Ports for `count` listeners: `first, first+1, …` when a port is given (each checked free, else exit 3 with the
 * port named), or free ports below the kernel's ephemeral range (restartablePorts: a node restarted on its port must
 * find it free, which no client connection can then have taken).
 */
async function portsFor(count: number, first: number, taken: number[] = []): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    if (first === 0) {
      ports.push(...(await restartablePorts(1, '127.0.0.1', [...taken, ...ports])));
    } else {
      const port = first + i;
      try {
        await bindAndRelease(port);
      } catch {
        throw new KafkaSetupError(`port ${port} on 127.0.0.1 is in use; choose another with --port, or 0 for any`);
      }
      ports.push(port);
    }
  }
  return ports;
}

function bindAndRelease(port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const bound = (server.address() as { port: number }).port;
      server.close(() => resolvePort(bound));
    });
  });
}

/**
 * Polls every node with Metadata until each lists all `count` brokers (registered with the controller and
 * unfenced: only then can topics be created on it). Fails fast when a JVM exits, and after `timeoutMs` with the
 * last lines of the slowest node's server.log.
 */
async function waitUntilReady(nodes: KafkaNode[], count: number, timeoutMs: number): Promise<void> {
  const pending = new Set(nodes);
  const lastProblem = new Map<KafkaNode, string>();
  const allReady = async () => {
    for (const node of [...pending]) {
      if (!node.isRunning) {
        const exit = node.exit;
        throw new KafkaSetupError(
          `Apache Kafka node ${node.nodeId} exited before it was ready (${exit?.signal ?? `exit ${exit?.code}`})${firstError(node)}; last lines of ${node.logFile}:\n${indent(node.lastLogLines())}`,
        );
      }
      const problem = await metadataProblem(node, count);
      if (problem === undefined) pending.delete(node);
      else lastProblem.set(node, problem);
    }
    return pending.size === 0;
  };
  try {
    await waitUntil(allReady, 'every Apache Kafka node to be ready', timeoutMs, { everyMs: 200 });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    const node = [...pending][0]!;
    throw new KafkaSetupError(
      `Apache Kafka node ${node.nodeId} (${node.address}, pid ${node.pid}) was not ready within ${Math.round(timeoutMs / 1000)} s (${lastProblem.get(node)}); last lines of ${node.logFile}:\n${indent(node.lastLogLines())}`,
    );
  }
}

/**
 * A fresh cluster creates __consumer_offsets (50 partitions, RF up to 3) on the first FindCoordinator, and answers
 * COORDINATOR_NOT_AVAILABLE until every partition has a leader: seconds on a loaded machine, which would otherwise
 * land inside the first consumer group's timeouts. Ready therefore includes the group coordinator: FindCoordinator
 * answers NONE and every partition of __consumer_offsets has a leader.
 */
async function waitForGroupCoordinator(node: KafkaNode, deadline: number): Promise<void> {
  let problem = 'not asked yet';
  while (Date.now() <= deadline) {
    let client: RawKafkaClient | undefined;
    try {
      client = await RawKafkaClient.connect(node.port, node.host);
      const found = await client.request(ApiKey.FindCoordinator, 2, { key: 'kq-ready-probe', keyType: 0 }, 2000);
      const offsets = (
        await client.request(ApiKey.Metadata, 4, metadata([GROUP_METADATA_TOPIC], false), 2000)
      ).topics.find((t) => t.name === GROUP_METADATA_TOPIC);
      const leaderless = offsets?.partitions.filter((p) => p.leaderId < 0).length ?? -1;
      if (found.errorCode === 0 && offsets && offsets.partitions.length > 0 && leaderless === 0) return;
      problem = `FindCoordinator error ${found.errorCode}, ${GROUP_METADATA_TOPIC} ${offsets ? `${offsets.partitions.length} partitions, ${leaderless} without a leader` : 'not created yet'}`;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    } finally {
      client?.close();
    }
    await new Promise((r) => setTimeout(r, 200)); // poll interval, not synchronisation: the deadline bounds it
  }
  throw new KafkaSetupError(
    `Apache Kafka's group coordinator was not ready in time (${problem}); last lines of ${node.logFile}:\n${indent(node.lastLogLines())}`,
  );
}

const GROUP_METADATA_TOPIC = '__consumer_offsets';

/** Undefined when the node answers Metadata listing `count` brokers; else what is still missing. */
async function metadataProblem(node: KafkaNode, count: number): Promise<string | undefined> {
  let client: RawKafkaClient | undefined;
  try {
    client = await RawKafkaClient.connect(node.port, node.host);
    // v4: old enough for every Kafka 4.x (KIP-896 kept Metadata v0+), new enough for a null topic list
    const response = await client.request(ApiKey.Metadata, 4, metadata([], false), 2000);
    if (response.brokers.length < count) return `Metadata lists ${response.brokers.length} of ${count} brokers`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    client?.close();
  }
}

/**
 * The log's first error line and the line after it (Kafka logs `ERROR … caught exception` then the exception),
 * as `: <lines>`, or ''. The cause of a crash sits above the stack-trace tail that lastLogLines shows.
 */
function firstError(node: KafkaNode): string {
  const lines = node.lastLogLines(2000);
  const at = lines.findIndex((l) => /\bERROR\b|Exception|Error:|Error$/.test(l));
  return at < 0
    ? ''
    : `: ${lines
        .slice(at, at + 2)
        .map((l) => l.trim())
        .join(' / ')}`;
}

function indent(lines: string[]): string {
  return lines.length > 0 ? lines.map((l) => `  ${l}`).join('\n') : '  (no output)';
}
