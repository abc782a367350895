import type { LogConfig } from '../log/log-config.js';
import { ConfigError, configValueText, keyTable, LONG_MAX, parseAssignments } from './config-def.js';
import { TOPIC_CONFIG_DEF_BY_NAME } from './topic-config-defs.js';
import type { ConfigKey, ConfigValue } from './config-def.js';
import type { KafkaConfig } from './kafka-config.js';

/**
 * A topic's settings by Kafka's topic-level names (`segment.bytes`, `retention.ms`, …: Kafka's `TopicConfig`
 * names them): the topic's own overrides, falling back to the broker's `log.*` defaults. Only the overrides are
 * persisted, so a topic without one follows the broker default even after the broker's config changes — Kafka's
 * behaviour. Immutable: a config change builds a new TopicConfig.
 *
 * It parses and validates names and produces the log layer's `LogConfig` (`toLogConfig`): the resolved values
 * one UnifiedLog takes, as Kafka's UnifiedLog takes a LogConfig. One name each: TopicConfig is what an admin
 * writes, LogConfig is what a log runs with.
 */
export class TopicConfig {
  static readonly keys: readonly ConfigKey[] = [
    {
      name: 'segment.bytes',
      type: 'int',
      defaultValue: null,
      // Kafka 4.0 on (KIP-1030): at least 1 MiB; smaller segments are for tests, through internal.segment.bytes
      min: 1_048_576,
      doc: 'roll a new segment after this many bytes (at least 1 MiB)',
    },
    {
      // Kafka's LogConfig.INTERNAL_SEGMENT_BYTES_CONFIG: an internal key (DescribeConfigs does not list it) that wins
      // over segment.bytes with no 1 MiB floor, so tests can roll segments every few records
      name: 'internal.segment.bytes',
      type: 'int',
      defaultValue: null,
      min: 14,
      doc: 'for tests: roll a new segment after this many bytes, below the 1 MiB floor of segment.bytes',
      internal: true,
    },
    { name: 'segment.ms', type: 'long', defaultValue: null, min: 1, doc: 'roll a new segment after this long' },
    {
      name: 'index.interval.bytes',
      type: 'int',
      defaultValue: null,
      min: 0,
      doc: 'bytes between two offset-index entries',
    },
    {
      name: 'retention.ms',
      type: 'long',
      defaultValue: null,
      min: -1,
      doc: 'delete segments older than this; -1 keeps forever',
    },
    {
      name: 'retention.bytes',
      type: 'long',
      defaultValue: null,
      min: -1,
      doc: 'delete old segments beyond this size; -1 no limit',
    },
    { name: 'flush.messages', type: 'long', defaultValue: null, min: 1, doc: 'fsync after this many messages' },
    { name: 'flush.ms', type: 'long', defaultValue: null, min: 0, doc: 'fsync after this many ms' },
    { name: 'max.message.bytes', type: 'int', defaultValue: null, min: 0, doc: 'largest record batch for this topic' },
    {
      name: 'min.insync.replicas',
      type: 'int',
      defaultValue: null,
      min: 1,
      doc: 'acks=all needs this many in-sync replicas',
    },
    {
      name: 'unclean.leader.election.enable',
      type: 'boolean',
      defaultValue: null,
      doc: 'elect an out-of-sync replica when no in-sync one is left (the controller reads it)',
    },
    // compaction is not implemented, so only `delete` is accepted rather than silently ignoring `compact`.
    {
      name: 'cleanup.policy',
      type: 'string',
      defaultValue: null,
      choices: ['delete'],
      doc: 'only delete is supported by kq',
    },
  ];
  private static readonly table = keyTable(TopicConfig.keys);

  private constructor(
    /** The topic's own settings as given (raw text), the part that is persisted. */
    readonly overrides: ReadonlyMap<string, string>,
    private readonly parsed: ReadonlyMap<string, ConfigValue>,
    private readonly defaults: KafkaConfig,
  ) {}

