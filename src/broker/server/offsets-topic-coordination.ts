import { GROUP_METADATA_TOPIC_NAME } from '../group/group-config.js';
import type { CoordinatorLookup, GroupCoordinator } from '../group/group-coordinator.js';
import { OffsetsTopicWriteError } from '../group/group-metadata-manager.js';
import type { OffsetsTopicLogs } from '../group/group-metadata-manager.js';
import type { ControllerApis } from '../metadata/controller-apis.js';
import type { MetadataDelta } from '../metadata/metadata-delta.js';
import type { MetadataImage } from '../metadata/metadata-image.js';
import type { MetadataPublisher } from '../metadata/metadata-publisher.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { LogManager } from './log-manager.js';
import type { ReplicaManager } from './replica-manager.js';

/**
 * `__consumer_offsets`' topic configs: retention off. Kafka keeps the topic by compaction (cleanup.policy=compact),
 * which kq does not implement, and time-based deletion would lose committed offsets.
 */
export const OFFSETS_TOPIC_CONFIGS: ReadonlyArray<[string, string]> = [
  ['retention.ms', '-1'],
  ['retention.bytes', '-1'],
  ['segment.bytes', String(100 * 1024 * 1024)],
];

export interface OffsetsTopicCoordinationOptions {
  readonly brokerId: number;
  readonly coordinator: GroupCoordinator;
  /** The active controller, which creates the topic; absent (a test double), lookups wait for someone else to. */
  readonly controller: ControllerApis | undefined;
  /** `offsets.topic.num.partitions`. */
  readonly numPartitions: number;
  /** `offsets.topic.replication.factor`: capped at the brokers registered when the topic is created. */
  readonly replicationFactor: number;
  /** How long the topic's creation may take at the controller. */
  readonly requestTimeoutMs: number;
}

/**
 * Groups in a replicated cluster (Kafka's split between KafkaApis' FindCoordinator, the AutoTopicCreationManager
 * and BrokerMetadataPublisher's calls to the group coordinator): `__consumer_offsets` is an ordinary replicated
 * topic created through the controller on the first coordinator lookup; a group's coordinator is the leader of its
 * partition; the GroupCoordinator here is told when this broker is elected leader of a partition (it loads the
 * partition's groups) or resigns (it drops them); and group writes go through the ReplicaManager as the
 * partition's leader with acks=-1, so a committed offset survives the leader's crash.
 *
 * Owned by KafkaBroker in replicated mode; KafkaApis asks `coordinatorFor`; installed as a MetadataPublisher after
 * the ReplicaManager, so a partition is already leader when the coordinator loads it. The write path is
 * `replicatedOffsetsTopicLogs`.
 */
export class OffsetsTopicCoordination implements MetadataPublisher {
  readonly name = 'GroupCoordinatorPublisher';
  private creating: Promise<void> | undefined;

  constructor(private readonly options: OffsetsTopicCoordinationOptions) {}

  /** MetadataPublisher: this broker's elections and resignations for `__consumer_offsets` partitions. */
  onMetadataUpdate(delta: MetadataDelta): void {
    const { coordinator, brokerId } = this.options;
    const changes = delta.localChanges(brokerId);
    for (const change of changes.deletes)
      if (change.topic === GROUP_METADATA_TOPIC_NAME) coordinator.onResignation(change.partition);
    for (const change of changes.followers)
      if (change.topic === GROUP_METADATA_TOPIC_NAME) coordinator.onResignation(change.partition);
    for (const change of changes.leaders)
      if (change.topic === GROUP_METADATA_TOPIC_NAME) coordinator.onElection(change.partition);
  }

  /**
   * FindCoordinator for a group: the leader of its `__consumer_offsets` partition as the metadata image names it.
   * No topic yet: it is created through the controller (once), and the client is told to retry.
   */
  coordinatorFor(groupId: string, image: MetadataImage): CoordinatorLookup {
    const topic = image.topic(GROUP_METADATA_TOPIC_NAME);
    const partition = this.options.coordinator.partitionFor(groupId);
    if (!topic) {
      this.createTopic(image);
      return notAvailable(`${GROUP_METADATA_TOPIC_NAME} is being created; retry shortly.`);
    }
    const leader = topic.partitions.get(partition)?.leader ?? -1;
    const broker = leader >= 0 ? image.broker(leader) : undefined;
    if (!broker || broker.fenced)
      return notAvailable(`${GROUP_METADATA_TOPIC_NAME}-${partition} has no leader at the moment; retry shortly.`);
    return { nodeId: broker.id, host: broker.host, port: broker.port };
  }

  private createTopic(image: MetadataImage): void {
    const { controller, numPartitions, replicationFactor, requestTimeoutMs } = this.options;
    if (!controller || this.creating) return;
    // Kafka refuses to create the topic with fewer live brokers than offsets.topic.replication.factor; kq takes
    // what there is, so `--brokers 1` and 2, or a cluster with a broker down, get groups too (a small cluster's RF
    // is its size, as Kafka's dev setups configure it).
    const replicas = Math.max(1, Math.min(replicationFactor, image.activeBrokers().length));
    this.creating = controller
      .createTopics({
        topics: [
          {
            name: GROUP_METADATA_TOPIC_NAME,
            numPartitions,
            replicationFactor: replicas,
            assignments: [],
            configs: OFFSETS_TOPIC_CONFIGS.map(([name, value]) => ({ name, value })),
          },
        ],
        timeoutMs: requestTimeoutMs,
        validateOnly: false,
      })
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => (this.creating = undefined));
  }
}

/**
 * The coordinator's view of `__consumer_offsets` in a replicated cluster: the replica logs on this broker (read when
 * it is elected), written through the ReplicaManager as the partition's leader with acks=-1.
 */
export function replicatedOffsetsTopicLogs(
  logManager: LogManager,
  replicaManager: ReplicaManager,
  commitTimeoutMs: number,
): OffsetsTopicLogs {
  const existing = (partition: number) => logManager.log(GROUP_METADATA_TOPIC_NAME, partition);
  return {
    existing,
    forWrite: existing,
    appendReplicated: async (partition, batch) => {
      const [result] = await replicaManager.appendRecords(
        [{ topic: GROUP_METADATA_TOPIC_NAME, partition, records: batch }],
        -1,
        commitTimeoutMs,
      );
      if (result && result.errorCode !== ErrorCode.NONE)
        throw new OffsetsTopicWriteError(
          result.errorCode,
          `${GROUP_METADATA_TOPIC_NAME}-${partition}: ${result.errorMessage ?? `error ${result.errorCode}`}`,
        );
    },
  };
}

function notAvailable(errorMessage: string): CoordinatorLookup {
  return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage };
}
