import type { Batch, LeaderAndEpoch, RaftClientListener } from '../raft/raft-client.js';
import type { BrokerRegistration } from './broker-registration.js';
import { MetadataDelta } from './metadata-delta.js';
import { MetadataImage } from './metadata-image.js';
import type { MetadataPublisher, MetadataSource } from './metadata-publisher.js';
import { ConfigResourceType, NO_LEADER_CHANGE } from './metadata-records.js';
import type { MetadataRecord } from './metadata-records.js';
import type { PartitionRegistration } from './partition-registration.js';

/** The listener a broker registers for clients (kq has one; Kafka's default name). */
export const BROKER_LISTENER_NAME = 'PLAINTEXT';

/**
 * Replays one metadata record into the next image (Kafka's `MetadataDelta.replay` per record type, folded into
 * the image at once). Pure; the MetadataLoader calls it for every committed record, tests call it directly.
 * A record naming something the image does not have is a broken log: it throws rather than guess.
 */
export function replayRecord(image: MetadataImage, record: MetadataRecord): MetadataImage {
  switch (record.type) {
    case 'RegisterBrokerRecord': {
      const endpoint = record.endPoints.find((e) => e.name === BROKER_LISTENER_NAME) ?? record.endPoints[0];
      return image.withBroker({
        id: record.brokerId,
        epoch: record.brokerEpoch,
        host: endpoint?.host ?? '',
        port: endpoint?.port ?? -1,
        rack: record.rack,
        fenced: record.fenced,
        inControlledShutdown: record.inControlledShutdown,
      });
    }
    // A record for an earlier registration of the broker (it registered again since) changes nothing.
    case 'FenceBrokerRecord': {
      const broker = brokerOf(image, record.id, record.type);
      return broker.epoch === record.epoch ? image.withBroker({ ...broker, fenced: true }) : image;
    }
    case 'UnfenceBrokerRecord': {
      const broker = brokerOf(image, record.id, record.type);
      return broker.epoch === record.epoch ? image.withBroker({ ...broker, fenced: false }) : image;
    }
    case 'BrokerRegistrationChangeRecord': {
      const broker = brokerOf(image, record.brokerId, record.type);
      if (broker.epoch !== record.brokerEpoch) return image;
      return image.withBroker({
        ...broker,
        fenced: record.fenced === 1 ? true : record.fenced === -1 ? false : broker.fenced,
        inControlledShutdown: record.inControlledShutdown === 1 ? true : broker.inControlledShutdown,
      });
    }
    case 'TopicRecord':
      return image.withTopic(record.topicId, record.name);
    // The controller's producer-id mark; brokers get their blocks by asking (AllocateProducerIds), not from here.
    case 'ProducerIdsRecord':
      return image;
    case 'RemoveTopicRecord':
      return image.withoutTopic(record.topicId);
    // The controller's FeatureControlManager decides with it; kq brokers act on no feature level.
    case 'FeatureLevelRecord':
      return image;
    case 'ClearElrRecord': {
      let next = image;
      for (const topic of image.topics()) {
        if (record.topicName !== '' && topic.name !== record.topicName) continue;
        for (const [index, p] of topic.partitions) {
          const cleared = clearElr(p);
          if (cleared !== p) next = next.withPartition(index, cleared);
        }
      }
      return next;
    }
    case 'ConfigRecord': {
      // Broker-level configs (resource type BROKER) are read from each node's own config in kq.
      if (record.resourceType !== ConfigResourceType.TOPIC) return image;
      const topic = image.topic(record.resourceName);
      if (!topic) throw new Error(`ConfigRecord for unknown topic ${record.resourceName}`);
      const configs = new Map(topic.configs);
      if (record.value === null) configs.delete(record.name);
      else configs.set(record.name, record.value);
      return image.withTopic(topic.id, topic.name, configs);
    }
    case 'PartitionRecord':
      return image.withPartition(record.partitionId, registrationOf(record));
    case 'PartitionChangeRecord': {
      const previous = image.topicById(record.topicId)?.partitions.get(record.partitionId);
      if (!previous)
        throw new Error(`PartitionChangeRecord for unknown partition ${record.topicId}-${record.partitionId}`);
      return image.withPartition(record.partitionId, mergePartitionChange(previous, record));
    }
  }
}

/**
 * A PartitionChangeRecord applied to a registration (Kafka's `PartitionRegistration.merge`): fields that are null
 * (or leader -2) keep their value, the partition epoch always moves, the leader epoch moves with the leader.
 * Shared by the loader and the controller so both sides agree on every epoch.
 */
export function mergePartitionChange(
  previous: PartitionRegistration,
  change: Extract<MetadataRecord, { type: 'PartitionChangeRecord' }>,
): PartitionRegistration {
  const leaderChanged = change.leader !== NO_LEADER_CHANGE;
  return {
    topicId: previous.topicId,
    replicas: change.replicas ?? previous.replicas,
    ...reassigning(
      change.addingReplicas ?? previous.addingReplicas,
      change.removingReplicas ?? previous.removingReplicas,
    ),
    isr: change.isr ?? previous.isr,
    ...eligible(change.eligibleLeaderReplicas ?? previous.elr, change.lastKnownElr ?? previous.lastKnownElr),
    leader: leaderChanged ? change.leader : previous.leader,
    leaderEpoch: leaderChanged ? previous.leaderEpoch + 1 : previous.leaderEpoch,
    partitionEpoch: previous.partitionEpoch + 1,
  };
}

