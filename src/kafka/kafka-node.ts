import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaDistribution } from './kafka-distribution.js';
import type { JavaRuntime } from './java-runtime.js';
import { ProcessReaper } from './process-reaper.js';

export interface KafkaNodeSpec {
  nodeId: number;
  host: string;
  /** The PLAINTEXT listener clients use. */
  port: number;
  /** The CONTROLLER listener (KRaft quorum traffic). */
  controllerPort: number;
  /** The SSL listener, when the cluster was started with TLS. */
  tlsPort?: number;
  /** This node's folder: server.properties, log4j2.properties, server.log, and data/ (log.dirs). */
  dir: string;
  /** `-Xmx` of the JVM, e.g. `512m`. */
  heap: string;
  /** server.properties as key → value, written before each start. */
  config: Record<string, string>;
}

/** How a node's JVM ended. */
export interface NodeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * KafkaNode: one Apache Kafka KRaft node (broker + controller in one JVM, `kafka.Kafka server.properties`), and
 * the only owner of that JVM. The JVM runs in its own process group (spawned detached), so every signal here is
 * sent to the group, and the group is registered with the ProcessReaper while it runs. Its stdout and stderr go
 * straight to `<dir>/server.log` (not through a pipe to this process, so the JVM never blocks or dies on a
 * closed pipe). Started, stopped, killed and paused by ApacheKafkaCluster and by tests through it.
 */
export class KafkaNode {
  private child: ChildProcess | undefined;
  private exitPromise: Promise<NodeExit> | undefined;
  private lastExit: NodeExit | undefined;
  private pausedFlag = false;

  constructor(
    readonly spec: KafkaNodeSpec,
    private readonly java: JavaRuntime,
    private readonly kafka: KafkaDistribution,
  ) {}

  get nodeId(): number {
    return this.spec.nodeId;
  }
  get host(): string {
    return this.spec.host;
  }
  get port(): number {
    return this.spec.port;
  }
  get address(): string {
    return `${this.spec.host}:${this.spec.port}`;
  }
  /** host:port of the SSL listener (self-signed certificate), when the cluster was started with TLS. */
  get tlsAddress(): string | undefined {
    return this.spec.tlsPort === undefined ? undefined : `${this.spec.host}:${this.spec.tlsPort}`;
  }
  get dir(): string {
    return this.spec.dir;
  }
  /** log.dirs: the folder an operator would look at (topic-partition dirs, segments, checkpoints). */
  get dataDir(): string {
    return join(this.spec.dir, 'data');
  }
  get logFile(): string {
    return join(this.spec.dir, 'server.log');
  }
  get configFile(): string {
    return join(this.spec.dir, 'server.properties');
  }
  /** The JVM's pid (= its process group id) while it runs. */
  get pid(): number | undefined {
    return this.isRunning ? this.child?.pid : undefined;
  }
  get isRunning(): boolean {
    return this.child !== undefined && this.lastExit === undefined;
  }
  get isPaused(): boolean {
    return this.pausedFlag;
  }
  /** Resolves when the current JVM exits (immediately with the last exit if none runs). */
  get exited(): Promise<NodeExit> {
    return this.exitPromise ?? Promise.resolve(this.lastExit ?? { code: null, signal: null });
  }
  get exit(): NodeExit | undefined {
    return this.lastExit;
  }

  /** Writes server.properties and log4j2.properties into the node's folder. */
  writeConfig(): void {
    mkdirSync(this.dataDir, { recursive: true });
    const lines = Object.entries(this.spec.config).map(([k, v]) => `${k}=${v}`);
    writeFileSync(this.configFile, `# written by kq for node ${this.nodeId}\n${lines.join('\n')}\n`);
    writeFileSync(join(this.spec.dir, 'log4j2.properties'), LOG4J2_PROPERTIES);
  }

  get isFormatted(): boolean {
    return existsSync(join(this.dataDir, 'meta.properties'));
  }

