import type { CreatePartitionsTopicResult } from '../protocol/create-partitions/response.js';
import type { CreatableTopic } from '../protocol/create-topics/request.js';
import type { CreatableTopicResult } from '../protocol/create-topics/response.js';
import type { ApiKey } from '../protocol/api-keys.js';
import type { ApiRequest, ApiResponse } from '../protocol/api-registry.js';
import { ErrorCode, errorInfo } from '../protocol/error-codes.js';
import { ZERO_UUID } from '../protocol/schema/message-codec.js';
import type { KafkaConfig } from './kafka-config.js';
import { TopicOperationError, type LogManager } from './log-manager.js';
import type { ReplicaManager } from './replica-manager.js';
import { topicConfigEntries } from './config-helper.js';
import type { TopicConfig } from './topic-config.js';

/** Where the AdminManager reports topic changes (KafkaBroker re-emits them as events). */
export interface TopicChangeListener {
  topicCreated(event: { topic: string; partitions: number; auto: boolean }): void;
  topicDeleted(event: { topic: string }): void;
  partitionsCreated(event: { topic: string; partitions: number }): void;
}

/**
 * Topic administration on this broker (Kafka's `AdminManager`, renamed `ZkAdminManager` when KRaft arrived; kq has
 * no ZooKeeper, so the original name): CreateTopics (with its validation against one broker's limits and
 * validate_only), DeleteTopics, CreatePartitions, DeleteRecords, and auto-creation of topics a client names (Kafka's
 * AutoTopicCreationManager). KafkaApis routes those requests here and builds no admin response itself.
 *
 * Why its own class: these requests change which topics and partitions exist, which is the controller's job in a
 * cluster (Kafka's ReplicationControlManager under KRaft); one class is the one place a cluster swaps for
 * forwarding. Data-plane requests (Produce, Fetch, ListOffsets) never come here.
 *
 * Owns no state: topics live in the LogManager, partitions in the ReplicaManager. Runs on the event loop; every
 * method is synchronous, so two admin requests never interleave.
 */
export class AdminManager {
  constructor(
    private readonly config: KafkaConfig,
    private readonly logManager: LogManager,
    private readonly replicaManager: ReplicaManager,
    private readonly topicChanges: TopicChangeListener,
  ) {}