/** KIP-966's ClearElrRecord applied to one registration: no ELR, no last-known ELR; no epoch moves (as Kafka). */
export function clearElr(previous: PartitionRegistration): PartitionRegistration {
  if (!previous.elr?.length && !previous.lastKnownElr?.length) return previous;
  const { elr: _elr, lastKnownElr: _last, ...rest } = previous;
  return rest;
}

/** A PartitionRecord as a registration (the loader's and the controller's replay share it). */
export function registrationOf(record: Extract<MetadataRecord, { type: 'PartitionRecord' }>): PartitionRegistration {
  return {
    topicId: record.topicId,
    replicas: record.replicas,
    ...reassigning(record.addingReplicas, record.removingReplicas),
    isr: record.isr,
    ...eligible(record.eligibleLeaderReplicas ?? undefined, record.lastKnownElr ?? undefined),
    leader: record.leader,
    leaderEpoch: record.leaderEpoch,
    partitionEpoch: record.partitionEpoch,
  };
}

/** The ELR fields only when set: a registration without ELR keeps its old shape (whole-object comparisons hold). */
function eligible(
  elr: readonly number[] | undefined,
  lastKnownElr: readonly number[] | undefined,
): Pick<PartitionRegistration, 'elr' | 'lastKnownElr'> {
  return { ...(elr?.length ? { elr } : {}), ...(lastKnownElr?.length ? { lastKnownElr } : {}) };
}

/** The adding and removing replicas, only while a reassignment runs: a settled partition's registration has neither. */
function reassigning(
  adding: readonly number[] | undefined,
  removing: readonly number[] | undefined,
): Pick<PartitionRegistration, 'addingReplicas' | 'removingReplicas'> {
  if (!adding?.length && !removing?.length) return {};
  return { addingReplicas: adding ?? [], removingReplicas: removing ?? [] };
}

function brokerOf(image: MetadataImage, id: number, recordType: string): BrokerRegistration {
  const broker = image.broker(id);
  if (!broker) throw new Error(`${recordType} for unregistered broker ${id}`);
  return broker;
}

/**
 * A broker's follower of the metadata log (Kafka's `MetadataLoader`): registered on its node's RaftClient, it
 * replays every committed batch into the next MetadataImage and publishes `MetadataDelta.between(previous, next)`
 * to the installed publishers (ReplicaManager, …), one batch at a time, in log order. `image.provenance.offset` is
 * how far it has replayed: what the BrokerLifecycleManager reports in heartbeats, so the controller unfences the
 * broker only once it has caught up.
 *
 * Owns its image; nothing else writes it. A publisher that throws is reported through `onPublisherError` and the
 * others still run (a broken publisher must not stop the node from following the log).
 */
export class MetadataLoader implements MetadataSource, RaftClientListener<MetadataRecord> {
  private current = MetadataImage.EMPTY;
  private readonly publishers = new Set<MetadataPublisher>();
  private leader: LeaderAndEpoch = { leaderId: -1, epoch: 0 };
  private readonly offsetWaiters: Array<{ offset: bigint; resolve: () => void }> = [];

  constructor(
    private readonly onPublisherError: (publisher: string, error: unknown) => void = (name, error) => {
      process.emitWarning(`metadata publisher ${name} failed: ${String(error)}`);
    },
  ) {}

  get image(): MetadataImage {
    return this.current;
  }

  /** The quorum leader as last announced (for Metadata's controller id and DescribeQuorum-style views). */
  get quorumLeader(): LeaderAndEpoch {
    return this.leader;
  }

  installPublisher(publisher: MetadataPublisher): void {
    this.publishers.add(publisher);
    this.publish(publisher, MetadataDelta.between(MetadataImage.EMPTY, this.current), this.current);
  }

  removePublisher(publisher: MetadataPublisher): void {
    this.publishers.delete(publisher);
  }

  /** Resolves once the image includes the record at `offset` (a broker waiting for its own registration). */
  waitForOffset(offset: bigint): Promise<void> {
    if (this.current.provenance.offset >= offset) return Promise.resolve();
    return new Promise((resolve) => this.offsetWaiters.push({ offset, resolve }));
  }

  handleCommit(batch: Batch<MetadataRecord>): void {
    const previous = this.current;
    let next = previous;
    for (const record of batch.records) next = replayRecord(next, record);
    this.current = next.withProvenance({ offset: BigInt(batch.lastOffset), epoch: batch.epoch });
    const delta = MetadataDelta.between(previous, this.current);
    if (!delta.isEmpty) for (const publisher of [...this.publishers]) this.publish(publisher, delta, this.current);
    for (let i = this.offsetWaiters.length - 1; i >= 0; i--) {
      const waiter = this.offsetWaiters[i];
      if (waiter && waiter.offset <= this.current.provenance.offset) {
        this.offsetWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  handleLeaderChange(leader: LeaderAndEpoch): void {
    this.leader = leader;
  }

  private publish(publisher: MetadataPublisher, delta: MetadataDelta, image: MetadataImage): void {
    try {
      publisher.onMetadataUpdate(delta, image);
    } catch (error) {
      this.onPublisherError(publisher.name, error);
    }
  }
}
