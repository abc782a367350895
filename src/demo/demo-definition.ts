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
import type { ApacheKafkaCluster } from '../kafka/index.js';
import type { ClusterView } from './cluster-view.js';
import type { DemoCluster } from './demo-cluster.js';
import type { PartitionOnDisk } from './partition-on-disk.js';
import type { RawPartitionReader } from './raw-partition-reader.js';
import type { SyscallTrace } from './syscall-trace.js';

/** A sentence in both of kq's languages (demos narrate in the reader's language). */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * What a check says it expected or saw: a plain string when it is language-neutral (numbers, offsets, error codes,
 * config names), else both languages, so a Chinese run reads Chinese throughout.
 */
export type CheckText = string | Bilingual;

/** The text of `text` in `lang`. */
export function inLanguage(text: CheckText, lang: 'zh' | 'en'): string {
  return typeof text === 'string' ? text : text[lang];
}

/** A knob's value: what `kq demo <id> --set name=value` may change. */
export type KnobValue = number | string | boolean;

/**
 * A what-if knob: a setting the demo is parameterised by (a Kafka config by its Kafka name where it is one). Its
 * checks state their expectations as functions of the knobs, so `--set` changes what the demo predicts, not only
 * what it does.
 */
export interface Knob<V extends KnobValue = KnobValue> {
  default: V;
  about: Bilingual;
  /** The only values allowed (strings: a codec, a reset policy); numbers may give a range instead. */
  choices?: readonly V[];
  min?: number;
  max?: number;
}

export type Knobs = Readonly<Record<string, KnobValue>>;

/**
 * One demo: a runnable proof of a card's answer (`demos/<id>.ts` exports one as default). The demo drives a
 * broker and real clients, records what it observed, and states checks; its verdict is computed from those
 * checks by the runner — a demo never declares itself proven.
 */
export interface DemoDefinition<K extends Knobs = Knobs> {
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
  /**
   * How many brokers the demo needs (default 1). With more, the runner starts a cluster of its own — kq's
   * `KafkaCluster`, or Apache Kafka with `--kafka` — with `FAULT_DEMO_BROKER_CONFIG`, and hands it over as
   * `ctx.cluster` (stop, kill, pause, restart one broker) and `ctx.clusterView` (what clients see).
   */
  brokers?: number;
  /**
   * The demo cuts brokers' power (`ctx.cluster.powerLoss`): kq's cluster then runs its fault layer (each node's file
   * writes tracked since their last fsync). Only kq's cluster can, so such a demo is kq-internal (kq-internal-demos.ts).
   */
  powerLoss?: boolean;
  /** The what-if knobs and their defaults (see Knob). */
  knobs: { readonly [N in keyof K]: Knob<K[N]> };
  run(ctx: DemoContext<K>): Promise<void>;
}

/** The broker under test as an operator sees it: its process and its data directory (log.dirs). */
export interface BrokerHost {
  pid: number;
  dataDir: string;
  host: string;
  port: number;
}

/** What a check found: whether the claim held, and what was expected and seen (shown to the reader). */
export interface Outcome {
  pass: boolean;
  expected: CheckText;
  actual: CheckText;
}

/** What a demo may use. Everything it creates through the context is closed by the runner, pass or fail. */
export interface DemoContext<K extends Knobs = Knobs> {
  readonly lang: 'zh' | 'en';
  /** The knobs' values for this run: the defaults, with `--set` applied. */
  readonly knobs: K;
  /**
   * The broker process and data directory, when the demo can see them (kq's own broker; Apache Kafka started by
   * kq). Undefined against a remote cluster: checks that need them are then reported with `notApplicable`.
   */
  readonly host: BrokerHost | undefined;
  /** host:port of the cluster under test: the demo's own mini-broker, or the one given with --bootstrap-server. */
  readonly bootstrap: string;
  /**
   * What the demo runs on: kq's broker (in this process), Apache Kafka started by kq (`--kafka`: its JVMs and data
   * dirs are on this machine, so `host`, `partitionOnDisk` and `traceSyscalls` work), or a user's cluster
   * (`--bootstrap-server`: the protocol only).
   */
  readonly target: 'kq' | 'apache-kafka' | 'external';
  /** The Apache Kafka nodes under test with `--kafka` (pids, data dirs, kill/pause for fault demos); else undefined. */
  readonly apacheKafka: ApacheKafkaCluster | undefined;
  /**
   * The brokers under test when the demo declared `brokers` > 1 (kq's or Apache Kafka's, the same interface), for
   * faults: stop, kill, pause, resume, restart one broker. Undefined for one-broker demos.
   */
  readonly cluster: DemoCluster | undefined;
  /** What clients see of `cluster` (leader, epoch, ISR from Metadata; a consumer's read of one replica). */
  readonly clusterView: ClusterView | undefined;
  /** The in-process mini-broker under test; undefined on Apache Kafka and on an external cluster. */
  readonly broker: KafkaBroker | undefined;
  /** A narrated step. */
  step(text: Bilingual): void;
  /** A measured fact, shown to the reader and kept in the JSON result. */
  observe(label: string, value: unknown): void;
  /**
   * A check of the claim against what happened. The verdict is proven only if the demo made at least one check
   * and every check held.
   */
  check(label: Bilingual, outcome: Outcome): void;
  /**
   * A check this target cannot make (e.g. the data directory of a remote cluster): shown, kept in the JSON, and
   * never counted as held. A demo whose every check is not applicable proves nothing.
   */
  notApplicable(label: Bilingual, why: CheckText): void;
  /**
   * A check that can only be read from kq's broker internals (its request queue, purgatory, counters): measured
   * on kq's broker; on Apache Kafka or an external cluster reported not applicable with `why`, never passed. A
   * check an operator could observe on real Kafka (files in its data dir, syscalls) should do that instead.
   */
  checkInternals(
    label: Bilingual,
    why: CheckText,
    measure: (broker: KafkaBroker) => Outcome | Promise<Outcome>,
  ): Promise<void>;
  /** Creates topics and waits for their leaders. */
  createTopics(
    topics: Array<{ topic: string; partitions?: number; configs?: Record<string, string | number> }>,
  ): Promise<void>;
  /** A raw protocol reader for the cluster under test (exact batches and offsets, any leader), closed at the end. */
  reader(): RawPartitionReader;
  /** A partition's files in the broker's data directory, parsed from their bytes (needs `host`). */
  partitionOnDisk(topic: string, partition: number): PartitionOnDisk;
  /** strace on the broker process (needs `host`), detached at the end. */
  traceSyscalls(syscalls: readonly string[]): Promise<SyscallTrace>;
  /** Resolves once `condition()` holds, re-checking every `everyMs`; fails naming `what` after `timeoutMs`. */
  waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs?: number): Promise<void>;
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

/** Declares a demo; the knobs' types flow from their defaults into `ctx.knobs`. */
export function defineDemo<K extends Knobs>(definition: DemoDefinition<K>): DemoDefinition {
  return definition;
}
