import { Command, InvalidArgumentError, Option } from 'commander';
import { EnvironmentError, UsageError } from '../errors.js';

interface StartOptions {
  brokers: string;
  port: number;
  dataDir?: string;
  heap: string;
  config: string[];
  kafkaVersion?: string;
  cacheDir?: string;
}

interface FetchOptions {
  kafkaVersion?: string;
  cacheDir?: string;
}

/**
 * `kq kafka fetch|start`: real Apache Kafka beside kq. `fetch` resolves the pinned release with Maven into the
 * user cache (or checks KAFKA_HOME); `start` runs KRaft nodes in the foreground until SIGINT/SIGTERM. The
 * Kafka module is imported inside the actions so other commands never load it.
 */
export function kafkaCommand(): Command {
  const kafka = new Command('kafka').description('fetch and run real Apache Kafka beside kq (needs Java 17+)');
  kafka
    .command('fetch')
    .description('resolve Apache Kafka with Maven into the cache (idempotent; offline once cached)')
    .option('--kafka-version <version>', 'Kafka version (default: the one kafka/pom.xml pins)')
    .option('--cache-dir <dir>', 'where fetched Kafkas live (default $KQ_KAFKA_CACHE or the user cache dir)')
    .action(async (options: FetchOptions) => {
      const { fetchKafka } = await import('../../kafka/index.js');
      const result = await asEnvironmentError(async () =>
        fetchKafka({ ...locate(options), log: (line) => process.stderr.write(`${line}\n`) }),
      );
      const { distribution } = result;
      process.stderr.write(
        result.fetched
          ? `Apache Kafka ${distribution.version} ready\n`
          : `Apache Kafka ${distribution.version} already here (${distribution.source})\n`,
      );
      process.stdout.write(`${distribution.home}\n`);
    });
  kafka
    .command('start')
    .description('run Apache Kafka KRaft nodes (broker+controller) on 127.0.0.1 until Ctrl-C')
    .addOption(new Option('--brokers <n>', 'number of nodes').choices(['1', '3']).default('1'))
    .option('-p, --port <port>', 'client port of node 1 (node i gets port+i-1); 0 picks free ones', parsePort, 0)
    .option('--data-dir <dir>', 'keep the nodes’ data here (reused next time); default a temp dir removed on exit')
    .option('--heap <size>', 'JVM heap per node (-Xmx)', '512m')
    .option('-c, --config <key=value...>', 'extra server.properties entries, by Kafka’s names', collect, [])
    .option('--kafka-version <version>', 'Kafka version (default: the one kafka/pom.xml pins)')
    .option('--cache-dir <dir>', 'where fetched Kafkas live (default $KQ_KAFKA_CACHE or the user cache dir)')
    .action(async (options: StartOptions) => {
      await startKafka(options);
    });
  // main.ts sets these on top-level commands only; a bad flag of a subcommand must also be exit 2 with its help
  for (const sub of kafka.commands) sub.exitOverride().showSuggestionAfterError(true).showHelpAfterError(true);
  return kafka;
}

async function startKafka(options: StartOptions): Promise<void> {
  const { ApacheKafkaCluster } = await import('../../kafka/index.js');
  if (!/^\d+[kmg]$/i.test(options.heap))
    throw new UsageError(`--heap must look like 512m or 1g, got '${options.heap}'`);
  const config = Object.fromEntries(
    options.config.map((assignment) => {
      const eq = assignment.indexOf('=');
      if (eq <= 0) throw new UsageError(`--config expects key=value, got '${assignment}'`);
      return [assignment.slice(0, eq), assignment.slice(eq + 1)];
    }),
  );
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const cluster = await asEnvironmentError(() =>
    ApacheKafkaCluster.start({
      ...locate(options),
      brokers: Number(options.brokers),
      port: options.port,
      heap: options.heap,
      config,
      log,
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    }),
  );
  for (const node of cluster.nodes) {
    process.stdout.write(`kafka ${node.nodeId} listening on ${node.address} pid ${node.pid}\n`);
  }
  const { formatMs, startMs } = cluster.timings;
  log(
    `Apache Kafka ${cluster.kafka.version} (${cluster.kafka.source}: ${cluster.kafka.home}) ready in ${startMs} ms` +
      `${formatMs > 0 ? ` after ${formatMs} ms formatting storage` : ''}; data in ${cluster.dir}; logs in ${cluster.nodes[0]!.logFile}`,
  );

  // The JVMs are unref'd children: without this timer nothing would keep kq (and so the nodes) running.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      clearInterval(keepAlive);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log(`${signal}: stopping ${cluster.nodes.length} node(s)`);
      void cluster.stop().then(resolve, (error: unknown) => {
        log(`stop failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // a node that dies on its own ends the command: the cluster it promised is gone
    for (const node of cluster.nodes) {
      void node.exited.then((exit) => {
        if (!process.listenerCount('SIGINT')) return;
        log(`kafka ${node.nodeId} exited (${exit.signal ?? `exit ${exit.code}`}); last lines of ${node.logFile}:`);
        for (const line of node.lastLogLines(10)) log(`  ${line}`);
        process.exitCode = 1;
        stop('SIGTERM');
      });
    }
  });
  log('stopped');
}

function locate(options: { kafkaVersion?: string; cacheDir?: string }) {
  return {
    ...(options.kafkaVersion !== undefined ? { version: options.kafkaVersion } : {}),
    ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
  };
}

/** KafkaSetupError (no Java, no Kafka, port in use, never ready) is the environment's fault: exit 3. */
async function asEnvironmentError<T>(work: () => T | Promise<T>): Promise<T> {
  const { KafkaSetupError } = await import('../../kafka/index.js');
  try {
    return await work();
  } catch (error) {
    if (error instanceof KafkaSetupError) throw new EnvironmentError(error.message);
    throw error;
  }
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0 picks a free port)');
  return port;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
