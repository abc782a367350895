import { WhyLog } from '../why/why-log.js';
import type { WhyEvent } from '../why/why-log.js';
import { ensureDirectory } from '../utils/ensure-directory.js';
import { restartablePorts } from '../utils/restartable-ports.js';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MetadataImage } from '../metadata/metadata-image.js';
import type { BrokerControlPlane } from '../metadata/metadata-publisher.js';
import { KafkaBroker } from '../server/kafka-broker.js';
import { KafkaConfig } from '../server/kafka-config.js';
import { KRaftControlPlane } from './kraft-control-plane.js';
import { withTimeout } from '../utils/wait-until.js';
import { snapshotFromJson, snapshotPartition } from './partition-snapshot.js';
import { ApiKey } from '../protocol/api-keys.js';
import type { PartitionSnapshot } from './partition-snapshot.js';
import { ClusterFaults } from './faults/cluster-faults.js';
import type { FaultTarget } from './faults/cluster-faults.js';
import type { FaultAgentReply, FaultAgentRequest } from './faults/fault-agent.js';
import { nodeSourceAddress } from './faults/transport-proxy.js';

/** Most brokers `kq broker --brokers` and KafkaCluster run (a laptop demo, not a data center). */
export const MAX_CLUSTER_BROKERS = 5;

/**
 * Where each in-process node gets its control plane (the KRaft controller's metadata and AlterPartition
 * channel), and how it learns that a broker starts and stops. The product one is KRaftControlPlane (combined
 * nodes on an in-memory metadata log, what KafkaCluster uses by default for more than one in-process broker);
 * unit tests of the data plane use a controller double.
 */
export interface ControlPlaneProvider {
  controlPlane(nodeId: number): BrokerControlPlane;
  /**
   * The broker of `nodeId` listens at `host:port` (it registers, or re-registers after a restart); a promise
   * resolves once the broker may serve (KRaftControlPlane: the controller has unfenced it).
   */
  brokerStarted(nodeId: number, endpoint: { host: string; port: number }): void | Promise<void>;
  /** A clean stop begins: controlled shutdown (leaderships move away) before the broker closes. */
  brokerStopping?(nodeId: number): Promise<void>;
  /** The broker is closed (stopped, or killed: no controlled shutdown); its heartbeats end. */
  brokerStopped?(nodeId: number): void;
  /** The cluster closes. */
  close?(): void;
  /** The controller's view of the cluster, for introspection. */
  readonly image: MetadataImage;
}

export interface KafkaClusterOptions {
  /** 1..5 brokers, ids 1..N. */
  readonly brokers: number;
  /** `in-process` (demos, fast tests) or `child-process` (crash tests: SIGKILL, SIGSTOP). */
  readonly mode?: 'in-process' | 'child-process';
  /** `<dataDir>/node-<id>` per node. Default: a temp dir removed by `close()`. */
  readonly dataDir?: string;
  readonly host?: string;
  /** Broker settings by Kafka's names, applied to every node (`min.insync.replicas`, `replica.lag.time.max.ms`…). */
  readonly config?: Readonly<Record<string, string | number | boolean>>;
  /** `default.replication.factor` for every node. */
  readonly replicationFactor?: number;
  /** `min.insync.replicas` for every node. */
  readonly minInsyncReplicas?: number;
  /**
   * The cluster's controller for in-process brokers. Default with more than one broker: a KRaftControlPlane
   * (every node a combined broker + KRaft controller on one in-memory metadata log). One broker without it runs
   * standalone (it leads everything it has, no controller).
   */
  readonly controlPlane?: ControlPlaneProvider;
  /**
   * child-process mode: the command that runs one `kq broker` (e.g. `[process.execPath, '/path/bin/kq.js',
   * 'broker']`); node flags (`--port`, `--data-dir`, `--config …`) are appended.
   */
  readonly nodeCommand?: readonly string[];
  /** child-process mode with several nodes: node i listens on basePort + i - 1 (default: free ports). */
  readonly basePort?: number;
  /** How long a node may take to print its `listening on` line. Default 15 s. */
  readonly startTimeoutMs?: number;
  /** child-process mode: every line a node writes to stderr (its timestamped log), e.g. for a failover timeline. */
  readonly onNodeLog?: (id: number, line: string) => void;
  /**
   * Fault injection beyond kill/stop/pause (child-process mode): a TransportProxy owns each node's advertised
   * port (link faults, slow followers) and each node runs a FaultAgent (power loss, slow disk). `seed` seeds the
   * proxies' drop decisions. See `cluster.faults`.
   */
  readonly faults?: boolean | { readonly seed?: number };
}

