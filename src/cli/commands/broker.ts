import { Command, InvalidArgumentError } from 'commander';
import envPaths from 'env-paths';
import { join } from 'node:path';
import { ensureWritableDirectory } from '../../store/ensure-directory.js';
import { EnvironmentError, UsageError } from '../errors.js';

interface BrokerOptions {
  port: number;
  host: string;
  advertisedHost?: string;
  dataDir?: string;
  config: string[];
}

/**
 * `kq broker [--port 9092] [--host 127.0.0.1] [--advertised-host H] [--data-dir DIR] [--config key=value ...]`: runs the mini-broker
 * in the foreground. Prints `listening on HOST:PORT` on stdout once it accepts connections (scripts and tests
 * wait for that line), logs connections and topic changes on stderr, and closes cleanly on SIGINT/SIGTERM.
 * The broker is imported inside the action so other commands never load it.
 */
export function brokerCommand(): Command {
  return new Command('broker')
    .description('run the mini Kafka broker in the foreground (real Kafka clients can connect)')
    .option('-p, --port <port>', 'port to listen on; 0 picks a free one', parsePort, 9092)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option(
      '--advertised-host <host>',
      'host clients are told to connect to (default: --host, or 127.0.0.1 for 0.0.0.0)',
    )
    .option('--data-dir <dir>', 'where topics are stored (default $KQ_HOME/broker or the kq data dir)')
    .option('-c, --config <key=value...>', 'broker settings by Kafka’s names, e.g. num.partitions=3', collect, [])
    .action(async (options: BrokerOptions) => {
      await runBroker(options);
    });
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
  } = await import('../../broker/index.js');

  let config;
  try {
    config = KafkaConfig.fromAssignments(options.config);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const dataDir = options.dataDir ?? defaultDataDir();
  try {
    // before the broker's own recursive mkdir, which spins forever under /proc and reports a file as EEXIST
    ensureWritableDirectory(dataDir);
  } catch (error) {
    throw new EnvironmentError(
      `cannot use data dir ${dataDir}: ${(error as Error).message}. Choose another with --data-dir.`,
    );
  }
  let broker;
  try {
    broker = await startBroker({
      host: options.host,
      advertisedHost: options.advertisedHost,
      port: options.port,
      dataDir,
      config,
    });
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
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
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
  log(`data dir ${broker.dataDir}`);
  log(`group coordinator: ${broker.groups().length} group(s) loaded from __consumer_offsets`);
  process.stdout.write(`listening on ${broker.bootstrap}\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      log(`${signal}: closing (flushing logs, writing clean-shutdown markers)`);
      void broker.close().then(resolve, (error: unknown) => {
        log(`close failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  log('closed');
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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
