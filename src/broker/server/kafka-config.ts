import { ConfigError, configValueText, keyTable, LONG_MAX, parseAssignments, splitAssignment } from './config-def.js';
import type { GroupConfig } from '../group/group-config.js';
import type { ConfigKey, ConfigValue } from './config-def.js';
import { parseQuorumVoters, type QuorumVoter, QuorumVotersError } from '../raft/quorum-config.js';

/** The KRaft settings of a node (`process.roles`, `controller.quorum.*`), as KafkaRaftManager takes them. */
export interface QuorumConfig {
  readonly roles: readonly ('broker' | 'controller')[];
  readonly voters: readonly QuorumVoter[];
  readonly electionTimeoutMs: number;
  readonly fetchTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly retryBackoffMs: number;
}

/**
 * Broker-level settings by Kafka's own names (`KafkaConfig.scala` / `ServerLogConfigs`), with Kafka's defaults.
 * Built once at start from `key=value` strings (CLI `--config`) or an object (tests); immutable afterwards, so
 * every thread of the broker may read it. Topic-level overrides are TopicConfig's; this class only supplies the
 * defaults TopicConfig falls back to.
 */
export class KafkaConfig {
  static readonly keys: readonly ConfigKey[] = [
    { name: 'broker.id', type: 'int', defaultValue: 0, min: 0, doc: 'this broker’s id in the cluster' },
    { name: 'node.id', type: 'int', defaultValue: 0, min: 0, doc: 'KRaft name of broker.id; the two must agree' },
    {
      name: 'num.network.threads',
      type: 'int',
      defaultValue: 3,
      min: 1,
      doc: 'Processors reading and writing sockets',
    },
    { name: 'num.io.threads', type: 'int', defaultValue: 8, min: 1, doc: 'request handlers running KafkaApis' },
    {
      name: 'queued.max.requests',
      type: 'int',
      defaultValue: 500,
      min: 1,
      doc: 'requests waiting for a handler before Processors stop reading',
    },
    {
      name: 'socket.request.max.bytes',
      type: 'int',
      defaultValue: 104857600,
      min: 1,
      doc: 'largest request frame; bigger closes the connection',
    },
    {
      name: 'message.max.bytes',
      type: 'int',
      defaultValue: 1048588,
      min: 0,
      doc: 'largest record batch a producer may send',
    },
    {
      name: 'log.segment.bytes',
      type: 'int',
      defaultValue: 1073741824,
      // Kafka 4.0 on (KIP-1030); a test that needs small segments sets the topic's internal.segment.bytes
      min: 1_048_576,
      doc: 'roll a new segment after this many bytes (at least 1 MiB)',
    },
    {
      name: 'log.roll.ms',
      type: 'long',
      defaultValue: null,
      min: 1,
      doc: 'roll a new segment after this long; wins over log.roll.hours',
    },
    { name: 'log.roll.hours', type: 'int', defaultValue: 168, min: 1, doc: 'roll a new segment after this many hours' },
    {
      name: 'log.index.interval.bytes',
      type: 'int',
      defaultValue: 4096,
      min: 0,
      doc: 'bytes between two offset-index entries',
    },
    {
      name: 'log.flush.interval.messages',
      type: 'long',
      defaultValue: LONG_MAX,
      min: 1,
      doc: 'fsync after this many messages (default never)',
    },
    {
      name: 'log.flush.interval.ms',
      type: 'long',
      defaultValue: null,
      min: 0,
      doc: 'fsync after this many ms (default never)',
    },
    {
      name: 'log.retention.ms',
      type: 'long',
      defaultValue: null,
      min: -1,
      doc: 'delete segments older than this; -1 keeps forever',
    },
    {
      name: 'log.retention.hours',
      type: 'int',
      defaultValue: 168,
      min: -1,
      doc: 'retention when log.retention.ms is unset',
    },
    {
      name: 'log.retention.bytes',
      type: 'long',
      defaultValue: -1,
      min: -1,
      doc: 'delete old segments beyond this size; -1 no limit',
    },
    {
      name: 'log.retention.check.interval.ms',
      type: 'long',
      defaultValue: 300000,
      min: 1,
      doc: 'how often retention deletes old segments',
    },
    {
      name: 'auto.create.topics.enable',
      type: 'boolean',
      defaultValue: true,
      doc: 'create a topic when a client asks for an unknown one',
    },
    { name: 'num.partitions', type: 'int', defaultValue: 1, min: 1, doc: 'partitions of an auto-created topic' },
    {
      name: 'default.replication.factor',
      type: 'int',
      defaultValue: 1,
      min: 1,
      doc: 'replicas of an auto-created topic (1 on one broker)',
    },
    // Replication (issue 11): the ISR, the high watermark, acks=all and the replica fetchers.
    {
      name: 'min.insync.replicas',
      type: 'int',
      defaultValue: 1,
      min: 1,
      doc: 'acks=all needs this many in-sync replicas; below it the high watermark stops (Kafka ≥ 3.7)',
    },
    {
      name: 'replica.lag.time.max.ms',
      type: 'long',
      defaultValue: 30000,
      min: 1,
      doc: 'a follower not caught up for this long leaves the ISR',
    },
    {
      name: 'replica.fetch.wait.max.ms',
      type: 'int',
      defaultValue: 500,
      min: 0,
      doc: 'longest a follower fetch waits at the leader for new data',
    },
    {
      name: 'replica.fetch.max.bytes',
      type: 'int',
      defaultValue: 1048576,
      min: 0,
      doc: 'bytes a follower asks for per partition per fetch',
    },
    {
      name: 'replica.fetch.backoff.ms',
      type: 'int',
      defaultValue: 1000,
      min: 0,
      doc: 'how long a follower waits after a failed fetch',
    },
    {
      name: 'request.timeout.ms',
      type: 'int',
      defaultValue: 30000,
      min: 1,
      doc: 'inter-broker request timeout (a follower fetch, OffsetsForLeaderEpoch)',
    },
    // The KRaft control plane (KIP-631): brokers heartbeat to the active controller, which fences the silent ones.
    {
      name: 'broker.heartbeat.interval.ms',
      type: 'int',
      defaultValue: 2000,
      min: 1,
      doc: 'how often a broker heartbeats to the active controller',
    },
    {
      name: 'broker.session.timeout.ms',
      type: 'int',
      defaultValue: 9000,
      min: 1,
      doc: 'a broker without a heartbeat for this long is fenced and loses its leaderships',
    },
    // Elections (issue 13): the controller's rules beyond the clean one.
    {
      name: 'unclean.leader.election.enable',
      type: 'boolean',
      defaultValue: false,
      doc: 'elect an out-of-sync replica when no in-sync one is live (acknowledged records it lacks are lost)',
    },
    {
      name: 'unclean.leader.election.interval.ms',
      type: 'int',
      defaultValue: 300000,
      min: 1,
      doc: 'how often the controller looks for leaderless partitions whose topic now allows an unclean election',
    },
    {
      name: 'auto.leader.rebalance.enable',
      type: 'boolean',
      defaultValue: true,
      doc: 'move leadership back to each partition’s preferred replica (the first assigned) periodically',
    },
    {
      name: 'leader.imbalance.check.interval.seconds',
      type: 'int',
      defaultValue: 300,
      min: 1,
      doc: 'how often the controller checks for partitions not led by their preferred replica',
    },
    {
      name: 'kq.follower.truncation',
      type: 'string',
      defaultValue: 'leader-epoch',
      choices: ['leader-epoch', 'high-watermark'],
      doc: 'kq only: high-watermark reproduces the pre-KIP-101 truncation the leader-epoch demo shows',
    },
    {
      name: 'kq.eligible.leader.replicas.version',
      type: 'string',
      defaultValue: '1',
      choices: ['0', '1'],
      doc: 'kq only: the eligible.leader.replicas.version feature a new cluster starts with (KIP-966 ELR; Kafka 4.4: 1, 0 turns ELR off), as kafka-storage format --feature would set it',
    },
    {
      name: 'offsets.topic.num.partitions',
      type: 'int',
      defaultValue: 50,
      min: 1,
      doc: 'partitions of __consumer_offsets',
    },
    {
      name: 'offsets.topic.replication.factor',
      type: 'int',
      defaultValue: 3,
      min: 1,
      doc: 'replicas of each __consumer_offsets partition in a cluster (capped at the brokers registered)',
    },
    {
      name: 'offsets.commit.timeout.ms',
      type: 'int',
      defaultValue: 5000,
      min: 1,
      doc: 'how long an offset commit waits for every in-sync replica of its __consumer_offsets partition',
    },
    {
      name: 'offsets.retention.minutes',
      type: 'int',
      defaultValue: 10080,
      min: 1,
      doc: 'committed offsets of a group without members expire after this',
    },
    {
      name: 'offsets.retention.check.interval.ms',
      type: 'long',
      defaultValue: 600000,
      min: 1,
      doc: 'how often expired offsets are removed',
    },
    {
      name: 'offset.metadata.max.bytes',
      type: 'int',
      defaultValue: 4096,
      min: 0,
      doc: 'longest metadata string of a committed offset',
    },
    {
      name: 'group.min.session.timeout.ms',
      type: 'int',
      defaultValue: 6000,
      min: 1,
      doc: 'shortest session timeout a consumer may ask for',
    },
    {
      name: 'group.max.session.timeout.ms',
      type: 'int',
      defaultValue: 1800000,
      min: 1,
      doc: 'longest session timeout a consumer may ask for',
    },
    {
      name: 'process.roles',
      type: 'string',
      defaultValue: '',
      choices: ['', 'broker', 'controller', 'broker,controller', 'controller,broker'],
      doc: 'KRaft: what this node is; a controller votes in the metadata quorum, a broker only follows it',
    },
    {
      name: 'controller.quorum.voters',
      type: 'string',
      defaultValue: '',
      doc: 'KRaft: the metadata quorum’s voters as id@host:port, comma-separated',
    },
    {
      name: 'controller.quorum.election.timeout.ms',
      type: 'int',
      defaultValue: 1000,
      min: 1,
      doc: 'KRaft: wait before running for leader (plus up to as much again, at random)',
    },
    {
      name: 'controller.quorum.fetch.timeout.ms',
      type: 'int',
      defaultValue: 2000,
      min: 1,
      doc: 'KRaft: a follower that hears nothing from the leader this long runs for leader',
    },
    {
      name: 'controller.quorum.request.timeout.ms',
      type: 'int',
      defaultValue: 2000,
      min: 1,
      doc: 'KRaft: an unanswered quorum request is given up after this',
    },
    {
      name: 'controller.quorum.retry.backoff.ms',
      type: 'int',
      defaultValue: 20,
      min: 0,
      doc: 'KRaft: wait before resending a quorum request that failed',
    },
    {
      name: 'group.initial.rebalance.delay.ms',
      type: 'int',
      defaultValue: 3000,
      min: 0,
      doc: 'how long a new group waits for more members before its first rebalance',
    },
  ];
  private static readonly table = keyTable(KafkaConfig.keys);