export type NodeState = 'running' | 'stopped' | 'killed' | 'paused';

/** One node as the cluster runtime sees it. */
export interface ClusterNodeInfo {
  readonly id: number;
  readonly state: NodeState;
  readonly host: string;
  /** The port it listens on; kept across restarts so clients' bootstrap lists stay valid. */
  readonly port: number;
  /** The child's pid (child-process mode), or this process's. */
  readonly pid: number;
  readonly dataDir: string;
}

/** Everything readable about one node: its state and every partition replica it holds. */
export interface NodeDescription extends ClusterNodeInfo {
  readonly partitions: readonly PartitionSnapshot[];
  /** Produce and Fetch requests the node has served since it started (for rates); absent when it did not answer. */
  readonly requests?: NodeRequestCounts;
}

/** Requests a node has served since it started, of the two kinds a live view draws rates of. */
export interface NodeRequestCounts {
  readonly produce: number;
  readonly fetch: number;
}

/** Bad cluster options (a usage error for the CLI). */
export class KafkaClusterConfigError extends Error {
  override readonly name = 'KafkaClusterConfigError';
}

interface NodeHandle {
  readonly id: number;
  readonly dataDir: string;
  /** The advertised port (the transport proxy's, when there is one). */
  port: number;
  /** Where the broker itself listens, behind its proxy (faults mode); else the same as `port`. */
  listenPort?: number;
  host: string;
  state: NodeState;
  broker?: KafkaBroker;
  child?: ChildProcess;
  exited?: Promise<void>;
  /** A replicated child's `broker <id> unfenced` line. */
  unfenced?: Promise<void>;
}

/**
 * N Kafka brokers on loopback as one cluster (issue 11's runtime): `KafkaCluster.start({ brokers: 3 })`, then
 * `stop(id)` (clean shutdown), `kill(id)` (SIGKILL), `pause(id)` / `resume(id)` (SIGSTOP / SIGCONT), `start(id)`
 * (same port, same data dir) and `describe()` (each node's LEO, HW, ISR, leader epoch per partition).
 *
 * - in-process: the brokers run in this process (demos and fast tests). With more than one broker each node is
 *   combined (broker + KRaft QuorumController, as process.roles=broker,controller) on one in-memory metadata log
 *   (KRaftControlPlane, the default `controlPlane`): brokers register, heartbeat and are fenced by the real
 *   controller; `start` resolves once every broker is unfenced; `stop(id)` is a controlled shutdown (leaderships
 *   move first); `kill(id)` stops a node without it (the controller fences it after `broker.session.timeout.ms`).
 *   `pause`/`resume` need a pid: child-process only.
 * - child-process: each broker is a `kq broker` child in its own process group, so SIGKILL and SIGSTOP hit the
 *   whole node and `close()` leaves nothing holding a port; `describe()` asks the child over its IPC channel.
 *
 * A replicated child-process cluster needs the network Raft between the nodes (the `raft` helper's
 * KafkaRaftManager); until it is on main, child-process mode runs one node. Owns its nodes, their
 * processes and (by default) their data dirs; `close()` may be called more than once.
 */
export class KafkaCluster implements FaultTarget {
  private readonly nodes = new Map<number, NodeHandle>();
  private closing: Promise<void> | undefined;
  /** Every node's why-log events as they arrive (a child's over IPC), oldest first. */
  private readonly whyLog = new WhyLog();
  private faultRequests = 0;
  /** Fault injection into this cluster: `cluster.faults.inject({ kind: 'link', a: 1, b: 2, fault: { kind: 'cut' } })`. */
  readonly faults: ClusterFaults;

  private constructor(
    private readonly options: KafkaClusterOptions,
    readonly dataDir: string,
    private readonly ownsDataDir: boolean,
    /** The in-process nodes' control plane (given, or the default KRaftControlPlane), if any. */
    readonly controlPlane: ControlPlaneProvider | undefined,
  ) {
    const faults = options.faults;
    this.faults = new ClusterFaults(this, typeof faults === 'object' ? (faults.seed ?? 1) : 1);
  }

