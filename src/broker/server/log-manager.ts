import { ensureDirectory } from '../utils/ensure-directory.js';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { PartitionMetadataFile } from '../log/partition-metadata-file.js';
import { UnifiedLog } from '../log/unified-log.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { ConfigError } from './config-def.js';
import type { KafkaConfig } from './kafka-config.js';
import { TopicConfig } from './topic-config.js';
import { kafkaTopicId, newTopicId, topicIdHex } from './topic-id.js';
import { topicNameProblem } from './topic-name.js';
import { TopicStore } from './topic-store.js';
import type { StoredTopic } from './topic-store.js';

/** A topic as the broker holds it: its registry entry, its config, and one open log per partition. */
export interface TopicLogs {
  readonly name: string;
  /** Kafka's topic id, in its 22-character base64url form (topic-id.ts). */
  readonly id: string;
  readonly config: TopicConfig;
  readonly logs: readonly UnifiedLog[];
}

/**
 * A topic operation refused with a protocol error (Kafka answers these per topic, not per request), e.g.
 * TOPIC_ALREADY_EXISTS or INVALID_PARTITIONS; `message` goes back to the client as the error message.
 */
export class TopicOperationError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'TopicOperationError';
  }
}

/**
 * Kafka has no such limit (partitions are metadata until placed), but here each partition is a directory
 * created synchronously, so a request for two billion partitions would stall the broker; refuse it instead.
 */
export const MAX_PARTITIONS_PER_TOPIC = 10_000;

/** Suffix of a partition dir being deleted (Kafka's `-delete`), removed at the next start if a crash left it. */
const DELETE_SUFFIX = '-delete';

/**
 * The data dir (Kafka's `LogManager` plus the part of the metadata log a single broker needs): one UnifiedLog
 * per partition in `<dataDir>/<topic>-<n>/`, and the topic registry (`topics.json`: ids, partition counts,
 * config overrides) so topics, configs and data survive a restart. Creates and deletes topics and adds
 * partitions; every path it builds comes from a validated topic name and is checked to stay inside the dir.
 *
 * On-disk order makes crashes safe: a new topic's dirs are created before the registry names it; a deleted
 * topic leaves the registry first, then its dirs are renamed `…-delete` and removed (leftovers are removed at
 * the next start).
 *
 * Concurrency: one event-loop thread; every method is synchronous (file I/O included), so no two topic
 * operations interleave. Owned by KafkaBroker; KafkaApis and ReplicaManager call it, nothing else.
 */
export class LogManager {
  private readonly topics = new Map<string, TopicLogs>();
  /**
   * Replicated mode: the logs of the partitions the metadata image assigns to this broker, by `<topic>-<n>`.
   * The image (the controller's metadata log) is then the topic registry, so these are not in topics.json.
   */
  private readonly replicaLogs = new Map<string, UnifiedLog>();
  private readonly store: TopicStore;
  private readonly timers: NodeJS.Timeout[] = [];

  private constructor(
    readonly dataDir: string,
    private readonly config: KafkaConfig,
  ) {
    this.store = new TopicStore(dataDir);
  }

  /** Opens (or creates) the data dir and every topic's logs; logs without a clean-shutdown marker recover. */
  static open(dataDir: string, config: KafkaConfig): LogManager {
    const dir = resolve(dataDir);
    ensureDirectory(dir);
    const manager = new LogManager(dir, config);
    manager.removeLeftoverDeletes();
    let migrated = false;
    for (const stored of manager.store.load()) {
      const id = kafkaTopicId(stored.id);
      migrated ||= id !== stored.id;
      const logConfig = TopicConfig.create(Object.entries(stored.configs), config);
      const logs = Array.from({ length: stored.partitions }, (_, p) => manager.openLog(stored.name, id, p, logConfig));
      manager.topics.set(stored.name, { name: stored.name, id, config: logConfig, logs });
    }
    if (migrated) manager.persist();
    return manager;
  }

  /** Runs retention (`log.retention.*`, per-topic `retention.*`) every `intervalMs`, as Kafka's log cleaner
   * scheduler does every `log.retention.check.interval.ms`. */
  startRetention(intervalMs: number): void {
    this.every(intervalMs, () => this.enforceRetention());
  }

  /** Applies each log's time-based flush policy (`flush.ms`) every `intervalMs` — Kafka's log flusher. */
  startFlusher(intervalMs: number): void {
    this.every(intervalMs, () => {
      for (const log of this.allLogs()) log.maybeFlush();
    });
  }

