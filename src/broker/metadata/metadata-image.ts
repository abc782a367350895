import type { BrokerRegistration } from './broker-registration.js';
import { isActive } from './broker-registration.js';
import type { PartitionRegistration, TopicId } from './partition-registration.js';

/** One topic in the image (Kafka's `TopicImage`, plus its topic-level configs from ConfigRecords). */
export interface TopicImage {
  readonly id: TopicId;
  readonly name: string;
  /** By partition index. */
  readonly partitions: ReadonlyMap<number, PartitionRegistration>;
  /** Topic configs by Kafka's names (`min.insync.replicas`, `retention.ms`, …); broker defaults fill the rest. */
  readonly configs: ReadonlyMap<string, string>;
}

/** Where in the metadata log an image was taken: the offset and Raft epoch of the last record it includes. */
export interface MetadataProvenance {
  readonly offset: bigint;
  readonly epoch: number;
}

const NO_PROVENANCE: MetadataProvenance = { offset: -1n, epoch: -1 };

/**
 * The cluster as one broker knows it after replaying the metadata log up to `provenance` (Kafka's
 * `MetadataImage`: TopicsImage + ClusterImage + configs): every topic with its partitions' registrations, every
 * broker's registration. Every broker answers Metadata from it and reacts to its changes (MetadataDelta).
 *
 * Immutable. The metadata loader (cluster-raft's replay of `__cluster_metadata`) builds the next image with the
 * copy-on-write `with…` methods, one record at a time, and publishes it; nothing else creates images except
 * tests. Copying per record is fine at kq's sizes (a handful of topics and brokers).
 */
export class MetadataImage {
  static readonly EMPTY = new MetadataImage(NO_PROVENANCE, new Map(), new Map(), new Map());

  private constructor(
    readonly provenance: MetadataProvenance,
    private readonly topicsByName: ReadonlyMap<string, TopicImage>,
    private readonly topicNamesById: ReadonlyMap<TopicId, string>,
    private readonly brokersById: ReadonlyMap<number, BrokerRegistration>,
  ) {}

  topic(name: string): TopicImage | undefined {
    return this.topicsByName.get(name);
  }

  topicById(id: TopicId): TopicImage | undefined {
    const name = this.topicNamesById.get(id);
    return name === undefined ? undefined : this.topicsByName.get(name);
  }

  /** Topics in name order (Metadata lists them so; stable output for tests and the live view). */
  topics(): TopicImage[] {
    return [...this.topicsByName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  partition(topic: string, partition: number): PartitionRegistration | undefined {
    return this.topicsByName.get(topic)?.partitions.get(partition);
  }

  broker(id: number): BrokerRegistration | undefined {
    return this.brokersById.get(id);
  }

  /** Every registered broker in id order, fenced ones included. */
  brokers(): BrokerRegistration[] {
    return [...this.brokersById.values()].sort((a, b) => a.id - b.id);
  }

  /** Brokers that may lead and be in an ISR: registered, unfenced, not shutting down. */
  activeBrokers(): BrokerRegistration[] {
    return this.brokers().filter(isActive);
  }

  withProvenance(provenance: MetadataProvenance): MetadataImage {
    return new MetadataImage(provenance, this.topicsByName, this.topicNamesById, this.brokersById);
  }

  /** Adds a topic (TopicRecord) with no partitions yet, or replaces its configs if it exists. */
  withTopic(id: TopicId, name: string, configs: ReadonlyMap<string, string> = new Map()): MetadataImage {
    const existing = this.topicsByName.get(name);
    if (existing && existing.id !== id)
      throw new Error(`topic ${name} already exists with id ${existing.id}, cannot add it again as ${id}`);
    const topic: TopicImage = { id, name, partitions: existing?.partitions ?? new Map(), configs };
    return this.replaceTopics(new Map(this.topicsByName).set(name, topic), new Map(this.topicNamesById).set(id, name));
  }

  /** Removes a topic and its partitions (RemoveTopicRecord). */
  withoutTopic(id: TopicId): MetadataImage {
    const name = this.topicNamesById.get(id);
    if (name === undefined) return this;
    const topics = new Map(this.topicsByName);
    topics.delete(name);
    const names = new Map(this.topicNamesById);
    names.delete(id);
    return this.replaceTopics(topics, names);
  }

  /** Sets one partition's registration (PartitionRecord, or a PartitionChangeRecord already applied to it). */
  withPartition(partition: number, registration: PartitionRegistration): MetadataImage {
    const topic = this.topicById(registration.topicId);
    if (!topic) throw new Error(`partition ${partition} names unknown topic id ${registration.topicId}`);
    const partitions = new Map(topic.partitions).set(partition, registration);
    return this.replaceTopics(
      new Map(this.topicsByName).set(topic.name, { ...topic, partitions }),
      this.topicNamesById,
    );
  }

  /** Sets one broker's registration (RegisterBrokerRecord, Fence/UnfenceBrokerRecord, …). */
  withBroker(registration: BrokerRegistration): MetadataImage {
    return new MetadataImage(
      this.provenance,
      this.topicsByName,
      this.topicNamesById,
      new Map(this.brokersById).set(registration.id, registration),
    );
  }

  private replaceTopics(topics: ReadonlyMap<string, TopicImage>, names: ReadonlyMap<TopicId, string>): MetadataImage {
    return new MetadataImage(this.provenance, topics, names, this.brokersById);
  }
}