  static async start(options: KafkaClusterOptions): Promise<KafkaCluster> {
    const { brokers } = options;
    if (!Number.isInteger(brokers) || brokers < 1 || brokers > MAX_CLUSTER_BROKERS)
      throw new KafkaClusterConfigError(`brokers must be 1 to ${MAX_CLUSTER_BROKERS}, got ${brokers}`);
    const mode = options.mode ?? 'in-process';
    if (mode === 'child-process' && !options.nodeCommand?.length)
      throw new KafkaClusterConfigError('child-process mode needs nodeCommand (how to run one `kq broker`)');
    if (options.faults && mode !== 'child-process')
      throw new KafkaClusterConfigError(
        'faults: true needs child-process mode (a proxy per node tells nodes apart by their own source address)',
      );
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'kq-cluster-')));
    const plane =
      options.controlPlane ??
      (mode === 'in-process' && brokers > 1
        ? new KRaftControlPlane(
            Array.from({ length: brokers }, (_, i) => i + 1),
            KafkaConfig.fromObject(nodeConfigOf(options, 1)),
          )
        : undefined);
    const cluster = new KafkaCluster(options, dataDir, ownsDataDir, plane);
    try {
      const host = options.host ?? '127.0.0.1';
      // Child KRaft nodes must know every voter's address before any starts: their ports are chosen up front.
      const ports =
        mode === 'child-process' && brokers > 1
          ? options.basePort
            ? Array.from({ length: brokers }, (_, i) => (options.basePort ?? 0) + i)
            : await restartablePorts(brokers, host)
          : [];
      // With faults, each node's advertised port belongs to its transport proxy; the broker listens behind it.
      const listenPorts = options.faults ? await restartablePorts(brokers, host, ports) : [];
      for (let id = 1; id <= brokers; id++) {
        const nodeDir = join(dataDir, `node-${id}`);
        ensureDirectory(nodeDir);
        const node: NodeHandle = { id, dataDir: nodeDir, port: ports[id - 1] ?? 0, host, state: 'stopped' };
        if (options.faults) {
          node.listenPort = listenPorts[id - 1]!;
          node.port = await cluster.faults.addProxy(id, host, node.port, () => ({ host, port: node.listenPort! }));
        }
        cluster.nodes.set(id, node);
      }
      // Start them all, then wait for each to be unfenced: a node cannot be before a quorum of voters runs.
      for (let id = 1; id <= brokers; id++) await cluster.launch(id);
      for (let id = 1; id <= brokers; id++) await cluster.ready(id);
    } catch (error) {
      await cluster.close();
      throw error;
    }
    return cluster;
  }

  get mode(): 'in-process' | 'child-process' {
    return this.options.mode ?? 'in-process';
  }

  /** `host:port,host:port,…` of every node, for a client's bootstrap.servers. */
  get bootstrap(): string {
    return [...this.nodes.values()].map((n) => `${n.host}:${n.port}`).join(',');
  }

  nodeIds(): number[] {
    return [...this.nodes.keys()];
  }

  nodeState(id: number): NodeState {
    return this.node(id).state;
  }

  info(): ClusterNodeInfo[] {
    return [...this.nodes.values()].map((n) => ({
      id: n.id,
      state: n.state,
      host: n.host,
      port: n.port,
      pid: n.child?.pid ?? process.pid,
      dataDir: n.dataDir,
    }));
  }

  /** The in-process broker of a running node (for tests and demos that need its events or logs). */
  broker(id: number): KafkaBroker {
    const broker = this.node(id).broker;
    if (!broker)
      throw new Error(`node ${id} has no in-process broker (state ${this.node(id).state}, mode ${this.mode})`);
    return broker;
  }

  /** The controller's view (in-process with a controlPlane), or undefined. */
  get controllerImage(): MetadataImage | undefined {
    return this.controlPlane?.image;
  }

  /**
   * Starts a stopped or killed node again, on its old port and data dir; resolves once it may serve. Several ids
   * start together (all launched, then each awaited): after the whole cluster went down, no node can be unfenced
   * before a quorum of voters runs.
   */
  async start(ids: number | readonly number[]): Promise<void> {
    const list = typeof ids === 'number' ? [ids] : ids;
    for (const id of list) this.node(id);
    for (const id of list) await this.launch(id);
    for (const id of list) await this.ready(id);
  }

  private async launch(id: number): Promise<void> {
    const node = this.node(id);
    if (node.state === 'running' || node.state === 'paused') return;
    if (this.mode === 'in-process') await this.startInProcess(node);
    else await this.startChild(node);
    node.state = 'running';
  }

  /** A replicated child node prints `broker <id> unfenced` once the controller lets it lead; wait for that. */
  private async ready(id: number): Promise<void> {
    const node = this.node(id);
    if (this.mode !== 'child-process' || this.nodes.size === 1 || !node.unfenced) return;
    await withTimeout(
      node.unfenced,
      `node ${id} to be unfenced by the controller`,
      this.options.startTimeoutMs ?? 15_000,
    );
  }

  /** Clean shutdown (Kafka's controlled shutdown order inside the broker): SIGTERM for a child. */
  async stop(id: number): Promise<void> {
    const node = this.node(id);
    if (node.state === 'stopped' || node.state === 'killed') return;
    if (node.broker) {
      const broker = node.broker;
      await this.controlPlane?.brokerStopping?.(id);
      node.broker = undefined;
      await broker.close();
      this.controlPlane?.brokerStopped?.(id);
    } else if (node.child) {
      if (node.state === 'paused') this.signal(node, 'SIGCONT');
      this.signal(node, 'SIGTERM');
      await node.exited;
    }
    node.state = 'stopped';
  }

  /**
   * SIGKILL: the node dies at once, leaving its files as a crash would. In-process (no pid of its own) the node
   * stops without controlled shutdown: heartbeats end, so the controller fences it after
   * `broker.session.timeout.ms` and elects new leaders; its files are closed normally.
   */
  async kill(id: number): Promise<void> {
    const node = this.node(id);
    if (node.state === 'stopped' || node.state === 'killed') return;
    if (node.broker) {
      const broker = node.broker;
      node.broker = undefined;
      this.controlPlane?.brokerStopped?.(id);
      await broker.close();
      node.state = 'killed';
      return;
    }
    this.signal(node, 'SIGKILL');
    await node.exited;
    node.state = 'killed';
  }

  /** SIGSTOP: the node freezes (no fetches, no heartbeats, connections stay open). */
  pause(id: number): void {
    const node = this.childNode(id, 'pause');
    if (node.state !== 'running') throw new Error(`node ${id} is ${node.state}, not running`);
    this.signal(node, 'SIGSTOP');
    node.state = 'paused';
  }

  /** SIGCONT: a paused node carries on where it stopped. */
  resume(id: number): void {
    const node = this.childNode(id, 'resume');
    if (node.state !== 'paused') throw new Error(`node ${id} is ${node.state}, not paused`);
    this.signal(node, 'SIGCONT');
    node.state = 'running';
  }

  /**
   * Power loss (needs `faults`): the node's FaultAgent puts every file it wrote back to its last fsync and
   * SIGKILLs its own process in the same step. A paused node is resumed first so it can obey.
   */
  async powerLoss(id: number): Promise<void> {
    const node = this.childNode(id, 'powerLoss');
    if (node.state !== 'running' && node.state !== 'paused') throw new Error(`node ${id} is ${node.state}`);
    if (node.state === 'paused') this.signal(node, 'SIGCONT');
    node.child?.send({ kind: 'fault', id: ++this.faultRequests, op: 'power-loss' } satisfies FaultAgentRequest);
    await withTimeout(node.exited ?? Promise.resolve(), `node ${id} to die of its power loss`, 10_000);
    node.state = 'killed';
  }

  /** Slow disk (needs `faults`): every append to the node's segment files takes `ms` longer; 0 heals. */
  async slowDisk(id: number, ms: number): Promise<void> {
    const node = this.childNode(id, 'slowDisk');
    await this.askAgent(node, { kind: 'fault', id: ++this.faultRequests, op: 'slow-disk', ms });
  }

  /** The files of node `id` that hold bytes a power cut would take now (needs `faults`). */
  async unsyncedFiles(id: number): Promise<readonly string[]> {
    const node = this.childNode(id, 'unsyncedFiles');
    const reply = await this.askAgent(node, { kind: 'fault', id: ++this.faultRequests, op: 'unsynced-files' });
    return reply.files ?? [];
  }

  private askAgent(node: NodeHandle, request: FaultAgentRequest): Promise<FaultAgentReply> {
    const child = node.child;
    if (!this.options.faults || !child?.connected)
      throw new Error(`node ${node.id} runs no fault agent (start the cluster with faults: true; state ${node.state})`);
    return new Promise((resolveReply, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`node ${node.id}'s fault agent did not answer ${request.op} within 5 s`));
      }, 5000);
      const onMessage = (message: unknown) => {
        const m = message as FaultAgentReply;
        if (m.kind !== 'fault-reply' || m.id !== request.id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolveReply(m);
      };
      child.on('message', onMessage);
      child.send(request);
    });
  }

  /** Every node's state and partition replicas (LEO, HW, ISR, leader epoch); a paused or dead node has none. */
  async describe(): Promise<NodeDescription[]> {
    return Promise.all(this.info().map(async (info) => ({ ...info, ...(await this.stateOf(this.node(info.id))) })));
  }

  /**
   * Stops every node and closes the runtime. Child processes of a cluster that owns its (temp) data dir are
   * SIGKILLed together; with a data dir of the caller's they stop cleanly (SIGTERM) one after the other.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.ownsDataDir) {
        // Its files are deleted next, so a clean shutdown would protect nothing; and the last nodes' controlled
        // shutdowns, with the quorum already gone, would each wait out their timeout (seconds per test).
        const children = [...this.nodes.values()].filter(
          (n) => n.child && n.state !== 'killed' && n.state !== 'stopped',
        );
        for (const node of children) this.signal(node, 'SIGKILL');
        await Promise.all(children.map((node) => node.exited ?? Promise.resolve()));
        for (const node of children) node.state = 'killed';
      }
      for (const node of this.nodes.values()) {
        if (node.child && node.state !== 'killed' && node.state !== 'stopped') {
          // A frozen node cannot shut down cleanly: kill it (its whole process group).
          this.signal(node, node.state === 'paused' ? 'SIGKILL' : 'SIGTERM');
          await node.exited;
        }
        if (node.broker) {
          // The whole cluster goes: no controlled shutdown (there would be nowhere to move leaderships to).
          await node.broker.close();
          this.controlPlane?.brokerStopped?.(node.id);
        }
        node.broker = undefined;
        node.state = 'stopped';
      }
      this.controlPlane?.close?.();
      await this.faults.close();
      if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
    })();
    return this.closing;
  }

  private node(id: number): NodeHandle {
    const node = this.nodes.get(id);
    if (!node) throw new KafkaClusterConfigError(`no node ${id}; the nodes are ${[...this.nodes.keys()].join(', ')}`);
    return node;
  }

  private childNode(id: number, what: string): NodeHandle {
    const node = this.node(id);
    if (this.mode !== 'child-process')
      throw new KafkaClusterConfigError(`${what}(${id}) needs child-process mode: an in-process broker has no own pid`);
    return node;
  }

  private nodeConfig(id: number): Record<string, string | number | boolean> {
    const config = nodeConfigOf(this.options, id);
    if (this.mode !== 'child-process' || this.nodes.size === 1) return config;
    // Child nodes of a replicated cluster are combined KRaft nodes, every one a voter.
    const voters = [...this.nodes.values()].map((n) => `${n.id}@${n.host}:${n.port}`).join(',');
    return { 'process.roles': 'broker,controller', 'controller.quorum.voters': voters, ...config };
  }

  private async startInProcess(node: NodeHandle): Promise<void> {
    const plane = this.controlPlane;
    const broker = await KafkaBroker.start({
      host: node.host,
      port: node.port,
      dataDir: node.dataDir,
      config: this.nodeConfig(node.id),
      ...(plane ? { controlPlane: plane.controlPlane(node.id) } : {}),
    });
    node.broker = broker;
    node.port = broker.port;
    broker.on('why', (event) => this.whyLog.record(event));
    await plane?.brokerStarted(node.id, { host: broker.host, port: broker.port });
  }

  private async startChild(node: NodeHandle): Promise<void> {
    const [command, ...baseArgs] = this.options.nodeCommand ?? [];
    if (!command) throw new KafkaClusterConfigError('child-process mode needs nodeCommand');
    const config = Object.entries(this.nodeConfig(node.id)).flatMap(([k, v]) => ['--config', `${k}=${v}`]);
    const faultArgs =
      node.listenPort !== undefined
        ? ['--advertised-port', String(node.port), '--source-address', nodeSourceAddress(node.id), '--fault-agent']
        : [];
    const args = [
      ...baseArgs,
      '--host',
      node.host,
      '--port',
      String(node.listenPort ?? node.port),
      ...faultArgs,
      '--data-dir',
      node.dataDir,
      ...config,
    ];
    const child = spawn(command, args, {
      detached: true, // its own process group: signals reach the node and nothing else
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    node.child = child;
    child.on('message', (message: { kind?: string; event?: WhyEvent }) => {
      if (message.kind === 'why' && message.event) this.whyLog.record(message.event);
    });
    node.exited = new Promise((done) =>
      child.once('exit', () => {
        done();
      }),
    );
    void node.exited.then(() => {
      if (node.child === child && node.state === 'running') node.state = 'killed';
    });
    let stdout = '';
    let stderr = '';
    let markUnfenced: () => void = () => undefined;
    node.unfenced = new Promise((resolve) => (markUnfenced = resolve));
    let seen = '';
    child.stdout?.on('data', (d: Buffer) => {
      seen = (seen + d.toString()).slice(-4000);
      if (/^broker \d+ unfenced/m.test(seen)) markUnfenced();
    });
    let partial = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
      const onNodeLog = this.options.onNodeLog;
      if (!onNodeLog) return;
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onNodeLog(node.id, line);
    });
    const timeoutMs = this.options.startTimeoutMs ?? 15_000;
    node.port = await new Promise<number>((resolveStart, reject) => {
      const timer = setTimeout(() => {
        this.signal(node, 'SIGKILL');
        reject(new Error(`node ${node.id} printed no "listening on" line in ${timeoutMs} ms\n${stderr}`));
      }, timeoutMs);
      child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        const match = /^listening on (\S+):(\d+)$/m.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolveStart(Number(match[2]));
        }
      });
      void node.exited?.then(() => {
        clearTimeout(timer);
        reject(new Error(`node ${node.id} exited before listening\n${stderr}`));
      });
    });
  }

  /**
   * The why log of the whole cluster: every node's explained decisions (ISR changes, high-watermark moves,
   * elections with their rule, truncations, fencing, refused produces), in the order they reached this process.
   */
  why(): WhyEvent[] {
    return this.whyLog.all();
  }

  /** Calls `listener` for each why-log event of any node from now on; returns the function that stops it. */
  onWhy(listener: (event: WhyEvent) => void): () => void {
    return this.whyLog.onEvent(listener);
  }

  private signal(node: NodeHandle, signal: NodeJS.Signals): void {
    const pid = node.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone: nothing to signal.
    }
  }

  private async stateOf(node: NodeHandle): Promise<{ partitions: PartitionSnapshot[]; requests?: NodeRequestCounts }> {
    if (node.state !== 'running') return { partitions: [] };
    if (node.broker) {
      const served = node.broker.metrics().requestsByApiKey;
      return {
        partitions: node.broker.partitions().map(snapshotPartition),
        requests: { produce: served[ApiKey.Produce] ?? 0, fetch: served[ApiKey.Fetch] ?? 0 },
      };
    }
    const child = node.child;
    if (!child?.connected) return { partitions: [] };
    return new Promise((resolveSnapshot, reject) => {
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`node ${node.id} did not answer a snapshot request within 5 s`));
      }, 5000);
      const onMessage = (message: unknown) => {
        const m = message as { kind?: string; partitions?: string; requests?: NodeRequestCounts };
        if (m.kind !== 'snapshot' || typeof m.partitions !== 'string') return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolveSnapshot({
          partitions: snapshotFromJson(m.partitions),
          ...(m.requests ? { requests: m.requests } : {}),
        });
      };
      child.on('message', onMessage);
      child.send({ kind: 'snapshot' });
    });
  }
}

/** One node's broker settings: the cluster's shared ones plus its id. */
function nodeConfigOf(options: KafkaClusterOptions, id: number): Record<string, string | number | boolean> {
  return {
    ...(options.replicationFactor !== undefined ? { 'default.replication.factor': options.replicationFactor } : {}),
    ...(options.minInsyncReplicas !== undefined ? { 'min.insync.replicas': options.minInsyncReplicas } : {}),
    ...options.config,
    'broker.id': id,
  };
}
