import { mergePartitionChange } from '../metadata/metadata-loader.js';
import type { MetadataRecord } from '../metadata/metadata-records.js';
import { ConfigResourceType } from '../metadata/metadata-records.js';
import type { PartitionRegistration, TopicId } from '../metadata/partition-registration.js';
import { NO_LEADER } from '../metadata/partition-registration.js';
import type { Election } from './leader-election.js';
import { buildPartitionChange } from './partition-change-builder.js';
import type { PartitionChange, PartitionChangeTarget } from './partition-change-builder.js';

/** The topic config (and broker default) that allows electing an out-of-sync replica. */
export const UNCLEAN_LEADER_ELECTION_ENABLE = 'unclean.leader.election.enable';

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
  /** Cluster-wide dynamic broker configs (ConfigRecords of the BROKER resource named ''), Kafka's DEFAULT_NODE. */
  private readonly clusterConfigs = new Map<string, string>();

  /**
   * @param staticBrokerConfig the controller's own broker configs (`unclean.leader.election.enable`), the last
   *   fallback of a topic config as in Kafka's ConfigurationControlManager.
   */
  constructor(private readonly staticBrokerConfig: (name: string) => string | undefined = () => undefined) {}

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
        if (record.resourceType === ConfigResourceType.BROKER && record.resourceName === '') {
          if (record.value === null) this.clusterConfigs.delete(record.name);
          else this.clusterConfigs.set(record.name, record.value);
          return;
        }
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
   * Kafka's `uncleanLeaderElectionEnabledForTopic`: the topic's `unclean.leader.election.enable`, else the
   * cluster-wide dynamic default, else the controller's static broker config; false when none is set.
   */
  uncleanLeaderElectionEnabled(topicName: string): boolean {
    const value =
      this.topic(topicName)?.configs.get(UNCLEAN_LEADER_ELECTION_ENABLE) ??
      this.clusterConfigs.get(UNCLEAN_LEADER_ELECTION_ENABLE) ??
      this.staticBrokerConfig(UNCLEAN_LEADER_ELECTION_ENABLE);
    return value?.trim().toLowerCase() === 'true';
  }

  /** The election a fencing, shutdown or ISR change of this topic runs: UNCLEAN where the topic allows it. */
  private electionFor(topic: ControllerTopic): Election {
    return this.uncleanLeaderElectionEnabled(topic.name) ? 'UNCLEAN' : 'ONLINE';
  }

  /**
   * The changes when `brokerId` stops being acceptable (fenced, or entering controlled shutdown): it leaves every
   * ISR (except as last member) and every partition it led gets an election — clean, or unclean where the topic
   * allows it (Kafka's `generateLeaderAndIsrUpdates` with brokerToRemove).
   */
  changesForRemovedBroker(brokerId: number, isAcceptableLeader: (id: number) => boolean): PartitionChange[] {
    return this.changes(
      (p) => p.leader === brokerId || p.isr.includes(brokerId),
      { removeFromIsr: brokerId },
      (id) => id !== brokerId && isAcceptableLeader(id),
    );
  }

  /**
   * Partitions without a leader whose ISR now has an acceptable member (a broker came back: Kafka's
   * `handleBrokerUnfenced` elects it where it is the last ISR member, or any live replica where the topic allows
   * unclean election).
   */
  changesForOfflinePartitions(isAcceptableLeader: (id: number) => boolean): PartitionChange[] {
    return this.changes((p) => p.leader === NO_LEADER, {}, isAcceptableLeader);
  }

  /** Whether some partition has no leader (Kafka's `areSomePartitionsLeaderless`: the unclean check is due). */
  hasLeaderlessPartitions(): boolean {
    for (const topic of this.topicsById.values())
      for (const p of topic.partitions.values()) if (p.leader === NO_LEADER) return true;
    return false;
  }

  /**
   * Kafka's `maybeTriggerUncleanLeaderElectionForLeaderlessPartitions`: every leaderless partition of a topic that
   * now allows unclean election (the config may have been turned on after it went offline) gets an UNCLEAN
   * election. Run every `unclean.leader.election.interval.ms` while some partition is leaderless.
   */
  uncleanElectionsForLeaderlessPartitions(isAcceptableLeader: (id: number) => boolean): PartitionChange[] {
    const changes: PartitionChange[] = [];
    for (const topic of this.topics()) {
      if (!this.uncleanLeaderElectionEnabled(topic.name)) continue;
      for (const [index, p] of sortedPartitions(topic)) {
        if (p.leader !== NO_LEADER) continue;
        const change = buildPartitionChange(topic.id, index, p, { election: 'UNCLEAN' }, isAcceptableLeader);
        if (change && change.record.leader !== NO_LEADER) changes.push(change);
      }
    }
    return changes;
  }

  /** Whether some partition is led by a replica other than its preferred one (Kafka's imbalancedPartitions). */
  hasImbalancedPartitions(): boolean {
    for (const topic of this.topicsById.values())
      for (const p of topic.partitions.values()) if (p.leader !== NO_LEADER && p.leader !== p.replicas[0]) return true;
    return false;
  }

  /**
   * Kafka's `maybeTriggerLeaderChangeForPartitionsWithoutPreferredLeader` (`auto.leader.rebalance.enable`): a
   * PREFERRED election for every partition not led by its first assigned replica; only those that change.
   */
  preferredElectionsForImbalancedPartitions(isAcceptableLeader: (id: number) => boolean): PartitionChange[] {
    return this.changes(
      (p) => p.leader !== NO_LEADER && p.leader !== p.replicas[0],
      { election: 'PREFERRED' },
      isAcceptableLeader,
    );
  }

  /** The change for one partition (AlterPartition's new ISR), or undefined when it changes nothing. */
  changeFor(
    topicId: TopicId,
    partition: number,
    target: PartitionChangeTarget,
    isAcceptableLeader: (id: number) => boolean,
  ): PartitionChange | undefined {
    const topic = this.topicsById.get(topicId);
    const current = topic?.partitions.get(partition);
    if (!topic || !current) return undefined;
    return buildPartitionChange(
      topicId,
      partition,
      current,
      { election: this.electionFor(topic), ...target },
      isAcceptableLeader,
    );
  }

  private changes(
    affected: (p: PartitionRegistration) => boolean,
    target: PartitionChangeTarget,
    isAcceptableLeader: (id: number) => boolean,
  ): PartitionChange[] {
    const changes: PartitionChange[] = [];
    for (const topic of this.topics()) {
      for (const [index, p] of sortedPartitions(topic)) {
        if (!affected(p)) continue;
        const change = buildPartitionChange(
          topic.id,
          index,
          p,
          { election: this.electionFor(topic), ...target },
          isAcceptableLeader,
        );
        if (change) changes.push(change);
      }
    }
    return changes;
  }

  private setPartition(topicId: TopicId, partition: number, registration: PartitionRegistration): void {
    const topic = this.topicsById.get(topicId);
    if (!topic) return;
    this.topicsById.set(topicId, { ...topic, partitions: new Map(topic.partitions).set(partition, registration) });
  }
}

function sortedPartitions(topic: ControllerTopic): Array<[number, PartitionRegistration]> {
  return [...topic.partitions].sort(([a], [b]) => a - b);
}
