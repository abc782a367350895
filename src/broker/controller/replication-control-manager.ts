import { mergePartitionChange, registrationOf } from '../metadata/metadata-loader.js';
import type { MetadataRecord } from '../metadata/metadata-records.js';
import { ConfigResourceType } from '../metadata/metadata-records.js';
import type { PartitionRegistration, TopicId } from '../metadata/partition-registration.js';
import { isReassignmentInProgress, NO_LEADER } from '../metadata/partition-registration.js';
import type { OngoingTopicReassignment } from '../protocol/list-partition-reassignments/response.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { manualAssignmentError, reassignmentReplicas, revertReassignment } from './partition-reassignment.js';
import type { Election } from './leader-election.js';
import { buildPartitionChange } from './partition-change-builder.js';
import type { PartitionChange, PartitionChangeRules, PartitionChangeTarget } from './partition-change-builder.js';
import { clearElr } from '../metadata/metadata-loader.js';
import { FeatureControlManager } from './feature-control-manager.js';

/** The topic config (and broker default) that allows electing an out-of-sync replica. */
export const UNCLEAN_LEADER_ELECTION_ENABLE = 'unclean.leader.election.enable';

/** The topic config (and broker default) below which an ISR shrink fills the ELR (KIP-966). */
export const MIN_IN_SYNC_REPLICAS = 'min.insync.replicas';

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
   * @param staticBrokerConfig the controller's own broker configs (`unclean.leader.election.enable`,
   *   `min.insync.replicas`), the last fallback of a topic config as in Kafka's ConfigurationControlManager.
   * @param features the finalized features (`eligible.leader.replicas.version` decides whether ELR is kept).
   */
  constructor(
    private readonly staticBrokerConfig: (name: string) => string | undefined = () => undefined,
    private readonly features: FeatureControlManager = new FeatureControlManager(),
  ) {}

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
        this.setPartition(record.topicId, record.partitionId, registrationOf(record));
        return;
      case 'PartitionChangeRecord': {
        const previous = this.partition(record.topicId, record.partitionId);
        if (previous) this.setPartition(record.topicId, record.partitionId, mergePartitionChange(previous, record));
        return;
      }
      case 'ClearElrRecord':
        for (const topic of this.topics())
          if (record.topicName === '' || topic.name === record.topicName)
            for (const [index, p] of topic.partitions) this.setPartition(topic.id, index, clearElr(p));
        return;
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

  /**
   * Kafka's `getTopicEffectiveMinIsr`: the topic's `min.insync.replicas`, else the cluster-wide dynamic default,
   * else the controller's static broker config, else 1; never more than the replication factor.
   */
  effectiveMinIsr(topicName: string): number {
    const topic = this.topic(topicName);
    const value =
      topic?.configs.get(MIN_IN_SYNC_REPLICAS) ??
      this.clusterConfigs.get(MIN_IN_SYNC_REPLICAS) ??
      this.staticBrokerConfig(MIN_IN_SYNC_REPLICAS) ??
      '1';
    const minIsr = Number.parseInt(value, 10);
    const replicationFactor = topic?.partitions.get(0)?.replicas.length ?? Number.MAX_SAFE_INTEGER;
    return Math.min(Number.isFinite(minIsr) ? minIsr : 1, replicationFactor);
  }

  /** Kafka's `isElrEnabled`: the `eligible.leader.replicas.version` feature is finalized at ≥ 1. */
  isElrEnabled(): boolean {
    return this.features.isElrFeatureEnabled();
  }

  /** What every change of this topic's partitions is built with: the ELR switch and the topic's min ISR. */
  rulesFor(topicName: string): PartitionChangeRules {
    return { eligibleLeaderReplicasEnabled: this.isElrEnabled(), minIsr: this.effectiveMinIsr(topicName) };
  }

  /**
   * KIP-966 (Kafka's `handleBrokerShutdown` for an unclean one, `uncleanShutdownReplicas`): a broker registered a
   * new incarnation without presenting its previous broker epoch, so it may have lost an unflushed tail. It leaves
   * every ISR and every ELR, and the partitions it led get an election (it may not lead them).
   */
  changesForUncleanShutdown(brokerId: number, isAcceptableLeader: (id: number) => boolean): PartitionChange[] {
    return this.changes(
      (p) => p.isr.includes(brokerId) || (p.elr ?? []).includes(brokerId),
      { uncleanShutdownReplica: brokerId },
      (id) => id !== brokerId && isAcceptableLeader(id),
    );
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
        const change = buildPartitionChange(
          topic.id,
          index,
          p,
          { election: 'UNCLEAN' },
          isAcceptableLeader,
          this.rulesFor(topic.name),
        );
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

  /**
   * One partition of AlterPartitionReassignments (Kafka's `alterPartitionReassignment`): `replicas` null cancels
   * the partition's reassignment (`revertReassignment`), else the target is validated (registered brokers, no
   * duplicates; with `allowReplicationFactorChange` false the same number of replicas, KIP-860) and the change that
   * starts it is built: the target replicas join as adding replicas (followers that catch up), the others become
   * removing replicas. A target whose replicas are all in the ISR already completes at once (the builder's
   * `completeReassignment`). `change` is undefined when nothing changes (the target is the assignment already).
   */
  reassignPartition(
    topicName: string,
    partitionIndex: number,
    replicas: readonly number[] | null,
    options: {
      readonly allowReplicationFactorChange: boolean;
      readonly isRegistered: (brokerId: number) => boolean;
      readonly isAcceptableLeader: (brokerId: number) => boolean;
    },
  ): { readonly errorCode: number; readonly errorMessage: string | null; readonly change?: PartitionChange } {
    const topic = this.topic(topicName);
    if (!topic)
      return {
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: `Unable to find a topic named ${topicName}.`,
      };
    const current = topic.partitions.get(partitionIndex);
    if (!current)
      return {
        errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: `Unable to find partition ${topicName}:${partitionIndex}.`,
      };
    const build = (target: PartitionChangeTarget) =>
      buildPartitionChange(
        topic.id,
        partitionIndex,
        current,
        target,
        options.isAcceptableLeader,
        this.rulesFor(topic.name),
      );
    if (replicas === null) {
      if (!isReassignmentInProgress(current))
        return {
          errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS,
          // Kafka's exception carries the code's default text, which its ApiError answers as null (the oracle shows it)
          errorMessage: null,
        };
      const revert = revertReassignment(current);
      const unclean = this.uncleanLeaderElectionEnabled(topicName);
      if (revert.unclean && !unclean)
        return {
          errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
          errorMessage: `Unable to revert partition assignment for ${topicName}:${partitionIndex} because it would require an unclean leader election.`,
        };
      const change = build({
        isr: revert.isr,
        replicas: revert.replicas,
        addingReplicas: [],
        removingReplicas: [],
        election: unclean ? 'UNCLEAN' : 'ONLINE',
      });
      return { errorCode: ErrorCode.NONE, errorMessage: null, ...(change ? { change } : {}) };
    }
    const invalid = manualAssignmentError(replicas, options.isRegistered);
    if (invalid) return { errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT, errorMessage: invalid };
    if (!options.allowReplicationFactorChange) {
      const currentFactor = currentReplicationFactor(current);
      if (replicas.length !== currentFactor)
        return {
          errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
          errorMessage: `The replication factor is changed from ${currentFactor} to ${replicas.length}`,
        };
    }
    const reassignment = reassignmentReplicas(current.replicas, replicas);
    // Kafka sets only what the reassignment changes: empty adding/removing sets leave the current ones in place.
    const change = build({
      replicas: reassignment.replicas,
      ...(reassignment.removing.length > 0 ? { removingReplicas: reassignment.removing } : {}),
      ...(reassignment.adding.length > 0 ? { addingReplicas: reassignment.adding } : {}),
    });
    return { errorCode: ErrorCode.NONE, errorMessage: null, ...(change ? { change } : {}) };
  }

  /**
   * ListPartitionReassignments (Kafka's `listPartitionReassignments`): every partition with adding or removing
   * replicas, of the named topics and partitions (unknown ones are left out) or of all topics when `topics` is null.
   */
  listPartitionReassignments(
    topics: ReadonlyArray<{ readonly name: string; readonly partitionIndexes: readonly number[] }> | null,
  ): OngoingTopicReassignment[] {
    const wanted =
      topics === null
        ? this.topics().map((t) => ({ topic: t, partitions: sortedPartitions(t).map(([index]) => index) }))
        : topics.flatMap((t) => {
            const topic = this.topic(t.name);
            return topic ? [{ topic, partitions: [...t.partitionIndexes] }] : [];
          });
    return wanted
      .map(({ topic, partitions }) => ({
        name: topic.name,
        partitions: partitions.flatMap((partitionIndex) => {
          const p = topic.partitions.get(partitionIndex);
          if (!p || !isReassignmentInProgress(p)) return [];
          return [
            {
              partitionIndex,
              replicas: [...p.replicas],
              addingReplicas: [...(p.addingReplicas ?? [])],
              removingReplicas: [...(p.removingReplicas ?? [])],
            },
          ];
        }),
      }))
      .filter((t) => t.partitions.length > 0);
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
      this.rulesFor(topic.name),
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
          this.rulesFor(topic.name),
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

/**
 * The replication factor a reassignment must keep when KIP-860's allow_replication_factor_change is false: the
 * target's size while one runs (replicas, less those being removed), else the number of replicas.
 */
function currentReplicationFactor(p: PartitionRegistration): number {
  const removing = p.removingReplicas ?? [];
  return new Set([...p.replicas, ...(p.addingReplicas ?? [])].filter((id) => !removing.includes(id))).size;
}

function sortedPartitions(topic: ControllerTopic): Array<[number, PartitionRegistration]> {
  return [...topic.partitions].sort(([a], [b]) => a - b);
}
