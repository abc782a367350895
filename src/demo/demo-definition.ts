import type {
  Admin,
  Consumer,
  ConsumerConfig,
  Kafka,
  KafkaConfig as KafkaJsConfig,
  Producer,
  ProducerConfig,
} from 'kafkajs';
import type { KafkaBroker, KafkaBrokerOptions } from '../broker/index.js';

/** A sentence in both of kq's languages (demos narrate in the reader's language). */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * One demo: a runnable proof of a card's answer (`demos/<id>.ts` exports one as default). The demo drives a
 * broker and real clients, records what it observed, and states checks; its verdict is computed from those
 * checks by the runner — a demo never declares itself proven.
 */
export interface DemoDefinition {
  id: string;
  title: Bilingual;
  /** The claim the demo tests, phrased so that "proven" / "not proven" reads naturally after it. */
  claim: Bilingual;
  /**
   * `client`: the demo speaks only the Kafka protocol, so it can run against a real cluster given
   * `--bootstrap-server`. `internals`: it reads the mini-broker's internals (segments, queues) and always runs
   * on a broker of its own.
   */
  needs: 'client' | 'internals';
  run(ctx: DemoContext): Promise<void>;
}

/** What a demo may use. Everything it creates through the context is closed by the runner, pass or fail. */
export interface DemoContext {
  readonly lang: 'zh' | 'en';
  /** host:port of the cluster under test: the demo's own mini-broker, or the one given with --bootstrap-server. */
  readonly bootstrap: string;
  /** The in-process mini-broker under test; undefined when running against an external cluster. */
  readonly broker: KafkaBroker | undefined;
  /** A narrated step. */
  step(text: Bilingual): void;
  /** A measured fact, shown to the reader and kept in the JSON result. */
  observe(label: string, value: unknown): void;
  /**
   * A check of the claim against what happened. The verdict is proven only if the demo made at least one check
   * and every check held.
   */
  check(label: Bilingual, outcome: { pass: boolean; expected: string; actual: string }): void;
  /** A kafkajs client for the cluster under test (quiet logger, short retries). */
  kafka(config?: Partial<KafkaJsConfig>): Kafka;
  /** A connected kafkajs producer / consumer / admin, disconnected when the demo ends. */
  producer(config?: ProducerConfig): Promise<Producer>;
  consumer(config: ConsumerConfig): Promise<Consumer>;
  admin(): Promise<Admin>;
  /** Another mini-broker with its own settings (e.g. tiny segments), closed when the demo ends. */
  startBroker(options?: KafkaBrokerOptions): Promise<KafkaBroker>;
  /** A topic name unique to this run, so demos against a shared cluster never collide. */
  topic(base: string): string;
  /** Registers cleanup to run when the demo ends (clients, timers). */
  defer(cleanup: () => Promise<void> | void): void;
}

export function defineDemo(definition: DemoDefinition): DemoDefinition {
  return definition;
}