  private every(intervalMs: number, task: () => void): void {
    const timer = setInterval(task, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  /** Deletes whole old segments past retention; never the active one. Returns segments deleted. */
  enforceRetention(): number {
    let deleted = 0;
    for (const log of this.allLogs()) deleted += log.deleteOldSegments().length;
    return deleted;
  }

  topicNames(): string[] {
    return [...this.topics.keys()].sort();
  }

  topic(name: string): TopicLogs | undefined {
    return this.topics.get(name);
  }

  /** The topic with this id (Kafka's base64url form), as Fetch v13+ and Metadata v10+ name topics. */
  topicById(id: string): TopicLogs | undefined {
    for (const topic of this.topics.values()) if (topic.id === id) return topic;
    return undefined;
  }

  log(topic: string, partition: number): UnifiedLog | undefined {
    return this.topics.get(topic)?.logs[partition] ?? this.replicaLogs.get(`${topic}-${partition}`);
  }

  /**
   * Replicated mode: opens (creating if needed) the log of one partition this broker holds a replica of, with
   * the topic's configs from the metadata image. An existing dir is opened with its data (recovered if the broker
   * crashed), which is how a restarted broker gets its replicas back.
   */
  getOrCreateReplicaLog(topic: string, partition: number, configs: Iterable<[string, string]>): UnifiedLog {
    const existing = this.log(topic, partition);
    if (existing) return existing;
    const log = this.openLog(topic, undefined, partition, TopicConfig.create(configs, this.config));
    this.replicaLogs.set(`${topic}-${partition}`, log);
    return log;
  }

  /**
   * Replicated mode: a topic's overrides changed in the metadata image (ConfigRecords); its replicas here run with
   * the new config from now on (Kafka's DynamicConfigPublisher → LogManager.updateTopicConfig).
   */
  updateReplicaTopicConfig(topic: string, configs: Iterable<[string, string]>): void {
    const logConfig = TopicConfig.create(configs, this.config).toLogConfig();
    for (const [key, log] of this.replicaLogs)
      if (key.slice(0, key.lastIndexOf('-')) === topic) log.updateConfig(logConfig);
  }

  /** Replicated mode: the replica was deleted or moved away; closes its log and removes its dir. */
  deleteReplicaLog(topic: string, partition: number): void {
    const key = `${topic}-${partition}`;
    const log = this.replicaLogs.get(key);
    if (!log) return;
    this.replicaLogs.delete(key);
    log.close();
    const dir = this.partitionDir(topic, partition);
    const doomed = `${dir}.${Date.now().toString(36)}${DELETE_SUFFIX}`;
    renameSync(dir, doomed);
    rmSync(doomed, { recursive: true, force: true });
  }

  /** Every open log: topics from the registry and replicas from the metadata image. */
  /** Every partition log this broker holds (its topics' and, replicated, its replicas'), with topic and partition. */
  partitionLogs(): Array<{ topic: string; partition: number; log: UnifiedLog }> {
    const own = [...this.topics.values()].flatMap((t) =>
      t.logs.map((log, partition) => ({ topic: t.name, partition, log })),
    );
    const replicas = [...this.replicaLogs].map(([key, log]) => {
      const at = key.lastIndexOf('-');
      return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)), log };
    });
    return [...own, ...replicas];
  }

  private allLogs(): UnifiedLog[] {
    return [...[...this.topics.values()].flatMap((t) => t.logs), ...this.replicaLogs.values()];
  }

  /**
   * Checks a topic creation without doing it (CreateTopics `validate_only` uses this alone).
   * @throws TopicOperationError with INVALID_TOPIC_EXCEPTION, TOPIC_ALREADY_EXISTS, INVALID_PARTITIONS or INVALID_CONFIG.
   */
  validateNewTopic(name: string, partitions: number, configs: Iterable<[string, string]>): TopicConfig {
    const problem = topicNameProblem(name);
    if (problem) throw new TopicOperationError(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
    if (this.topics.has(name))
      throw new TopicOperationError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    const collision = this.collidingTopic(name);
    if (collision) {
      // Kafka's rule: '.' and '_' collide in metric names, so 'a.b' and 'a_b' may not both exist.
      throw new TopicOperationError(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        `Topic '${name}' collides with existing topic '${collision}' ('.' and '_' are interchangeable in metric names).`,
      );
    }
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS_PER_TOPIC) {
      throw new TopicOperationError(
        ErrorCode.INVALID_PARTITIONS,
        `Number of partitions must be from 1 to ${MAX_PARTITIONS_PER_TOPIC}, got ${partitions}.`,
      );
    }
    try {
      return TopicConfig.create(configs, this.config);
    } catch (error) {
      if (error instanceof ConfigError) throw new TopicOperationError(ErrorCode.INVALID_CONFIG, error.message);
      throw error;
    }
  }

  /** Creates the topic's partition dirs and logs, then records it in the registry. */
  createTopic(name: string, partitions: number, configs: Iterable<[string, string]> = []): TopicLogs {
    const logConfig = this.validateNewTopic(name, partitions, configs);
    const id = newTopicId();
    const logs = Array.from({ length: partitions }, (_, p) => this.openLog(name, id, p, logConfig));
    const topic: TopicLogs = { name, id, config: logConfig, logs };
    this.topics.set(name, topic);
    this.persist();
    return topic;
  }

  /**
   * Replaces the topic's config overrides with `overrides` (Kafka's AlterConfigs on a topic, after the incremental
   * form has been merged by the caller): validates them, then — unless `validateOnly` — points every partition's log
   * at the new config (the next append, roll and retention pass use it) and records them in topics.json, so the
   * change survives a restart. Returns the config the topic now has (or would have).
   * @throws TopicOperationError UNKNOWN_TOPIC_OR_PARTITION or INVALID_CONFIG; nothing changes then.
   */
  alterTopicConfig(name: string, overrides: ReadonlyMap<string, string>, validateOnly = false): TopicConfig {
    const topic = this.topics.get(name);
    if (!topic) throw new TopicOperationError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    let config: TopicConfig;
    try {
      config = TopicConfig.create(overrides, this.config);
    } catch (error) {
      if (error instanceof ConfigError) throw new TopicOperationError(ErrorCode.INVALID_CONFIG, error.message);
      throw error;
    }
    if (validateOnly) return config;
    for (const log of topic.logs) log.updateConfig(config.toLogConfig());
    this.topics.set(name, { ...topic, config });
    this.persist();
    return config;
  }

  /** Adds partitions up to `totalCount` (partitions can only grow). Returns the new logs. */
  createPartitions(name: string, totalCount: number, validateOnly = false): UnifiedLog[] {
    const topic = this.topics.get(name);
    if (!topic) throw new TopicOperationError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    const current = topic.logs.length;
    if (totalCount > MAX_PARTITIONS_PER_TOPIC) {
      throw new TopicOperationError(
        ErrorCode.INVALID_PARTITIONS,
        `Topic '${name}' may have at most ${MAX_PARTITIONS_PER_TOPIC} partitions on kq's broker, asked for ${totalCount}.`,
      );
    }
    if (!Number.isInteger(totalCount) || totalCount <= current) {
      throw new TopicOperationError(
        ErrorCode.INVALID_PARTITIONS,
        `Topic '${name}' has ${current} partition(s); the new count ${totalCount} must be larger (partitions can only be added).`,
      );
    }
    if (validateOnly) return [];
    const added = Array.from({ length: totalCount - current }, (_, i) =>
      this.openLog(name, topic.id, current + i, topic.config),
    );
    this.topics.set(name, { ...topic, logs: [...topic.logs, ...added] });
    this.persist();
    return added;
  }

  /** Removes the topic from the registry, then closes its logs and removes their dirs. */
  deleteTopic(name: string): void {
    const topic = this.topics.get(name);
    if (!topic) throw new TopicOperationError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Topic '${name}' does not exist.`);
    this.topics.delete(name);
    this.persist();
    topic.logs.forEach((log, p) => {
      log.close();
      const dir = this.partitionDir(name, p);
      const doomed = `${dir}.${topicIdHex(topic.id)}${DELETE_SUFFIX}`;
      if (!existsSync(dir)) return; // already gone (a crash between registry write and removal)
      renameSync(dir, doomed);
      rmSync(doomed, { recursive: true, force: true });
    });
  }

  /** Flushes and closes every log, writing their clean-shutdown markers. */
  close(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    for (const log of this.allLogs()) log.close();
    this.topics.clear();
    this.replicaLogs.clear();
  }

  /**
   * Opens a partition's log and ties its dir to the topic id (`partition.metadata`, as Kafka writes it).
   * Replica logs of the replicated mode pass no id yet: their topic ids live in the metadata image.
   */
  private openLog(topic: string, topicId: string | undefined, partition: number, config: TopicConfig): UnifiedLog {
    const dir = this.partitionDir(topic, partition);
    const log = UnifiedLog.open(dir, config.toLogConfig());
    if (topicId === undefined) return log;
    try {
      new PartitionMetadataFile(dir).ensure(topicId);
    } catch (error) {
      log.close();
      throw error;
    }
    return log;
  }

  /** `<dataDir>/<topic>-<n>`, refusing anything that would resolve outside the data dir. */
  private partitionDir(topic: string, partition: number): string {
    const problem = topicNameProblem(topic);
    if (problem) throw new TopicOperationError(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
    const dir = resolve(this.dataDir, `${topic}-${partition}`);
    if (!dir.startsWith(this.dataDir + sep)) {
      throw new TopicOperationError(
        ErrorCode.INVALID_TOPIC_EXCEPTION,
        `topic '${topic}' would be stored outside the data dir`,
      );
    }
    return dir;
  }

  private collidingTopic(name: string): string | undefined {
    const normal = name.replaceAll('.', '_');
    return [...this.topics.keys()].find((t) => t !== name && t.replaceAll('.', '_') === normal);
  }

  private persist(): void {
    const stored: StoredTopic[] = [...this.topics.values()].map((t) => ({
      name: t.name,
      id: t.id,
      partitions: t.logs.length,
      configs: Object.fromEntries(t.config.overrides),
    }));
    this.store.save(stored);
  }

  private removeLeftoverDeletes(): void {
    if (!existsSync(this.dataDir)) return;
    for (const entry of readdirSync(this.dataDir)) {
      if (entry.endsWith(DELETE_SUFFIX)) rmSync(join(this.dataDir, entry), { recursive: true, force: true });
    }
  }
}
