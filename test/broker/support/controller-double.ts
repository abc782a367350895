/**
 * A deterministic, in-memory stand-in for the KRaft controller, for unit tests of the broker side of the seam
 * (src/broker/metadata/): it keeps one MetadataImage, changes it the way Kafka's QuorumController would for the
 * few operations tests need (register/fence brokers, create a topic with an assignment, AlterPartition, clean
 * election on fencing), and publishes each new image to every broker's installed publishers in order.
 *
 * TEST CODE ONLY. It has no log, no quorum, no durability and no timing; the product's controller is
 * cluster-raft's QuorumController in src/broker/controller/.
 */
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { validateAlterPartition } from '../../../src/broker/controller/alter-partition-validation.js';
import type {
  AlterPartitionItem,
  AlterPartitionManager,
  AlterPartitionResult,
} from '../../../src/broker/metadata/alter-partition-manager.js';
import type { BrokerRegistration } from '../../../src/broker/metadata/broker-registration.js';
import { isActive } from '../../../src/broker/metadata/broker-registration.js';
import { MetadataDelta } from '../../../src/broker/metadata/metadata-delta.js';
import { MetadataImage } from '../../../src/broker/metadata/metadata-image.js';
import type {
  BrokerControlPlane,
  MetadataPublisher,
  MetadataSource,
} from '../../../src/broker/metadata/metadata-publisher.js';
import type { ControlPlaneProvider } from '../../../src/broker/cluster/kafka-cluster.js';
import type { PartitionRegistration } from '../../../src/broker/metadata/partition-registration.js';
import { NO_LEADER } from '../../../src/broker/metadata/partition-registration.js';

export class ControllerDouble implements MetadataSource, ControlPlaneProvider {
  private current = MetadataImage.EMPTY;
  private offset = 0n;
  /** Each installed publisher and the broker it belongs to (undefined: installed on the double itself). */
  private readonly publishers = new Map<MetadataPublisher, number | undefined>();
  /**
   * Brokers that hear no metadata for now, as a node frozen by SIGSTOP or cut off from the quorum: the image each
   * one saw last. Its RPCs (AlterPartition) still reach the double, as a thawed node's do before it catches up.
   */
  private readonly heldViews = new Map<number, MetadataImage>();
  /** Images waiting to be published: a publisher reacting to one may cause the next (no re-entrancy). */
  private readonly queue: Array<() => void> = [];
  private publishing = false;
  /** Every AlterPartition the double received, for assertions. */
  readonly alterPartitions: Array<{ from: number; item: AlterPartitionItem; result: AlterPartitionResult }> = [];
  /** When true, AlterPartition calls are held until `releaseAlterPartitions()` (to test the pending ISR state). */
  holdAlterPartitions = false;
  private readonly held: Array<() => void> = [];

  get image(): MetadataImage {
    return this.current;
  }

  /** MetadataSource: a broker under test installs its publishers on the double itself. */
  installPublisher(publisher: MetadataPublisher): void {
    this.install(publisher, undefined);
  }

  private install(publisher: MetadataPublisher, nodeId: number | undefined): void {
    this.publishers.set(publisher, nodeId);
    const image = this.viewOf(nodeId);
    publisher.onMetadataUpdate(MetadataDelta.between(MetadataImage.EMPTY, image), image);
  }

  /** The image broker `nodeId` sees: the current one, or the one it saw when its metadata was held. */
  private viewOf(nodeId: number | undefined): MetadataImage {
    return (nodeId === undefined ? undefined : this.heldViews.get(nodeId)) ?? this.current;
  }

  /** From now on broker `nodeId` hears no metadata (its view stays as it is) until `releaseMetadata(nodeId)`. */
  holdMetadata(nodeId: number): void {
    this.heldViews.set(nodeId, this.current);
  }

  /** Broker `nodeId` catches up: one delta from the image it saw last to the current one. */
  releaseMetadata(nodeId: number): void {
    const seen = this.heldViews.get(nodeId);
    if (!seen) return;
    this.heldViews.delete(nodeId);
    const image = this.current;
    this.publish(() => {
      const delta = MetadataDelta.between(seen, image);
      for (const [publisher, owner] of [...this.publishers])
        if (owner === nodeId) publisher.onMetadataUpdate(delta, image);
    });
  }

  removePublisher(publisher: MetadataPublisher): void {
    this.publishers.delete(publisher);
  }

  /** The AlterPartitionManager of broker `brokerId`. */
  alterPartitionManager(brokerId: number): AlterPartitionManager {
    return {
      submit: (item) =>
        new Promise((resolve) => {
          const run = () => {
            const result = this.alterPartition(brokerId, item);
            this.alterPartitions.push({ from: brokerId, item, result });
            resolve(result);
          };
          if (this.holdAlterPartitions) this.held.push(run);
          else queueMicrotask(run);
        }),
    };
  }

  /** ControlPlaneProvider: what KafkaCluster gives broker `nodeId`. */
  controlPlane(nodeId: number): BrokerControlPlane {
    const view = () => this.viewOf(nodeId);
    const source: MetadataSource = {
      get image() {
        return view();
      },
      installPublisher: (publisher) => this.install(publisher, nodeId),
      removePublisher: (publisher) => this.removePublisher(publisher),
    };
    return { metadata: source, alterPartitionManager: this.alterPartitionManager(nodeId) };
  }

