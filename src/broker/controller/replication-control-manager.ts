import { mergePartitionChange } from '../metadata/metadata-loader.js';
import type { MetadataRecord, PartitionChangeRecord } from '../metadata/metadata-records.js';
import { ConfigResourceType } from '../metadata/metadata-records.js';
import type { PartitionRegistration, TopicId } from '../metadata/partition-registration.js';
import { NO_LEADER } from '../metadata/partition-registration.js';
import { buildPartitionChange } from './partition-change-builder.js';
import type { PartitionChangeTarget } from './partition-change-builder.js';

/** One topic as the controller's replay knows it. */
export interface ControllerTopic {
  readonly id: TopicId;
  readonly name: string;
  readonly partitions: ReadonlyMap<number, PartitionRegistration>;
  readonly configs: ReadonlyMap<string, string>;
}

/**
 * Topics and partitions as the controller knows them (Kafka's `ReplicationControlManager`): every topic with its
 * partitions' registrations and topic configs, built only by replaying committed records, on every controller
 * alike. The active controller reads it to validate requests and to compute the PartitionChangeRecords of an
 * election, an ISR change, a fenced broker or a controlled shutdown (`changesFor…`); it never edits it directly.
 */
export class ReplicationControlManager {
  private readonly topicsById = new Map<TopicId, ControllerTopic>();
  private readonly idsByName = new Map<string, TopicId>();

  replay(record: MetadataRecord): void {
    switch (record.type) {
      case 'TopicRecord':
        this.topicsById.set(record.topicId, {
          id: record.topicId,
          name: record.name,
          partitions: new Map(),
          configs: new Map(),
        });
        this.idsByName.set(record.name, record.topicId);
        return;
      case 'RemoveTopicRecord': {
        const topic = this.topicsById.get(record.topicId);
        if (!topic) return;
        this.topicsById.delete(topic.id);
        this.idsByName.delete(topic.name);
        return;
      }
      case 'ConfigRecord': {
        if (record.resourceType !== ConfigResourceType.TOPIC) return;
        const topic = this.topic(record.resourceName);
        if (!topic) return;
        const configs = new Map(topic.configs);
        if (record.value === null) configs.delete(record.name);
        else configs.set(record.name, record.value);
        this.topicsById.set(topic.id, { ...topic, configs });
        return;
      }
      case 'PartitionRecord':
        this.setPartition(record.topicId, record.partitionId, {
          topicId: record.topicId,
          replicas: record.replicas,
          isr: record.isr,
          leader: record.leader,
          leaderEpoch: record.leaderEpoch,
          partitionEpoch: record.partitionEpoch,
        });
        return;
      case 'PartitionChangeRecord': {
        const previous = this.partition(record.topicId, record.partitionId);
        if (previous) this.setPartition(record.topicId, record.partitionId, mergePartitionChange(previous, record));
        return;
      }
      default:
        return;
    }
  }

  topic(name: string): ControllerTopic | undefined {
    const id = this.idsByName.get(name);
    return id === undefined ? undefined : this.topicsById.get(id);
  }

  topicById(id: TopicId): ControllerTopic | undefined {
    return this.topicsById.get(id);
  }

  topics(): ControllerTopic[] {
    return [...this.topicsById.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  partition(topicId: TopicId, partition: number): PartitionRegistration | undefined {
    return this.topicsById.get(topicId)?.partitions.get(partition);
  }

  /** How many partitions the cluster has (the replica placer's starting point, to spread leaders over topics). */
  get partitionCount(): number {
    let count = 0;
    for (const topic of this.topicsById.values()) count += topic.partitions.size;
    return count;
  }

  /** How many partitions `brokerId` leads (controlled shutdown waits for 0). */
  leaderCount(brokerId: number): number {
    let count = 0;
    for (const topic of this.topicsById.values())
      for (const p of topic.partitions.values()) if (p.leader === brokerId) count++;
    return count;
  }

  /**
   * The changes when `brokerId` stops being acceptable (fenced, or entering controlled shutdown): it leaves every
   * ISR (except as last member) and every partition it led gets a clean election (Kafka's
   * `generateLeaderAndIsrUpdates` with brokerToRemove).
   */
  changesForRemovedBroker(brokerId: number, isAcceptableLeader: (id: number) => boolean): PartitionChangeRecord[] {
    return this.changes(
      (p) => p.leader === brokerId || p.isr.includes(brokerId),
      { removeFromIsr: brokerId },
      (id) => id !== brokerId && isAcceptableLeader(id),
    );
  }

  /**
   * Partitions without a leader whose ISR now has an acceptable member (a broker came back: Kafka's
   * `handleBrokerUnfenced` elects it where it is the last ISR member).
   */
  changesForOfflinePartitions(isAcceptableLeader: (id: number) => boolean): PartitionChangeRecord[] {
    return this.changes((p) => p.leader === NO_LEADER, {}, isAcceptableLeader);
  }

  /** The change for one partition (AlterPartition's new ISR), or undefined when it changes nothing. */
  changeFor(
    topicId: TopicId,
    partition: number,
    target: PartitionChangeTarget,
    isAcceptableLeader: (id: number) => boolean,
  ): PartitionChangeRecord | undefined {
    const current = this.partition(topicId, partition);
    if (!current) return undefined;
    return buildPartitionChange(topicId, partition, current, target, isAcceptableLeader);
  }

  private changes(
    affected: (p: PartitionRegistration) => boolean,
    target: PartitionChangeTarget,
    isAcceptableLeader: (id: number) => boolean,
  ): PartitionChangeRecord[] {
    const records: PartitionChangeRecord[] = [];
    for (const topic of this.topics()) {
      for (const [index, p] of [...topic.partitions].sort(([a], [b]) => a - b)) {
        if (!affected(p)) continue;
        const record = buildPartitionChange(topic.id, index, p, target, isAcceptableLeader);
        if (record) records.push(record);
      }
    }
    return records;
  }

  private setPartition(topicId: TopicId, partition: number, registration: PartitionRegistration): void {
    const topic = this.topicsById.get(topicId);
    if (!topic) return;
    this.topicsById.set(topicId, { ...topic, partitions: new Map(topic.partitions).set(partition, registration) });
  }
}
