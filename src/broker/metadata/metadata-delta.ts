import type { BrokerRegistration } from './broker-registration.js';
import type { MetadataImage } from './metadata-image.js';
import type { PartitionRegistration, TopicId } from './partition-registration.js';
import { isReplica } from './partition-registration.js';

/** One partition whose registration differs between two images. */
export interface PartitionChange {
  readonly topic: string;
  readonly topicId: TopicId;
  readonly partition: number;
  /** Undefined: the partition is new in this delta. */
  readonly previous: PartitionRegistration | undefined;
  /** Undefined: the partition (its topic) was deleted. */
  readonly current: PartitionRegistration | undefined;
}

/** A partition change that concerns this broker, with the registration it now has. */
export interface LocalPartitionChange extends PartitionChange {
  readonly current: PartitionRegistration;
}

/**
 * What one metadata update means for the replicas on one broker (Kafka's `LocalReplicaChanges`, from
 * `TopicsDelta.localChanges(brokerId)`): partitions it leads after the change, partitions it follows, and
 * partitions it no longer holds (topic deleted, or reassigned away). The ReplicaManager applies them in
 * `applyDelta`: deletes stop fetchers and remove logs, leaders `makeLeader`, followers `makeFollower`.
 *
 * A changed ISR alone also lists the partition (under its leader), so the leader learns its committed ISR and
 * partition epoch; whether the leader epoch moved is for the receiver to see (`previous` vs `current`).
 */
export interface LocalReplicaChanges {
  readonly leaders: readonly LocalPartitionChange[];
  readonly followers: readonly LocalPartitionChange[];
  readonly deletes: readonly PartitionChange[];
}

/**
 * The difference between two MetadataImages (Kafka's `MetadataDelta`, here computed by comparing images rather
 * than collected while replaying records: the same answer, one place to get it right). Registrations are
 * immutable objects, so an unchanged partition is the same object in both images and comparing is cheap.
 *
 * Built by whoever publishes images (the metadata loader, a test's controller double); read by MetadataPublishers.
 */
export class MetadataDelta {
  private constructor(
    readonly previous: MetadataImage,
    readonly image: MetadataImage,
    readonly partitionChanges: readonly PartitionChange[],
    readonly brokerChanges: readonly BrokerRegistration[],
    /** Topics (by name) whose config overrides changed, kept through the change (ConfigRecords). */
    readonly topicConfigChanges: readonly string[],
  ) {}

  static between(previous: MetadataImage, image: MetadataImage): MetadataDelta {
    const changes: PartitionChange[] = [];
    for (const topic of image.topics()) {
      const before = previous.topicById(topic.id);
      for (const [partition, current] of topic.partitions) {
        const old = before?.partitions.get(partition);
        if (old !== current) changes.push({ topic: topic.name, topicId: topic.id, partition, previous: old, current });
      }
    }
    for (const topic of previous.topics()) {
      const after = image.topicById(topic.id);
      for (const [partition, old] of topic.partitions) {
        if (!after?.partitions.has(partition))
          changes.push({ topic: topic.name, topicId: topic.id, partition, previous: old, current: undefined });
      }
    }
    const brokers = image.brokers().filter((b) => previous.broker(b.id) !== b);
    const configs = image.topics().flatMap((topic) => {
      const before = previous.topicById(topic.id);
      return before && before.configs !== topic.configs ? [topic.name] : [];
    });
    return new MetadataDelta(previous, image, changes, brokers, configs);
  }

  /** Whether anything a broker reacts to changed (provenance-only updates change nothing). */
  get isEmpty(): boolean {
    return (
      this.partitionChanges.length === 0 && this.brokerChanges.length === 0 && this.topicConfigChanges.length === 0
    );
  }

  /** The changes for the replicas hosted (or no longer hosted) on `brokerId`. */
  localChanges(brokerId: number): LocalReplicaChanges {
    const leaders: LocalPartitionChange[] = [];
    const followers: LocalPartitionChange[] = [];
    const deletes: PartitionChange[] = [];
    for (const change of this.partitionChanges) {
      const { current, previous } = change;
      if (!current || !isReplica(current, brokerId)) {
        if (previous && isReplica(previous, brokerId)) deletes.push(change);
        continue;
      }
      const local = { ...change, current };
      if (current.leader === brokerId) leaders.push(local);
      else followers.push(local);
    }
    return { leaders, followers, deletes };
  }
}