  /** ControlPlaneProvider: a broker listens (again): it registers, unfenced, at its address. */
  brokerStarted(nodeId: number, endpoint: { host: string; port: number }): void {
    this.registerBroker(nodeId, endpoint.host, endpoint.port);
  }

  releaseAlterPartitions(): void {
    for (const run of this.held.splice(0)) run();
  }

  registerBroker(id: number, host = '127.0.0.1', port = 9092 + id): void {
    const registration: BrokerRegistration = {
      id,
      epoch: this.offset,
      host,
      port,
      rack: null,
      fenced: false,
      inControlledShutdown: false,
    };
    this.commit(this.current.withBroker(registration));
  }

  createTopic(name: string, assignment: readonly (readonly number[])[], configs: Record<string, string> = {}): string {
    const id = `topic-${name}`;
    let image = this.current.withTopic(id, name, new Map(Object.entries(configs)));
    assignment.forEach((replicas, partition) => {
      const live = replicas.filter((r) => this.isLive(r));
      image = image.withPartition(partition, {
        topicId: id,
        replicas,
        isr: live,
        leader: live[0] ?? NO_LEADER,
        leaderEpoch: 0,
        partitionEpoch: 0,
      });
    });
    this.commit(image);
    return id;
  }

  /** Fences a broker: out of every ISR, and a clean election (first live ISR replica in order) where it led. */
  fenceBroker(id: number): void {
    const broker = this.current.broker(id);
    if (!broker) throw new Error(`unknown broker ${id}`);
    let image = this.current.withBroker({ ...broker, fenced: true });
    for (const topic of image.topics()) {
      for (const [partition, reg] of topic.partitions) {
        if (!reg.isr.includes(id) && reg.leader !== id) continue;
        const isr = reg.isr.length > 1 ? reg.isr.filter((r) => r !== id) : reg.isr;
        const leader =
          reg.leader === id ? (reg.replicas.find((r) => r !== id && isr.includes(r)) ?? NO_LEADER) : reg.leader;
        image = image.withPartition(partition, {
          ...reg,
          isr,
          leader,
          leaderEpoch: leader !== reg.leader ? reg.leaderEpoch + 1 : reg.leaderEpoch,
          partitionEpoch: reg.partitionEpoch + 1,
        });
      }
    }
    this.commit(image);
  }

  unfenceBroker(id: number): void {
    const broker = this.current.broker(id);
    if (!broker) throw new Error(`unknown broker ${id}`);
    this.commit(this.current.withBroker({ ...broker, fenced: false }));
  }

  /** Moves leadership of one partition to `leader` (which must be in the ISR), bumping the leader epoch. */
  electLeader(topic: string, partition: number, leader: number): void {
    const reg = this.current.partition(topic, partition);
    if (!reg) throw new Error(`unknown partition ${topic}-${partition}`);
    this.commit(
      this.current.withPartition(partition, {
        ...reg,
        leader,
        leaderEpoch: reg.leaderEpoch + 1,
        partitionEpoch: reg.partitionEpoch + 1,
      }),
    );
  }

  /** Kafka's QuorumController.alterPartition checks, in its order, then the committed change. */
  private alterPartition(from: number, item: AlterPartitionItem): AlterPartitionResult {
    const topic = this.current.topicById(item.topicId);
    const reg = topic?.partitions.get(item.partition);
    if (!topic || !reg) return { errorCode: ErrorCode.UNKNOWN_TOPIC_ID, message: `unknown ${item.topicId}` };
    // The real controller's checks (src/broker/controller/alter-partition-validation.ts), not a copy of them.
    const error = validateAlterPartition(
      reg,
      {
        brokerId: from,
        leaderEpoch: item.proposed.leaderEpoch,
        partitionEpoch: item.proposed.partitionEpoch,
        isr: item.proposed.isr,
      },
      (id) => this.isLive(id),
    );
    if (error !== ErrorCode.NONE)
      return {
        errorCode: error,
        message: `refused: leader ${reg.leader}, epochs ${reg.leaderEpoch}/${reg.partitionEpoch}`,
      };
    const next: PartitionRegistration = { ...reg, isr: [...item.proposed.isr], partitionEpoch: reg.partitionEpoch + 1 };
    this.commit(this.current.withPartition(item.partition, next));
    const { leader, leaderEpoch, isr, partitionEpoch } = next;
    return { errorCode: ErrorCode.NONE, leaderAndIsr: { leader, leaderEpoch, isr, partitionEpoch } };
  }

  private isLive(id: number): boolean {
    const broker = this.current.broker(id);
    return broker !== undefined && isActive(broker);
  }

  private commit(next: MetadataImage): void {
    const previous = this.current;
    this.offset += 1n;
    this.current = next.withProvenance({ offset: this.offset, epoch: 1 });
    const image = this.current;
    this.publish(() => {
      const delta = MetadataDelta.between(previous, image);
      for (const [publisher, owner] of [...this.publishers])
        if (owner === undefined || !this.heldViews.has(owner)) publisher.onMetadataUpdate(delta, image);
    });
  }

  private publish(update: () => void): void {
    this.queue.push(update);
    if (this.publishing) return;
    this.publishing = true;
    try {
      while (this.queue.length > 0) this.queue.shift()?.();
    } finally {
      this.publishing = false;
    }
  }
}