  /** Validates topic-level overrides; throws ConfigError on an unknown key or bad value. */
  static create(overrides: Iterable<[string, string]>, defaults: KafkaConfig): TopicConfig {
    const raw = new Map(overrides);
    for (const name of raw.keys()) {
      const def = TOPIC_CONFIG_DEF_BY_NAME.get(name);
      if (def && !def.implemented) {
        throw new ConfigError(
          `topic config ${name} is not implemented by kq: it always behaves as ${name}=${def.kafkaDefault} (${def.doc})`,
          name,
        );
      }
    }
    return new TopicConfig(raw, parseAssignments(TopicConfig.table, raw, 'topic'), defaults);
  }

  private override(name: string): number | undefined {
    const value = this.parsed.get(name);
    return typeof value === 'number' ? value : undefined;
  }

  get segmentBytes(): number {
    return this.override('segment.bytes') ?? this.defaults.logSegmentBytes;
  }
  get segmentMs(): number {
    return this.override('segment.ms') ?? this.defaults.logRollMs;
  }
  get indexIntervalBytes(): number {
    return this.override('index.interval.bytes') ?? this.defaults.logIndexIntervalBytes;
  }
  get retentionMs(): number {
    return this.override('retention.ms') ?? this.defaults.logRetentionMs;
  }
  get retentionBytes(): number {
    return this.override('retention.bytes') ?? this.defaults.logRetentionBytes;
  }
  get flushMessages(): number {
    return this.override('flush.messages') ?? this.defaults.logFlushIntervalMessages;
  }
  /** Kafka's default for flush.ms is Long.MAX_VALUE: never. */
  get flushMs(): number {
    return this.override('flush.ms') ?? this.defaults.logFlushIntervalMs ?? LONG_MAX;
  }
  get maxMessageBytes(): number {
    return this.override('max.message.bytes') ?? this.defaults.messageMaxBytes;
  }
  get minInsyncReplicas(): number {
    return this.override('min.insync.replicas') ?? this.defaults.minInsyncReplicas;
  }
  get uncleanLeaderElectionEnable(): boolean {
    const value = this.parsed.get('unclean.leader.election.enable');
    return typeof value === 'boolean' ? value : this.defaults.uncleanLeaderElectionEnable;
  }
  get cleanupPolicy(): 'delete' {
    return 'delete';
  }

  /** The options UnifiedLog takes. "Never" (Kafka's Long.MAX_VALUE) becomes Number.MAX_SAFE_INTEGER. */
  toLogConfig(): LogConfig {
    const never = (n: number) => Math.min(n, Number.MAX_SAFE_INTEGER);
    return {
      segmentBytes: this.override('internal.segment.bytes') ?? this.segmentBytes,
      segmentMs: never(this.segmentMs),
      indexIntervalBytes: this.indexIntervalBytes,
      maxMessageBytes: this.maxMessageBytes,
      flushIntervalMessages: never(this.flushMessages),
      flushIntervalMs: never(this.flushMs),
      retentionMs: this.retentionMs,
      retentionBytes: this.retentionBytes,
    };
  }

  /**
   * Effective value of every topic-level key kq implements, as Kafka prints them (exact: Long.MAX_VALUE is
   * 9223372036854775807); ConfigHelper adds the ones kq does not implement at their fixed values.
   */
  effective(): Record<string, string> {
    const text = (n: number) => configValueText(n)!;
    return {
      'segment.bytes': text(this.segmentBytes),
      'segment.ms': text(this.segmentMs),
      'index.interval.bytes': text(this.indexIntervalBytes),
      'retention.ms': text(this.retentionMs),
      'retention.bytes': text(this.retentionBytes),
      'flush.messages': text(this.flushMessages),
      'flush.ms': text(this.flushMs),
      'max.message.bytes': text(this.maxMessageBytes),
      'min.insync.replicas': text(this.minInsyncReplicas),
      'cleanup.policy': this.cleanupPolicy,
      'unclean.leader.election.enable': String(this.uncleanLeaderElectionEnable),
    };
  }
}
