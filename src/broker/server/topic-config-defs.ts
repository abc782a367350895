/**
 * Every topic-level config Apache Kafka 4.4 defines (its `LogConfig`), as data: the wire type DescribeConfigs
 * reports, the broker config it falls back to (Kafka's `ServerTopicConfigSynonyms`), Kafka's default when no broker
 * config sets one, and whether kq honours it. CreateTopics and DescribeConfigs list all of them, as Kafka does; a
 * config kq does not implement is listed with the value kq in fact behaves as (Kafka's default) and refused when
 * set (ConfigAdminManager, LogManager). Immutable tables; the defaults were read from a Kafka 4.4.0 broker's
 * DescribeConfigs answer (`test/oracle` compares them with a live one).
 */

/** Kafka's ConfigEntry.ConfigType ids, as DescribeConfigs v3+ reports them. */
export const ConfigType = {
  UNKNOWN: 0,
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const;
export type ConfigTypeName = keyof typeof ConfigType;

/** Kafka's DescribeConfigsResponse.ConfigSource ids. */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const;

export interface TopicConfigDef {
  readonly name: string;
  readonly type: ConfigTypeName;
  /** The broker config whose value is this topic config's default (Kafka's `ServerTopicConfigSynonyms`). */
  readonly brokerSynonym?: string;
  /** Kafka's default when neither the topic nor a broker config sets it, as Kafka prints it. */
  readonly kafkaDefault: string;
  /** kq's logs and partitions run with it (TopicConfig parses and validates it); otherwise fixed at the default. */
  readonly implemented: boolean;
  readonly doc: string;
}

const LONG_MAX = '9223372036854775807';

export const TOPIC_CONFIG_DEFS: readonly TopicConfigDef[] = [
  {
    name: 'cleanup.policy',
    type: 'LIST',
    brokerSynonym: 'log.cleanup.policy',
    kafkaDefault: 'delete',
    implemented: true,
    doc: 'delete: old segments are removed by retention (kq has no compaction)',
  },
  {
    name: 'compression.gzip.level',
    type: 'INT',
    brokerSynonym: 'compression.gzip.level',
    kafkaDefault: '-1',
    implemented: false,
    doc: 'gzip level when the broker recompresses (kq never recompresses)',
  },
  {
    name: 'compression.lz4.level',
    type: 'INT',
    brokerSynonym: 'compression.lz4.level',
    kafkaDefault: '9',
    implemented: false,
    doc: 'lz4 level when the broker recompresses (kq never recompresses)',
  },
  {
    name: 'compression.type',
    type: 'STRING',
    brokerSynonym: 'compression.type',
    kafkaDefault: 'producer',
    implemented: false,
    doc: "producer: batches are stored as the producer compressed them (kq's only mode)",
  },
  {
    name: 'compression.zstd.level',
    type: 'INT',
    brokerSynonym: 'compression.zstd.level',
    kafkaDefault: '3',
    implemented: false,
    doc: 'zstd level when the broker recompresses (kq never recompresses)',
  },
  {
    name: 'delete.retention.ms',
    type: 'LONG',
    brokerSynonym: 'log.cleaner.delete.retention.ms',
    kafkaDefault: '86400000',
    implemented: false,
    doc: 'how long compaction keeps tombstones (no compaction in kq)',
  },
  {
    name: 'errors.deadletterqueue.group.enable',
    type: 'BOOLEAN',
    kafkaDefault: 'false',
    implemented: false,
    doc: 'whether share/streams groups may use the topic as a dead-letter queue',
  },
  {
    name: 'file.delete.delay.ms',
    type: 'LONG',
    brokerSynonym: 'log.segment.delete.delay.ms',
    kafkaDefault: '60000',
    implemented: false,
    doc: 'delay before a deleted segment file is removed (kq removes at once)',
  },
  {
    name: 'flush.messages',
    type: 'LONG',
    brokerSynonym: 'log.flush.interval.messages',
    kafkaDefault: LONG_MAX,
    implemented: true,
    doc: 'fsync after this many messages (default: never, replication gives durability)',
  },
  {
    name: 'flush.ms',
    type: 'LONG',
    brokerSynonym: 'log.flush.interval.ms',
    kafkaDefault: LONG_MAX,
    implemented: true,
    doc: 'fsync when the last flush is older than this (default: never)',
  },
  {
    name: 'follower.replication.throttled.replicas',
    type: 'LIST',
    kafkaDefault: '',
    implemented: false,
    doc: 'replicas whose follower fetches are throttled (kq has no throttling)',
  },
  {
    name: 'index.interval.bytes',
    type: 'INT',
    brokerSynonym: 'log.index.interval.bytes',
    kafkaDefault: '4096',
    implemented: true,
    doc: 'bytes of log between two offset-index entries',
  },
  {
    name: 'leader.replication.throttled.replicas',
    type: 'LIST',
    kafkaDefault: '',
    implemented: false,
    doc: 'replicas whose leader side is throttled (kq has no throttling)',
  },
  {
    name: 'local.retention.bytes',
    type: 'LONG',
    brokerSynonym: 'log.local.retention.bytes',
    kafkaDefault: '-2',
    implemented: false,
    doc: 'local retention with tiered storage (-2: as retention.bytes; kq has no tiered storage)',
  },
  {
    name: 'local.retention.ms',
    type: 'LONG',
    brokerSynonym: 'log.local.retention.ms',
    kafkaDefault: '-2',
    implemented: false,
    doc: 'local retention with tiered storage (-2: as retention.ms; kq has no tiered storage)',
  },
  {
    name: 'max.compaction.lag.ms',
    type: 'LONG',
    brokerSynonym: 'log.cleaner.max.compaction.lag.ms',
    kafkaDefault: LONG_MAX,
    implemented: false,
    doc: 'longest a record stays uncompacted (no compaction in kq)',
  },
  {
    name: 'max.decompressed.message.bytes',
    type: 'INT',
    brokerSynonym: 'max.decompressed.message.bytes',
    kafkaDefault: '2147483639',
    implemented: false,
    doc: 'largest decompressed batch the broker will validate',
  },
  {
    name: 'max.message.bytes',
    type: 'INT',
    brokerSynonym: 'message.max.bytes',
    kafkaDefault: '1048588',
    implemented: true,
    doc: 'largest record batch the topic accepts',
  },
  {
    name: 'message.timestamp.after.max.ms',
    type: 'LONG',
    brokerSynonym: 'log.message.timestamp.after.max.ms',
    kafkaDefault: '3600000',
    implemented: false,
    doc: 'how far in the future a record timestamp may be',
  },
  {
    name: 'message.timestamp.before.max.ms',
    type: 'LONG',
    brokerSynonym: 'log.message.timestamp.before.max.ms',
    kafkaDefault: LONG_MAX,
    implemented: false,
    doc: 'how far in the past a record timestamp may be',
  },
  {
    name: 'message.timestamp.type',
    type: 'STRING',
    brokerSynonym: 'log.message.timestamp.type',
    kafkaDefault: 'CreateTime',
    implemented: false,
    doc: "CreateTime: the producer's timestamps are kept (kq's only mode)",
  },
  {
    name: 'min.cleanable.dirty.ratio',
    type: 'DOUBLE',
    brokerSynonym: 'log.cleaner.min.cleanable.ratio',
    kafkaDefault: '0.5',
    implemented: false,
    doc: 'how dirty a log must be before compaction (no compaction in kq)',
  },
  {
    name: 'min.compaction.lag.ms',
    type: 'LONG',
    brokerSynonym: 'log.cleaner.min.compaction.lag.ms',
    kafkaDefault: '0',
    implemented: false,
    doc: 'shortest a record stays uncompacted (no compaction in kq)',
  },
  {
    name: 'min.insync.replicas',
    type: 'INT',
    brokerSynonym: 'min.insync.replicas',
    kafkaDefault: '1',
    implemented: true,
    doc: 'acks=all needs this many in-sync replicas',
  },
  {
    name: 'preallocate',
    type: 'BOOLEAN',
    brokerSynonym: 'log.preallocate',
    kafkaDefault: 'false',
    implemented: false,
    doc: 'preallocate segment files (kq never does)',
  },
  {
    name: 'remote.copy.lag.bytes',
    type: 'LONG',
    brokerSynonym: 'log.remote.copy.lag.bytes',
    kafkaDefault: '-1',
    implemented: false,
    doc: 'tiered storage upload check (kq has no tiered storage)',
  },
  {
    name: 'remote.copy.lag.ms',
    type: 'LONG',
    brokerSynonym: 'log.remote.copy.lag.ms',
    kafkaDefault: '0',
    implemented: false,
    doc: 'tiered storage upload check (kq has no tiered storage)',
  },
  {
    name: 'remote.log.copy.disable',
    type: 'BOOLEAN',
    kafkaDefault: 'false',
    implemented: false,
    doc: 'stop copying to tiered storage (kq has no tiered storage)',
  },
  {
    name: 'remote.log.delete.on.disable',
    type: 'BOOLEAN',
    kafkaDefault: 'false',
    implemented: false,
    doc: 'delete tiered data when disabling it (kq has no tiered storage)',
  },
  {
    name: 'remote.storage.enable',
    type: 'BOOLEAN',
    kafkaDefault: 'false',
    implemented: false,
    doc: 'tiered storage for this topic (kq has none)',
  },
  {
    name: 'retention.bytes',
    type: 'LONG',
    brokerSynonym: 'log.retention.bytes',
    kafkaDefault: '-1',
    implemented: true,
    doc: 'delete old segments beyond this size per partition; -1 no limit',
  },
  {
    name: 'retention.ms',
    type: 'LONG',
    brokerSynonym: 'log.retention.ms',
    kafkaDefault: '604800000',
    implemented: true,
    doc: 'delete segments older than this; -1 keeps forever',
  },
  {
    name: 'segment.bytes',
    type: 'INT',
    brokerSynonym: 'log.segment.bytes',
    kafkaDefault: '1073741824',
    implemented: true,
    doc: 'roll a new segment after this many bytes',
  },
  {
    name: 'segment.index.bytes',
    type: 'INT',
    brokerSynonym: 'log.index.size.max.bytes',
    kafkaDefault: '10485760',
    implemented: false,
    doc: 'largest offset index file',
  },
  {
    name: 'segment.jitter.ms',
    type: 'LONG',
    brokerSynonym: 'log.roll.jitter.ms',
    kafkaDefault: '0',
    implemented: false,
    doc: 'random jitter subtracted from segment.ms (kq rolls without jitter)',
  },
  {
    name: 'segment.ms',
    type: 'LONG',
    brokerSynonym: 'log.roll.ms',
    kafkaDefault: '604800000',
    implemented: true,
    doc: 'roll a new segment after this long',
  },
  {
    name: 'unclean.leader.election.enable',
    type: 'BOOLEAN',
    brokerSynonym: 'unclean.leader.election.enable',
    kafkaDefault: 'false',
    implemented: true,
    doc: 'elect an out-of-sync replica when no in-sync one is left (acknowledged records it lacks are lost)',
  },
];

export const TOPIC_CONFIG_DEF_BY_NAME: ReadonlyMap<string, TopicConfigDef> = new Map(
  TOPIC_CONFIG_DEFS.map((d) => [d.name, d]),
);

/**
 * Broker configs that mean the same thing under several names, most specific first (Kafka's
 * `DynamicBrokerConfig.brokerConfigSynonyms`): the first one set wins.
 */
const BROKER_SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['log.roll.ms', 'log.roll.hours'],
  ['log.roll.jitter.ms', 'log.roll.jitter.hours'],
  ['log.retention.ms', 'log.retention.minutes', 'log.retention.hours'],
  ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'],
];

/** The synonym group of a broker config: itself alone unless it is one of Kafka's multi-name settings. */
export function brokerSynonymGroup(name: string): readonly string[] {
  return BROKER_SYNONYM_GROUPS.find((group) => group.includes(name)) ?? [name];
}

/**
 * Kafka's defaults of broker configs kq does not define but Kafka names as synonyms (DescribeConfigs lists them
 * with source DEFAULT_CONFIG, as a Kafka broker started with no such setting does). null: no default.
 */
export const KAFKA_BROKER_DEFAULTS: ReadonlyMap<string, string | null> = new Map<string, string | null>([
  ...TOPIC_CONFIG_DEFS.filter((d) => d.brokerSynonym !== undefined).map(
    (d) => [d.brokerSynonym!, d.kafkaDefault] as [string, string | null],
  ),
  ['log.roll.ms', null],
  ['log.roll.hours', '168'],
  ['log.roll.jitter.ms', null],
  ['log.roll.jitter.hours', '0'],
  ['log.retention.ms', null],
  ['log.retention.minutes', null],
  ['log.retention.hours', '168'],
  ['log.flush.interval.ms', null],
  ['log.flush.scheduler.interval.ms', LONG_MAX],
]);