  /** The `kafka-storage.sh format` step: writes meta.properties and the bootstrap metadata into log.dirs. */
  format(clusterId: string): Promise<void> {
    this.writeConfig();
    return new Promise((resolve, reject) => {
      const tool = spawn(
        this.java.executable,
        [
          ...this.jvmOptions('256m'),
          'kafka.tools.StorageTool',
          'format',
          `--cluster-id=${clusterId}`,
          '--config',
          this.configFile,
        ],
        { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
      );
      if (tool.pid !== undefined) ProcessReaper.get().watchGroup(tool.pid);
      let output = '';
      tool.stdout.on('data', (c: Buffer) => (output += c.toString()));
      tool.stderr.on('data', (c: Buffer) => (output += c.toString()));
      tool.on('error', reject);
      tool.on('close', (code) => {
        if (tool.pid !== undefined) ProcessReaper.get().releaseGroup(tool.pid);
        if (code === 0) resolve();
        else reject(new Error(`formatting node ${this.nodeId} failed (exit ${code}): ${output.trim().slice(-2000)}`));
      });
    });
  }

  /** Spawns the JVM; readiness is the cluster's business (it asks for Metadata). */
  start(): void {
    if (this.isRunning) throw new Error(`kafka node ${this.nodeId} is already running (pid ${this.pid})`);
    this.writeConfig();
    const log = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.java.executable, [...this.jvmOptions(this.spec.heap), 'kafka.Kafka', this.configFile], {
        stdio: ['ignore', log, log],
        detached: true,
        cwd: this.spec.dir,
      });
    } finally {
      closeSync(log);
    }
    this.child = child;
    this.lastExit = undefined;
    this.pausedFlag = false;
    const pid = child.pid;
    if (pid !== undefined) ProcessReaper.get().watchGroup(pid);
    this.exitPromise = new Promise((resolve) => {
      const done = (exit: NodeExit) => {
        if (this.lastExit) return;
        this.lastExit = exit;
        this.pausedFlag = false;
        if (pid !== undefined) ProcessReaper.get().releaseGroup(pid);
        resolve(exit);
      };
      child.once('exit', (code, signal) => done({ code, signal }));
      child.once('error', () => done({ code: null, signal: null }));
    });
    child.unref(); // a running node never keeps kq alive by itself; its owner stops it
  }

  /** SIGTERM (Kafka's controlled shutdown), then SIGKILL if it has not exited within `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<NodeExit> {
    if (!this.isRunning) return this.exited;
    if (this.pausedFlag) this.signal('SIGCONT'); // a stopped JVM cannot run its shutdown hook
    this.signal('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.exitAwaited(), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') return this.kill();
    return outcome;
  }

  /** SIGKILL to the whole group: the crash a test wants (no shutdown hook, no clean-shutdown marker). */
  async kill(): Promise<NodeExit> {
    if (!this.isRunning) return this.exited;
    this.signal('SIGKILL');
    return this.exitAwaited();
  }

  /**
   * `exited`, with the child counted by Node's event loop until then. The child is unref'd while it runs (a node
   * never keeps kq alive by itself), so a caller awaiting its exit with nothing else pending (a SIGKILL after a
   * stop timed out, at the end of `kq demo --kafka`) would see Node end with "unsettled top-level await" (exit 13)
   * before the exit event arrived.
   */
  private exitAwaited(): Promise<NodeExit> {
    this.child?.ref();
    return this.exited;
  }

  /** SIGSTOP: the JVM is frozen (a GC pause, a hung disk) but its sockets stay open. */
  pause(): void {
    this.signal('SIGSTOP');
    this.pausedFlag = true;
  }

  /** SIGCONT after pause(). */
  resume(): void {
    this.signal('SIGCONT');
    this.pausedFlag = false;
  }

  /** VmRSS and VmHWM (peak RSS) of the JVM, in KiB, from /proc (Linux); undefined when not running. */
  memory(): { rssKiB: number; peakRssKiB: number } | undefined {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
      return { rssKiB: field('VmRSS'), peakRssKiB: field('VmHWM') };
    } catch {
      return undefined;
    }
  }

  /** The last `count` lines of server.log, for failure messages. */
  lastLogLines(count = 20): string[] {
    try {
      const lines = readFileSync(this.logFile, 'utf8').trimEnd().split('\n');
      return lines.slice(-count);
    } catch {
      return [];
    }
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined || !this.isRunning) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone; `exited` resolves from the exit event
    }
  }

  // Kafka's kafka-run-class.sh defaults (G1, short pauses, headless), with kq's heap and log4j2 config.
  private jvmOptions(heap: string): string[] {
    return [
      `-Xmx${heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:InitiatingHeapOccupancyPercent=35',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${join(this.spec.dir, 'log4j2.properties')}`,
      `-Dkafka.logs.dir=${this.spec.dir}`,
      '-cp',
      this.kafka.classpath,
    ];
  }
}

// INFO to stdout (which is server.log), as Kafka's own config/log4j2.yaml does for its console appender.
const LOG4J2_PROPERTIES = `status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
`;