  private constructor(
    private readonly values: ReadonlyMap<string, ConfigValue>,
    /** The keys given explicitly (Kafka's STATIC_BROKER_CONFIG source); the rest are defaults. */
    private readonly set: ReadonlySet<string>,
  ) {}

  /** Parses `key=value` strings (e.g. from `--config`). Throws ConfigError on an unknown key or bad value. */
  static fromAssignments(assignments: readonly string[]): KafkaConfig {
    return KafkaConfig.fromEntries(assignments.map(splitAssignment));
  }

  /** Parses an object of settings; numbers and booleans are accepted as themselves. */
  static fromObject(settings: Readonly<Record<string, string | number | boolean>>): KafkaConfig {
    return KafkaConfig.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)]));
  }

  private static fromEntries(entries: Array<[string, string]>): KafkaConfig {
    const parsed = parseAssignments(KafkaConfig.table, entries, 'broker');
    const values = new Map<string, ConfigValue>(KafkaConfig.keys.map((k) => [k.name, k.defaultValue]));
    for (const [k, v] of parsed) values.set(k, v);
    // broker.id and node.id name the same thing (ZooKeeper vs KRaft era); setting one sets both.
    const brokerId = parsed.get('broker.id');
    const nodeId = parsed.get('node.id');
    if (brokerId !== undefined && nodeId !== undefined && brokerId !== nodeId) {
      throw new ConfigError(
        `broker.id=${brokerId} and node.id=${nodeId} disagree: set only one, or both to the same id`,
        'node.id',
      );
    }
    const id = brokerId ?? nodeId;
    if (id !== undefined) {
      values.set('broker.id', id);
      values.set('node.id', id);
    }
    const minSession = values.get('group.min.session.timeout.ms') as number;
    const maxSession = values.get('group.max.session.timeout.ms') as number;
    if (minSession > maxSession) {
      throw new ConfigError(
        `group.min.session.timeout.ms=${minSession} is above group.max.session.timeout.ms=${maxSession}: lower the minimum or raise the maximum`,
        'group.min.session.timeout.ms',
      );
    }
    try {
      parseQuorumVoters(values.get('controller.quorum.voters') as string);
    } catch (error) {
      if (error instanceof QuorumVotersError) throw new ConfigError(error.message, 'controller.quorum.voters');
      throw error;
    }
    return new KafkaConfig(values, new Set([...parsed.keys(), ...(id !== undefined ? ['broker.id', 'node.id'] : [])]));
  }

  /** Every setting with its effective value, for `describe` output and tests. */
  entries(): Array<[string, ConfigValue]> {
    return [...this.values];
  }

  /** Whether `name` was set explicitly rather than left at its default. */
  isSet(name: string): boolean {
    return this.set.has(name);
  }

  /**
   * `name`'s value as Kafka prints it (exact: a long such as Long.MAX_VALUE is not rounded through a double);
   * null when it has no value, undefined when kq defines no such broker config.
   */
  valueText(name: string): string | null | undefined {
    if (!KafkaConfig.table.has(name)) return undefined;
    return configValueText(this.values.get(name) ?? null);
  }

  /** The definition of a broker config kq implements, or undefined. */
  static key(name: string): ConfigKey | undefined {
    return KafkaConfig.table.get(name);
  }

  private number(name: string): number {
    return this.values.get(name) as number;
  }

  get brokerId(): number {
    return this.number('broker.id');
  }
  get numNetworkThreads(): number {
    return this.number('num.network.threads');
  }
  get numIoThreads(): number {
    return this.number('num.io.threads');
  }
  get queuedMaxRequests(): number {
    return this.number('queued.max.requests');
  }
  get socketRequestMaxBytes(): number {
    return this.number('socket.request.max.bytes');
  }
  get messageMaxBytes(): number {
    return this.number('message.max.bytes');
  }
  get logSegmentBytes(): number {
    return this.number('log.segment.bytes');
  }
  /** log.roll.ms wins over log.roll.hours, as in Kafka. */
  get logRollMs(): number {
    const ms = this.values.get('log.roll.ms') as number | null;
    return ms ?? this.number('log.roll.hours') * 3_600_000;
  }
  get logRetentionCheckIntervalMs(): number {
    return this.number('log.retention.check.interval.ms');
  }
  get logIndexIntervalBytes(): number {
    return this.number('log.index.interval.bytes');
  }
  get logFlushIntervalMessages(): number {
    return this.number('log.flush.interval.messages');
  }
  /** null: never flush on time. */
  get logFlushIntervalMs(): number | null {
    return this.values.get('log.flush.interval.ms') as number | null;
  }
  /** Kafka's rule: log.retention.ms wins over log.retention.hours; -1 means keep forever. */
  get logRetentionMs(): number {
    const ms = this.values.get('log.retention.ms') as number | null;
    if (ms !== null) return ms;
    const hours = this.number('log.retention.hours');
    return hours < 0 ? -1 : hours * 3_600_000;
  }
  get logRetentionBytes(): number {
    return this.number('log.retention.bytes');
  }
  get autoCreateTopicsEnable(): boolean {
    return this.values.get('auto.create.topics.enable') as boolean;
  }
  get uncleanLeaderElectionEnable(): boolean {
    return this.values.get('unclean.leader.election.enable') as boolean;
  }
  get uncleanLeaderElectionIntervalMs(): number {
    return this.number('unclean.leader.election.interval.ms');
  }
  get autoLeaderRebalanceEnable(): boolean {
    return this.values.get('auto.leader.rebalance.enable') as boolean;
  }
  get leaderImbalanceCheckIntervalMs(): number {
    return this.number('leader.imbalance.check.interval.seconds') * 1000;
  }
  get numPartitions(): number {
    return this.number('num.partitions');
  }
  get defaultReplicationFactor(): number {
    return this.number('default.replication.factor');
  }
  get minInsyncReplicas(): number {
    return this.number('min.insync.replicas');
  }
  get replicaLagTimeMaxMs(): number {
    return this.number('replica.lag.time.max.ms');
  }
  get replicaFetchWaitMaxMs(): number {
    return this.number('replica.fetch.wait.max.ms');
  }
  get replicaFetchMaxBytes(): number {
    return this.number('replica.fetch.max.bytes');
  }
  get replicaFetchBackoffMs(): number {
    return this.number('replica.fetch.backoff.ms');
  }
  get requestTimeoutMs(): number {
    return this.number('request.timeout.ms');
  }
  get brokerHeartbeatIntervalMs(): number {
    return this.number('broker.heartbeat.interval.ms');
  }
  get brokerSessionTimeoutMs(): number {
    return this.number('broker.session.timeout.ms');
  }
  /** 'high-watermark' is the pre-KIP-101 rule (a demo of the anomaly it fixed), never Kafka's current one. */
  /** The `eligible.leader.replicas.version` a new metadata log is bootstrapped with (KIP-966; 0: off). */
  get eligibleLeaderReplicasVersion(): number {
    return Number(this.values.get('kq.eligible.leader.replicas.version'));
  }
  get followerTruncation(): 'leader-epoch' | 'high-watermark' {
    return this.values.get('kq.follower.truncation') as 'leader-epoch' | 'high-watermark';
  }
  get offsetsTopicNumPartitions(): number {
    return this.number('offsets.topic.num.partitions');
  }
  get offsetsTopicReplicationFactor(): number {
    return this.number('offsets.topic.replication.factor');
  }
  get offsetsCommitTimeoutMs(): number {
    return this.number('offsets.commit.timeout.ms');
  }
  /** The node's KRaft settings; `voters` is empty when it runs no quorum. */
  get quorumConfig(): QuorumConfig {
    const roles = (this.values.get('process.roles') as string).split(',').filter((r) => r !== '');
    return {
      roles: roles as ('broker' | 'controller')[],
      voters: parseQuorumVoters(this.values.get('controller.quorum.voters') as string),
      electionTimeoutMs: this.number('controller.quorum.election.timeout.ms'),
      fetchTimeoutMs: this.number('controller.quorum.fetch.timeout.ms'),
      requestTimeoutMs: this.number('controller.quorum.request.timeout.ms'),
      retryBackoffMs: this.number('controller.quorum.retry.backoff.ms'),
    };
  }
  /** The group coordinator's settings (`group.*`, `offsets.*`, `offset.metadata.max.bytes`). */
  get groupConfig(): GroupConfig {
    return {
      groupMinSessionTimeoutMs: this.number('group.min.session.timeout.ms'),
      groupMaxSessionTimeoutMs: this.number('group.max.session.timeout.ms'),
      groupInitialRebalanceDelayMs: this.number('group.initial.rebalance.delay.ms'),
      offsetsTopicNumPartitions: this.offsetsTopicNumPartitions,
      offsetsRetentionMinutes: this.number('offsets.retention.minutes'),
      offsetsRetentionCheckIntervalMs: this.number('offsets.retention.check.interval.ms'),
      offsetMetadataMaxBytes: this.number('offset.metadata.max.bytes'),
    };
  }
}
