import { Command, InvalidArgumentError, Option } from 'commander';
import envPaths from 'env-paths';
import { join } from 'node:path';
import { ensureWritableDirectory } from '../../store/ensure-directory.js';
import type { KafkaCluster, WhyEvent } from '../../broker/index.js';
import type { WatchSource } from '../../tui/cluster-watch.js';
import { colorEnabled } from '../color.js';
import { EnvironmentError, FailedError, UsageError } from '../errors.js';
import { LANGS, resolveLang } from '../lang.js';
import type { ControllerEvent } from '../../broker/index.js';

interface BrokerOptions {
  port: number;
  host: string;
  advertisedHost?: string;
  dataDir?: string;
  config: string[];
  brokers: number;
  replicationFactor?: number;
  minInsyncReplicas?: number;
  advertisedPort?: number;
  sourceAddress?: string;
  faultAgent?: boolean;
  faults?: boolean;
  json?: boolean;
  lang?: string;
  watch?: boolean;
}

/**
 * `kq broker [--port 9092] [--host 127.0.0.1] [--advertised-host H] [--data-dir DIR] [--config key=value ...]
 * [--brokers N] [--replication-factor N] [--min-insync-replicas N]`: runs the mini-broker in the foreground.
 * Prints `listening on HOST:PORT` on stdout once it accepts connections (scripts and tests wait for that line),
 * then `broker <id> listening on HOST:PORT pid <pid>`, logs connections and topic changes on stderr, and closes cleanly on SIGINT/SIGTERM
 * or when its parent process exits (npx, npm exec and other wrappers may not pass a SIGTERM on).
 * The broker is imported inside the action so other commands never load it.
 */
export function brokerCommand(): Command {
  return (
    new Command('broker')
      .description('run the mini Kafka broker in the foreground (real Kafka clients can connect)')
      .option('-p, --port <port>', 'port to listen on; 0 picks a free one', parsePort, 9092)
      .option('--host <host>', 'address to listen on', '127.0.0.1')
      .option(
        '--advertised-host <host>',
        'host clients are told to connect to (default: --host, or 127.0.0.1 for 0.0.0.0)',
      )
      .option('--data-dir <dir>', 'where topics are stored (default $KQ_HOME/broker or the kq data dir)')
      .option('-c, --config <key=value...>', 'broker settings by Kafka’s names, e.g. num.partitions=3', collect, [])
      .option(
        '--brokers <n>',
        'brokers in the cluster, 1 to 5 (more than 1: KRaft nodes as child processes, ports from --port up)',
        parseBrokers,
        1,
      )
      .option('--replication-factor <n>', 'default.replication.factor for new topics', parsePositive)
      .option(
        '--min-insync-replicas <n>',
        'min.insync.replicas: acks=all needs this many in-sync replicas',
        parsePositive,
      )
      .option(
        '--faults',
        'with --brokers N: a proxy in front of each node and a fault agent in each, driven by lines on stdin ' +
          '(kill 2, stop 2, pause 2, power-loss 2, cut 1 2, cut 1 clients, delay 1 2 200, drop 1 2 0.3, ' +
          'slow-follower 3 500, slow-disk 3 20; "heal <fault>", "heal", "faults")',
      )
      .option(
        '--json',
        'print every why-log event (ISR, high watermark, election, truncation, …) as a JSON line on stdout',
      )
      .addOption(new Option('--lang <lang>', 'language of the why-log lines on stderr').choices(LANGS))
      // Set by a fault-injecting KafkaCluster on each node it starts (src/broker/cluster/faults/), not by people.
      .addOption(
        new Option('--advertised-port <port>', 'port to advertise (a proxy in front)').argParser(parsePort).hideHelp(),
      )
      .addOption(new Option('--source-address <ip>', 'local address of outgoing connections').hideHelp())
      .addOption(new Option('--fault-agent', 'obey fault requests over the IPC channel').hideHelp())
      .option(
        '--watch',
        'with --brokers 2 or more: a live view of every partition (leader, epoch, ISR, LEO/HW) with keys to inject ' +
          'faults (as --faults); plain lines and the same stdin commands when not a terminal',
      )
      .action(async (options: BrokerOptions) => {
        if (options.watch && options.brokers < 2)
          throw new UsageError('--watch shows a cluster: give --brokers 2 or more (e.g. --brokers 3 --watch)');
        await runBroker(options);
      })
  );
}

