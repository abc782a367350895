import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type KafkaConfig as KafkaJsConfig } from 'kafkajs';
import { KafkaBroker, type KafkaBrokerOptions } from '../broker/index.js';
import type { DemoContext, DemoDefinition } from './demo-definition.js';
import { verdictOf, type DemoEvent, type DemoResult } from './demo-result.js';

export interface RunDemoOptions {
  lang: 'zh' | 'en';
  /** Run against this external cluster instead of a fresh mini-broker (client-visible demos only). */
  bootstrapServer?: string;
  /** Called with each event as it happens, for live output. */
  onEvent?: (event: DemoEvent) => void;
  /** The whole demo must finish within this; default 60 s. */
  timeoutMs?: number;
}

/** The cluster given with --bootstrap-server did not answer: an environment problem (exit 3). */
export class ClusterUnreachableError extends Error {}
/** An internals demo was asked to run against an external cluster: a usage error (exit 2). */
export class DemoNeedsInternalsError extends Error {}

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
  const external = options.bootstrapServer;
  if (external && demo.needs === 'internals') {
    throw new DemoNeedsInternalsError(
      `demo '${demo.id}' reads the mini-broker's internals, so it cannot run against --bootstrap-server; run it without that flag`,
    );
  }

  const runId = randomBytes(3).toString('hex');
  const startBroker = async (brokerOptions: KafkaBrokerOptions = {}) => {
    const broker = await KafkaBroker.start({ host: '127.0.0.1', port: 0, ...brokerOptions });
    cleanups.push(() => broker.close());
    return broker;
  };
  let broker: KafkaBroker | undefined;
  let bootstrap: string;
  if (external) {
    await assertReachable(external);
    bootstrap = external;
  } else {
    broker = await startBroker();
    bootstrap = broker.bootstrap;
  }

  const kafka = (config: Partial<KafkaJsConfig> = {}) =>
    new Kafka({
      clientId: `kq-demo-${demo.id}`,
      brokers: [bootstrap],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      retry: { retries: 3, initialRetryTime: 100 },
      ...config,
    });
  const ctx: DemoContext = {
    lang: options.lang,
    bootstrap,
    broker,
    step: (text) => record({ kind: 'step', text }),
    observe: (label, value) => record({ kind: 'observation', label, value }),
    check: (label, outcome) => record({ kind: 'check', label, ...outcome }),
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
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeoutMs = options.timeoutMs ?? 60_000;
    await Promise.race([
      demo.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
  } finally {
    clearTimeout(timer);
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
    target: external ? 'external' : 'mini-broker',
    bootstrap,
    ...verdict,
    events,
    durationMs: Date.now() - started,
    ...(error !== undefined ? { error } : {}),
  };
}

async function assertReachable(bootstrap: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'kq-demo-probe',
    brokers: [bootstrap],
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
