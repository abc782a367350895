import type { WhyLog } from '../why/why-log.js';
import type { ControllerApis } from './controller-apis.js';
import type { AlterPartitionManager } from './alter-partition-manager.js';
import type { MetadataDelta } from './metadata-delta.js';
import type { MetadataImage } from './metadata-image.js';

/**
 * Something on a broker that reacts to metadata changes (Kafka's `MetadataPublisher`): the ReplicaManager
 * (become leader / follower: `applyDelta`), the metadata cache that answers Metadata requests, the group
 * coordinator (which `__consumer_offsets` partitions it leads).
 *
 * Called on the event-loop thread, one image at a time, in metadata-log order; `onMetadataUpdate` must not
 * block and must not throw (a publisher that fails is the loader's to report, the others still run).
 */
export interface MetadataPublisher {
  readonly name: string;
  onMetadataUpdate(delta: MetadataDelta, image: MetadataImage): void;
}

/**
 * Where a broker gets its MetadataImages from (Kafka's `MetadataLoader`, which replays `__cluster_metadata`).
 * cluster-raft's loader implements it for real nodes; unit tests use a controller double from test/.
 *
 * `installPublisher` hands the publisher the current image at once (as a delta from the empty image) if there
 * is one, then every later image, so a publisher installed late misses nothing.
 */
export interface MetadataSource {
  /** The newest image published so far (MetadataImage.EMPTY before the first). */
  readonly image: MetadataImage;
  installPublisher(publisher: MetadataPublisher): void;
  removePublisher(publisher: MetadataPublisher): void;
}

/**
 * What a broker in a replicated cluster is given by its node's control plane (Kafka's BrokerServer gets the
 * same from its SharedServer/RaftManager): the metadata images to follow and the channel for ISR changes.
 */
export interface BrokerControlPlane {
  readonly metadata: MetadataSource;
  readonly alterPartitionManager: AlterPartitionManager;
  /**
   * The active controller, for the admin requests a broker forwards (CreateTopics, DeleteTopics,
   * CreatePartitions, and topic auto-creation). Absent (a test double): those requests answer as before.
   */
  readonly controller?: ControllerApis;
  /** The node's why log, shared with its controller so both explain their decisions in one place. */
  readonly whyLog?: WhyLog;
}