  createTopics(request: ApiRequest<typeof ApiKey.CreateTopics>): ApiResponse<typeof ApiKey.CreateTopics> {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((topic): CreatableTopicResult => {
        if ((counts.get(topic.name) ?? 0) > 1) {
          return {
            name: topic.name,
            errorCode: ErrorCode.INVALID_REQUEST,
            errorMessage: `Topic '${topic.name}' appears more than once in the request.`,
          };
        }
        try {
          const config = this.createTopic(topic, request.validateOnly);
          // v5+ (KIP-525) reports what was created (or would be, with validate_only): every topic config as
          // DescribeConfigs would list it; v7 its id (zero for validate_only: nothing was created).
          const created = this.logManager.topic(topic.name);
          return {
            name: topic.name,
            topicId: request.validateOnly ? ZERO_UUID : (created?.id ?? ZERO_UUID),
            errorCode: ErrorCode.NONE,
            errorMessage: null,
            numPartitions:
              (request.validateOnly ? undefined : created?.logs.length) ??
              (topic.numPartitions === -1 ? this.config.numPartitions : topic.numPartitions),
            replicationFactor: 1,
            configs: topicConfigEntries(config, this.config, {
              includeSynonyms: false,
              includeDocumentation: false,
            }).map((c) => ({
              name: c.name,
              value: c.value,
              readOnly: c.readOnly,
              configSource: c.configSource,
              isSensitive: c.isSensitive,
            })),
          };
        } catch (error) {
          if (error instanceof TopicOperationError)
            return { name: topic.name, errorCode: error.errorCode, errorMessage: error.message };
          throw error;
        }
      }),
    };
  }

  /**
   * Checks a CreateTopics entry against one broker's limits, then creates it (unless validate_only); returns the
   * topic's config.
   */
  private createTopic(topic: CreatableTopic, validateOnly: boolean): TopicConfig {
    const fail = (code: number, message: string): never => {
      throw new TopicOperationError(code, message);
    };
    let partitions = topic.numPartitions;
    let replicationFactor = topic.replicationFactor;
    if (topic.assignments.length > 0) {
      if (partitions !== -1 || replicationFactor !== -1) {
        fail(
          ErrorCode.INVALID_REQUEST,
          'Give either num_partitions/replication_factor or a replica assignment, not both (set them to -1).',
        );
      }
      topic.assignments.forEach((a, i) => {
        if (a.partitionIndex !== i)
          fail(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `Replica assignment partitions must be 0..n-1 in order; got ${a.partitionIndex} at position ${i}.`,
          );
        if (a.brokerIds.length !== 1 || a.brokerIds[0] !== this.config.brokerId) {
          fail(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `Partition ${i} is assigned to brokers [${a.brokerIds.join(', ')}]; this cluster has only broker ${this.config.brokerId}.`,
          );
        }
      });
      partitions = topic.assignments.length;
      replicationFactor = 1;
    }
    if (partitions === -1) partitions = this.config.numPartitions;
    if (replicationFactor === -1) replicationFactor = this.config.defaultReplicationFactor;
    if (partitions < 1)
      fail(
        ErrorCode.INVALID_PARTITIONS,
        `Number of partitions must be at least 1 (or -1 for the broker default), got ${topic.numPartitions}.`,
      );
    if (replicationFactor !== 1) {
      fail(
        ErrorCode.INVALID_REPLICATION_FACTOR,
        `Replication factor ${replicationFactor} is larger than the 1 available broker; use 1 (or -1 for the default).`,
      );
    }
    const nullConfig = topic.configs.find((c) => c.value === null);
    if (nullConfig)
      fail(ErrorCode.INVALID_CONFIG, `Config ${nullConfig.name} has a null value; give a value or leave it out.`);
    const configs = topic.configs.map((c): [string, string] => [c.name, c.value ?? '']);
    if (validateOnly) return this.logManager.validateNewTopic(topic.name, partitions, configs);
    const created = this.logManager.createTopic(topic.name, partitions, configs);
    this.topicChanges.topicCreated({ topic: topic.name, partitions, auto: false });
    return created.config;
  }

  /**
   * Creates a topic a client named (Metadata or Produce) with the broker defaults, when
   * `auto.create.topics.enable` is on (the caller checks); returns the error code (Kafka's AutoTopicCreationManager).
   */
  autoCreateTopic(name: string): number {
    try {
      this.logManager.createTopic(name, this.config.numPartitions);
      this.topicChanges.topicCreated({ topic: name, partitions: this.config.numPartitions, auto: true });
      return ErrorCode.NONE;
    } catch (error) {
      if (error instanceof TopicOperationError) return error.errorCode;
      throw error;
    }
  }

  /** v6+ names each topic by name or by id; an unknown id is UNKNOWN_TOPIC_ID, an unknown name UNKNOWN_TOPIC_OR_PARTITION. */
  deleteTopics(request: ApiRequest<typeof ApiKey.DeleteTopics>, version = 5): ApiResponse<typeof ApiKey.DeleteTopics> {
    const asked =
      version >= 6
        ? (request.topics ?? []).map((t) => ({ name: t.name, topicId: t.topicId }))
        : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
    return {
      throttleTimeMs: 0,
      responses: asked.map(({ name: given, topicId }) => {
        const byId = !given && topicId !== ZERO_UUID;
        const topic = byId ? this.logManager.topicById(topicId) : this.logManager.topic(given ?? '');
        if (!topic) {
          return byId
            ? {
                name: null,
                topicId,
                errorCode: ErrorCode.UNKNOWN_TOPIC_ID,
                errorMessage: `No topic with id ${topicId}.`,
              }
            : {
                name: given,
                topicId,
                errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                // v5+ carries a message; Kafka's is its error's own (Errors.UNKNOWN_TOPIC_OR_PARTITION.message()).
                errorMessage: errorInfo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION).message,
              };
        }
        const { name, id } = topic;
        this.replicaManager.stopPartitions(name);
        this.logManager.deleteTopic(name);
        this.topicChanges.topicDeleted({ topic: name });
        return { name, topicId: id, errorCode: ErrorCode.NONE, errorMessage: null };
      }),
    };
  }

  createPartitions(request: ApiRequest<typeof ApiKey.CreatePartitions>): ApiResponse<typeof ApiKey.CreatePartitions> {
    const counts = new Map<string, number>();
    for (const t of request.topics) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    return {
      throttleTimeMs: 0,
      results: request.topics.map((topic): CreatePartitionsTopicResult => {
        const result = (errorCode: number, errorMessage: string | null) => ({
          name: topic.name,
          errorCode,
          errorMessage,
        });
        if ((counts.get(topic.name) ?? 0) > 1)
          return result(ErrorCode.INVALID_REQUEST, `Topic '${topic.name}' appears more than once in the request.`);
        const bad = topic.assignments?.find((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== this.config.brokerId);
        if (bad)
          return result(
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            `Assignment [${bad.brokerIds.join(', ')}] names brokers this cluster does not have; it has only broker ${this.config.brokerId}.`,
          );
        try {
          const existing = this.logManager.topic(topic.name)?.logs.length ?? 0;
          if (topic.assignments && existing > 0 && topic.assignments.length !== topic.count - existing) {
            return result(
              ErrorCode.INVALID_REPLICA_ASSIGNMENT,
              `Expected ${topic.count - existing} assignment(s), one per new partition, got ${topic.assignments.length}.`,
            );
          }
          this.logManager.createPartitions(topic.name, topic.count, request.validateOnly);
          if (!request.validateOnly)
            this.topicChanges.partitionsCreated({ topic: topic.name, partitions: topic.count });
          return result(ErrorCode.NONE, null);
        } catch (error) {
          if (error instanceof TopicOperationError) return result(error.errorCode, error.message);
          throw error;
        }
      }),
    };
  }

  deleteRecords(request: ApiRequest<typeof ApiKey.DeleteRecords>): ApiResponse<typeof ApiKey.DeleteRecords> {
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partitionIndex,
          ...this.replicaManager.deleteRecords(t.name, p.partitionIndex, p.offset),
        })),
      })),
    };
  }
}