async function runBroker(options: BrokerOptions): Promise<void> {
  const {
    startBroker,
    ConfigError,
    KafkaConfig,
    SocketServerBindError,
    DataDirLockedError,
    TopicStoreError,
    ProducerIdBlockFileError,
    describeGroupEvent,
    snapshotPartition,
    snapshotToJson,
    crc32cImplementation,
    KafkaRaftServer,
    formatWhy,
    FaultAgent,
  } = await import('../../broker/index.js');
  const lang = resolveLang(options.lang);

  const assignments = [
    ...(options.replicationFactor !== undefined ? [`default.replication.factor=${options.replicationFactor}`] : []),
    ...(options.minInsyncReplicas !== undefined ? [`min.insync.replicas=${options.minInsyncReplicas}`] : []),
    ...options.config,
  ];
  let config;
  try {
    config = KafkaConfig.fromAssignments(assignments);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const dataDir = options.dataDir ?? defaultDataDir();
  if (options.brokers > 1 || options.faults) {
    await runCluster(options, assignments, dataDir);
    return;
  }
  try {
    // before the broker's own recursive mkdir, which spins forever under /proc and reports a file as EEXIST
    ensureWritableDirectory(dataDir);
  } catch (error) {
    throw new EnvironmentError(
      `cannot use data dir ${dataDir}: ${(error as Error).message}. Choose another with --data-dir.`,
    );
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  // Before the broker opens a file: the agent must see every write for its power-loss model.
  if (options.faultAgent) FaultAgent.install({ sourceAddress: options.sourceAddress, log });
  let broker;
  // A KRaft node (process.roles set, as KafkaCluster runs each child of a replicated cluster): Raft, the
  // controller and the broker together.
  let server: Awaited<ReturnType<typeof KafkaRaftServer.start>> | undefined;
  try {
    const brokerOptions = {
      host: options.host,
      advertisedHost: options.advertisedHost,
      port: options.port,
      ...(options.advertisedPort !== undefined ? { advertisedPort: options.advertisedPort } : {}),
      dataDir,
      config,
    };
    if (config.quorumConfig.roles.length > 0) {
      server = await KafkaRaftServer.start({ ...brokerOptions, onControllerEvent: (e) => log(controllerEventLine(e)) });
      // The quorum's leader as this node learns it: with the controller's lines, a failover's timeline.
      server.raft.register({
        handleCommit: () => undefined,
        handleLeaderChange: (l) => log(`quorum leader ${l.leaderId < 0 ? 'unknown' : l.leaderId} in epoch ${l.epoch}`),
      });
      broker = server.broker;
    } else broker = await startBroker(brokerOptions);
  } catch (error) {
    if (
      error instanceof SocketServerBindError ||
      error instanceof DataDirLockedError ||
      error instanceof TopicStoreError ||
      error instanceof ProducerIdBlockFileError
    ) {
      throw new EnvironmentError(error.message);
    }
    if (
      error instanceof Error &&
      'code' in error &&
      (error.code === 'EACCES' || error.code === 'ENOTDIR' || error.code === 'EROFS')
    ) {
      throw new EnvironmentError(`cannot use data dir ${dataDir}: ${error.message}. Choose another with --data-dir.`);
    }
    throw error;
  }
  broker.on('connectionOpened', (e) => log(`connection opened ${e.remoteAddress} (${e.connectionId})`));
  broker.on('connectionClosed', (e) => log(`connection closed ${e.remoteAddress}: ${e.reason}`));
  broker.on('topicCreated', (e) =>
    log(`topic created ${e.topic} with ${e.partitions} partition(s)${e.auto ? ' (auto-created)' : ''}`),
  );
  broker.on('topicDeleted', (e) => log(`topic deleted ${e.topic}`));
  broker.on('partitionsCreated', (e) => log(`topic ${e.topic} now has ${e.partitions} partition(s)`));
  // Commits are too frequent to log (kafkajs commits every 5 s per member); every other group change is logged.
  broker.on('group', (e) => {
    if (e.type !== 'offsets-committed') log(describeGroupEvent(e));
  });
  // The why log: one line each on stderr, a JSON line each with --json, and to KafkaCluster over IPC.
  broker.on('why', (e) => {
    log(formatWhy(e, lang));
    if (options.json) process.stdout.write(`${JSON.stringify(e)}\n`);
    if (process.connected) process.send?.({ kind: 'why', event: e });
  });
  log(`data dir ${broker.dataDir}`);
  log(
    crc32cImplementation.name === 'native'
      ? 'CRC-32C: native (@node-rs/crc32, the CPU instruction)'
      : `CRC-32C: portable WebAssembly (${crc32cImplementation.fallbackReason})`,
  );
  log(`group coordinator: ${broker.groups().length} group(s) loaded from __consumer_offsets`);
  process.stdout.write(`listening on ${broker.bootstrap}\n`);
  process.stdout.write(`broker ${config.brokerId} listening on ${broker.bootstrap} pid ${process.pid}\n`);
  if (server) {
    const node = server;
    log(
      `KRaft node ${config.brokerId}: voters ${config.quorumConfig.voters.map((v) => `${v.id}@${v.host}:${v.port}`).join(',')}`,
    );
    void node.waitForUnfenced().then(() => {
      process.stdout.write(`broker ${config.brokerId} unfenced (broker epoch ${node.lifecycle.brokerEpoch})\n`);
    });
  }
  // Run by KafkaCluster (child-process mode): answer its introspection requests over the IPC channel.
  const onMessage = (message: unknown) => {
    if ((message as { kind?: string }).kind !== 'snapshot') return;
    const served = broker.metrics().requestsByApiKey;
    process.send?.({
      kind: 'snapshot',
      partitions: snapshotToJson(broker.partitions().map(snapshotPartition)),
      // for the live view's rates (ApiKey 0 = Produce, 1 = Fetch)
      requests: { produce: served[0] ?? 0, fetch: served[1] ?? 0 },
    });
  };
  if (process.send) process.on('message', onMessage);

  await new Promise<void>((resolve) => {
    const stop = (why: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      clearInterval(orphanWatch);
      log(
        `${why}: closing (${server ? 'controlled shutdown, then ' : ''}flushing logs, writing clean-shutdown markers)`,
      );
      void (server ?? broker).close().then(resolve, (error: unknown) => {
        log(`close failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Run through a wrapper (npx, npm exec, a script), a SIGTERM may stop the wrapper without reaching us: when
    // the parent goes away the process is re-parented, so a changed ppid means nobody can stop us any more.
    const parent = process.ppid;
    const orphanWatch = setInterval(() => {
      if (process.ppid !== parent) stop(`parent process ${parent} exited`);
    }, 500);
    orphanWatch.unref();
  });
  process.off('message', onMessage);
  // The IPC channel (when KafkaCluster started us) would keep the process alive.
  if (process.connected) process.disconnect();
  log('closed');
}

/** How many why lines the live view keeps for its panel (it shows the last few). */
const WHY_PANEL_KEEP = 20;

/**
 * `--brokers N` (N > 1): N combined KRaft nodes (broker + controller, 3 voters for 3 brokers) as child processes
 * through KafkaCluster, data in `<data-dir>/node-<id>`, ports from --port up (0: free ones). Prints `listening on
 * H:P` for the first node, then one `broker <id> listening on H:P pid <pid>` line per node, once every node is
 * unfenced; SIGINT/SIGTERM stop them all (each with a controlled shutdown).
 */
async function runCluster(options: BrokerOptions, assignments: string[], dataDir: string): Promise<void> {
  const { KafkaCluster, FaultError } = await import('../../broker/index.js');
  const config: Record<string, string> = {};
  for (const a of assignments) {
    const eq = a.indexOf('=');
    config[a.slice(0, eq).trim()] = a.slice(eq + 1).trim();
  }
  const { formatWhy } = await import('../../broker/index.js');
  const lang = resolveLang(options.lang);
  const kqScript = process.argv[1];
  if (!kqScript) throw new FailedError('cannot tell how kq was started, so it cannot start its broker nodes');
  let cluster;
  try {
    cluster = await KafkaCluster.start({
      brokers: options.brokers,
      mode: 'child-process',
      nodeCommand: [process.execPath, kqScript, 'broker'],
      dataDir,
      host: options.host,
      config,
      ...(options.port !== 0 ? { basePort: options.port } : {}),
      // the live view offers every fault, so it needs the proxies and agents too
      ...(options.faults || options.watch ? { faults: true } : {}),
    });
  } catch (error) {
    throw new FailedError(`the cluster did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const nodes = cluster.info();
  const liveView = options.watch === true && process.stdin.isTTY && process.stdout.isTTY;
  // The why log, one line per event of any node (and a JSON line with --json), unless the live view owns the terminal.
  if (!liveView)
    cluster.onWhy((e) => {
      process.stderr.write(`${new Date(e.at).toISOString()} ${formatWhy(e, lang)}\n`);
      if (options.json) process.stdout.write(`${JSON.stringify(e)}\n`);
    });
  // on a terminal the live view shows all of this in its header and node lines; scripts read these lines
  if (!liveView) {
    process.stdout.write(`listening on ${nodes[0]!.host}:${nodes[0]!.port}\n`);
    for (const n of nodes) process.stdout.write(`broker ${n.id} listening on ${n.host}:${n.port} pid ${n.pid}\n`);
  }
  const running = cluster;
  if (options.watch) {
    // the why panel's lines: every node's decisions as they come, kept to the last WHY_PANEL_KEEP
    const { WHY_PANEL_SKIPS } = await import('../../tui/cluster-watch.js');
    const why: string[] = [];
    const keep = (e: WhyEvent) => {
      if (WHY_PANEL_SKIPS.has(e.kind)) return;
      why.push(formatWhy(e, lang).replace(/^why: /, ''));
      if (why.length > WHY_PANEL_KEEP) why.splice(0, why.length - WHY_PANEL_KEEP);
    };
    running.why().forEach(keep);
    running.onWhy(keep);
    await watchCluster(running, `${nodes[0]!.host}:${nodes[0]!.port}`, () => why);
    process.stderr.write(`${new Date().toISOString()} watch ended: stopping ${nodes.length} brokers\n`);
    await running.close();
    process.stderr.write(`${new Date().toISOString()} stopped\n`);
    return;
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  // Fault commands, one per line on stdin (a typo is reported and changes nothing; the cluster keeps running).
  let lines: import('node:readline').Interface | undefined;
  if (options.faults) {
    const { createInterface } = await import('node:readline');
    lines = createInterface({ input: process.stdin, terminal: false });
    let queue = Promise.resolve();
    lines.on('line', (line) => {
      const text = line.trim();
      if (text === '') return;
      queue = queue.then(async () => {
        try {
          log(await faultCommand(running, text));
        } catch (error) {
          log(
            `${error instanceof FaultError ? 'refused' : 'failed'}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      });
    });
    log(
      'fault commands on stdin: kill N, stop N, pause N, power-loss N, cut A B, delay A B MS, drop A B F, slow-follower N MS, slow-disk N MS, heal [fault], heal N, faults',
    );
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      lines?.close();
      process.stderr.write(`${new Date().toISOString()} ${signal}: stopping ${nodes.length} brokers\n`);
      void running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/**
 * `--watch`: the live view over the running cluster (ink on a terminal, plain lines otherwise) until the user
 * quits or a signal comes; the caller then stops the nodes. The view reads the nodes through KafkaCluster.describe()
 * (each child answers over its IPC channel) and injects faults through the cluster's own kill/stop/pause/start.
 */
async function watchCluster(cluster: KafkaCluster, bootstrap: string, why: () => readonly string[]): Promise<void> {
  const { describeFault } = await import('../../broker/index.js');
  const source: WatchSource = {
    bootstrap,
    describe: () => cluster.describe(),
    command: (text) => faultCommand(cluster, text),
    faults: () => cluster.faults.active().map(describeFault),
    why,
  };
  const intervalMs = 1000;
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  if (process.stdin.isTTY && process.stdout.isTTY) {
    // see quiz.ts: ink draws only the last frame when CI is set; this path has a terminal on both ends
    process.env.CI = 'false';
    process.env.CONTINUOUS_INTEGRATION = 'false';
    const { runInkClusterWatch } = await import('../../tui/run-ink-cluster-watch.js');
    const ended = new Promise<void>((resolve) => signals.forEach((s) => process.once(s, () => resolve())));
    await Promise.race([
      runInkClusterWatch(source, { color: colorEnabled(process.stdout, process.env), intervalMs }),
      ended,
    ]);
    return;
  }
  const { runPlainClusterWatch } = await import('../cluster-watch-plain.js');
  const view = runPlainClusterWatch(source, {
    input: process.stdin,
    write: (line) => process.stdout.write(`${line}\n`),
    intervalMs,
  });
  for (const s of signals) process.once(s, view.stop);
  await view.done;
  // the open stdin pipe would keep the process alive after the nodes are stopped
  process.stdin.destroy();
}

/**
 * One fault command, the language of `--faults` on stdin and of `--watch`: what parseFault reads (`kill 2`,
 * `cut 1 clients`, `slow-disk 3 20`…), `heal <fault>`, `heal <node>` (every fault in force on that node or its
 * links), `heal` (everything) and `faults` (what is in force). Resolves with what was done; rejects with a
 * FaultError when the command names nothing that exists (nothing changed), or with what failed.
 */
async function faultCommand(cluster: KafkaCluster, text: string): Promise<string> {
  const { describeFault, parseFault } = await import('../../broker/index.js');
  const command = text.trim();
  if (command === 'faults') {
    const active = cluster.faults.active();
    return active.length === 0 ? 'no faults' : `faults: ${active.map(describeFault).join('; ')}`;
  }
  if (command === 'heal') {
    await cluster.faults.healAll();
    return 'healed everything';
  }
  const node = /^heal (\d+)$/.exec(command);
  if (node) {
    const id = Number(node[1]);
    if (!cluster.info().some((n) => n.id === id))
      throw new Error(
        `no node ${id}: the nodes are ${cluster
          .info()
          .map((n) => n.id)
          .join(', ')}`,
      );
    const onNode = cluster.faults
      .active()
      .filter((f) => (f.kind === 'link' ? f.a === id || f.b === id : f.node === id));
    if (onNode.length === 0) return `node ${id} has no fault to heal`;
    await cluster.faults.heal(...onNode);
    return `healed ${onNode.map(describeFault).join('; ')}`;
  }
  if (command.startsWith('heal ')) {
    const fault = parseFault(command.slice(5));
    await cluster.faults.heal(fault);
    return `healed ${describeFault(fault)}`;
  }
  const fault = parseFault(command);
  await cluster.faults.inject(fault);
  return `injected ${describeFault(fault)}`;
}

/** `$KQ_HOME/broker`, else the platform data dir for kq (env-paths) + `/broker`. */
export function defaultDataDir(): string {
  const home = process.env.KQ_HOME;
  if (home) return join(home, 'broker');
  return join(envPaths('kq', { suffix: '' }).data, 'broker');
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free port)');
  return port;
}

function parseBrokers(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 5) throw new InvalidArgumentError('expected 1, 2, 3, 4 or 5 brokers');
  return n;
}

function parsePositive(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** One log line per controller decision (this node's controller; only the active one decides). */
function controllerEventLine(e: ControllerEvent): string {
  switch (e.kind) {
    case 'activated':
      return `controller active in epoch ${e.epoch}`;
    case 'renounced':
      return `controller no longer active (epoch ${e.epoch})`;
    case 'broker-registered':
      return `controller: broker ${e.brokerId} registered (broker epoch ${e.brokerEpoch})`;
    case 'broker-fenced':
      return `controller: broker ${e.brokerId} fenced (${e.reason})`;
    case 'broker-unfenced':
      return `controller: broker ${e.brokerId} unfenced`;
    case 'controlled-shutdown':
      return `controller: broker ${e.brokerId} in controlled shutdown`;
    case 'partition-change':
      return `controller: partition ${e.topicId}-${e.partition} leader ${e.leader === -2 ? 'unchanged' : e.leader} isr ${e.isr === null ? 'unchanged' : `[${e.isr.join(',')}]`}${e.elr ? ` elr [${e.elr.join(',')}]` : ''}`;
    case 'elr-cleared':
      return `controller: ELR of ${e.topicName === '' ? 'every topic' : `topic ${e.topicName}`} cleared (min.insync.replicas ${e.minIsr})`;
  }
}
