import { WhyLog } from '../why/why-log.js';
import type { WhyEvent } from '../why/why-log.js';
import { explainReplicaEvent } from './replica-why.js';
import { ensureDirectory } from '../utils/ensure-directory.js';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GROUP_METADATA_TOPIC_NAME } from '../group/group-config.js';
import { GroupCoordinator } from '../group/group-coordinator.js';
import type { GroupSnapshot } from '../group/group-snapshot.js';
import type { GroupEvent } from '../group/group-events.js';
import type { OffsetsTopicLogs } from '../group/group-metadata-manager.js';
import type { Partition } from '../cluster/partition.js';
import type { UnifiedLog } from '../log/unified-log.js';
import { SocketServer } from '../network/index.js';
import type { ConnectionClosedEvent, ConnectionOpenedEvent, SocketServerMetrics } from '../network/index.js';
import { AdminManager } from './admin-manager.js';
import { loadOrCreateBrokerMetadata } from './broker-metadata.js';
import { DataDirLock } from './data-dir-lock.js';
import { KafkaApis } from './kafka-apis.js';
import type { ReadBufferPool, ReadBufferPoolMetrics } from '../log/read-buffer-pool.js';
import { KafkaConfig } from './kafka-config.js';
import { LogManager } from './log-manager.js';
import { ReplicaManager } from './replica-manager.js';
import type { ReplicaManagerEvent } from './replica-manager.js';
import type { BrokerControlPlane } from '../metadata/metadata-publisher.js';
import { ProducerIdManager } from '../transaction/producer-id-manager.js';
import { TransactionCoordinator } from '../transaction/transaction-coordinator.js';
import { RPCProducerIdManager } from '../transaction/rpc-producer-id-manager.js';
import { DynamicConfigPublisher } from './dynamic-config-publisher.js';
import {
  OffsetsTopicCoordination,
  OFFSETS_TOPIC_CONFIGS,
  replicatedOffsetsTopicLogs,
} from './offsets-topic-coordination.js';
import type { RaftApis } from '../raft/kafka-raft-manager.js';
import type { ControllerApis } from '../metadata/controller-apis.js';

export interface KafkaBrokerOptions {
  /** Address to listen on and to advertise in Metadata. Default 127.0.0.1. */
  readonly host?: string;
  /**
   * Host clients are told to connect to (Kafka's `advertised.listeners`). Default: `host`, except that a
   * wildcard bind (0.0.0.0, ::) advertises 127.0.0.1 — a client cannot connect to "any address".
   */
  readonly advertisedHost?: string;
  /** Port to listen on; 0 (the default) picks a free one — read it back from `broker.port`. */
  readonly port?: number;
  /**
   * Port clients (and the other nodes) are told to connect to, when it differs from the one listened on: a node
   * of a fault-injecting KafkaCluster listens behind a transport proxy that owns the advertised port. Default:
   * the listening port.
   */
  readonly advertisedPort?: number;
  /** Where topics live. Default: a fresh temp dir that `close()` removes (for tests and demos). */
  readonly dataDir?: string;
  /** Broker settings by Kafka's names, e.g. `{ 'num.partitions': 3 }`, or a parsed KafkaConfig. */
  readonly config?: KafkaConfig | Readonly<Record<string, string | number | boolean>>;
  /** How long `close()` waits for in-flight requests. Default 5000 ms. */
  readonly shutdownTimeoutMs?: number;
  /**
   * A replicated cluster's control plane (the metadata image source and the AlterPartition channel, see
   * src/broker/metadata/README.md). Absent: a standalone broker that leads every partition it has.
   */
  readonly controlPlane?: BrokerControlPlane;
  /**
   * The node's Raft layer (a KafkaRaftManager), when it is a KRaft node: this broker's listener then answers
   * Vote, BeginQuorumEpoch, EndQuorumEpoch, DescribeQuorum and Fetch of `__cluster_metadata` through it.
   * Owned by the caller, which starts it and shuts it down.
   */
  readonly raft?: RaftApis;
  /** A KRaft controller node's QuorumController: this broker then answers BrokerRegistration, BrokerHeartbeat and AlterPartition. */
  readonly controllerApis?: ControllerApis;
  /**
   * The node's why log, when the node shares it with its controller (KafkaRaftServer, KRaftControlPlane). Absent:
   * the broker keeps its own.
   */
  readonly whyLog?: WhyLog;
}

export interface KafkaBrokerEvents {
  connectionOpened: [event: ConnectionOpenedEvent];
  connectionClosed: [event: ConnectionClosedEvent];
  topicCreated: [event: { topic: string; partitions: number; auto: boolean }];
  topicDeleted: [event: { topic: string }];
  partitionsCreated: [event: { topic: string; partitions: number }];
  /** Every consumer-group state change: joins, leaves, timeouts, rebalances, generations, commits, expiry. */
  group: [event: GroupEvent];
  /** Replication: leadership, ISR proposals and commits, truncations, high-watermark moves. */
  replica: [event: ReplicaManagerEvent];
  /** Every explained decision of this node (its replicas, and its controller's when active): the why log. */
  why: [event: WhyEvent];
}

export interface KafkaBrokerMetrics extends SocketServerMetrics {
  /** Fetches parked in the purgatory waiting for min_bytes (long polls). */
  readonly delayedFetches: number;
  /** acks=all produces parked until the ISR has their batches. */
  readonly delayedProduces: number;
  /** The Fetch path's pooled read buffers (reuse, pool size). */
  readonly readBuffers: ReadBufferPoolMetrics;
}

/** How often time-based flush (`flush.ms`) is checked — Kafka's `log.flush.scheduler.interval.ms` analogue. */
const FLUSH_CHECK_INTERVAL_MS = 1000;

/**
 * One mini Kafka broker (Kafka's `BrokerServer`): KafkaConfig, the data dir (LogManager), the partitions it
 * leads (ReplicaManager), the API layer (KafkaApis) and the network layer (SocketServer), started and stopped
 * in Kafka's order. The programmatic face for tests, demos and `kq broker`:
 *
 *   const broker = await KafkaBroker.start({ port: 0, config: { 'num.partitions': 3 } });
 *   broker.bootstrap  // "127.0.0.1:PORT"
 *   broker.log('orders', 0).segmentInfos
 *   await broker.close();
 *
 * Lives in src/broker/server/ with the other `kafka.server` classes (KafkaConfig, KafkaApis, ReplicaManager).
 * Events: connectionOpened/connectionClosed (from the network layer), topicCreated/topicDeleted/partitionsCreated.
 * Owns every part; callers use only this class's methods. `close()` may be called more than once.
 */
export class KafkaBroker extends EventEmitter<KafkaBrokerEvents> {
  private closing: Promise<void> | undefined;

  private constructor(
    readonly config: KafkaConfig,
    readonly dataDir: string,
    /** The advertised host (see KafkaBrokerOptions.advertisedHost). */
    readonly host: string,
    private readonly ownsDataDir: boolean,
    private readonly lock: DataDirLock,
    private readonly logManager: LogManager,
    private readonly replicaManager: ReplicaManager,
    private readonly socketServer: SocketServer,
    readonly clusterId: string,
    private readonly groupCoordinator: GroupCoordinator,
    private readonly advertisedPortOption: number | undefined,
    /** Replicated mode: `__consumer_offsets` elections and coordinator lookups (a MetadataPublisher). */
    private readonly coordination: OffsetsTopicCoordination | undefined,
    private readonly controlPlane: BrokerControlPlane | undefined,
    private readonly configPublisher: DynamicConfigPublisher | undefined,
    private readonly readBuffers: ReadBufferPool,
    /** This node's why log (see `why()`). */
    readonly whyLog: WhyLog,
  ) {
    super();
    whyLog.onEvent((event) => this.emit('why', event));
  }

  static async start(options: KafkaBrokerOptions = {}): Promise<KafkaBroker> {
    const config =
      options.config instanceof KafkaConfig ? options.config : KafkaConfig.fromObject(options.config ?? {});
    const host = options.host ?? '127.0.0.1';
    const advertisedHost = options.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = resolve(options.dataDir ?? mkdtempSync(join(tmpdir(), 'kq-broker-')));
    ensureDirectory(dataDir);
    const lock = DataDirLock.acquire(dataDir);
    const whyLog = options.whyLog ?? options.controlPlane?.whyLog ?? new WhyLog();
    let logManager: LogManager | undefined;
    let groupCoordinator: GroupCoordinator | undefined;
    try {
      const { clusterId } = loadOrCreateBrokerMetadata(dataDir, config.brokerId);
      logManager = LogManager.open(dataDir, config);
      const producerIdManager = ProducerIdManager.open(dataDir, config.brokerId);
      const clusterController = options.controlPlane?.controller;
      // Replicated: producer ids come in blocks from the controller (KIP-730), so no two brokers give out the same
      // id; the broker epoch the controller checks is this broker's registration in its metadata image.
      const producerIds = clusterController
        ? new RPCProducerIdManager({
            brokerId: config.brokerId,
            brokerEpoch: () => options.controlPlane?.metadata.image.broker(config.brokerId)?.epoch ?? -1n,
            controller: clusterController,
            timeoutMs: config.requestTimeoutMs,
          })
        : producerIdManager;
      const whyContext = {
        node: config.brokerId,
        replicaLagTimeMaxMs: config.replicaLagTimeMaxMs,
        truncation: config.followerTruncation,
      };
      const replicaManager = new ReplicaManager(config.brokerId, logManager, {
        replication: {
          replicaLagTimeMaxMs: config.replicaLagTimeMaxMs,
          replicaFetchWaitMaxMs: config.replicaFetchWaitMaxMs,
          replicaFetchMaxBytes: config.replicaFetchMaxBytes,
          replicaFetchBackoffMs: config.replicaFetchBackoffMs,
          requestTimeoutMs: config.requestTimeoutMs,
          truncation: config.followerTruncation,
        },
        minInsyncReplicas: (topic) => logManager?.topic(topic)?.config.minInsyncReplicas ?? config.minInsyncReplicas,
        onEvent: (event) => {
          whyLog.record(explainReplicaEvent(event, whyContext));
          broker?.emit('replica', event);
        },
        // Replicated: a new leader did not issue the producer ids it sees (the old leader did), and producer ids
        // should come from one cluster-wide allocator (the controller's); until then the check is standalone-only.
        ...(options.controlPlane
          ? { controlPlane: options.controlPlane }
          : { isProducerIdIssued: (id: bigint) => producerIdManager.isIssued(id) }),
      });
      let broker: KafkaBroker | undefined;
      let coordination: OffsetsTopicCoordination | undefined;
      const plane = options.controlPlane;
      const logs = logManager;
      groupCoordinator = new GroupCoordinator({
        // Like Kafka, an existing __consumer_offsets keeps its partition count whatever the setting says now:
        // groups must stay in the partitions their records are in. (Replicated: every node is given the same
        // setting, and the topic is created with it.)
        config: {
          ...config.groupConfig,
          offsetsTopicNumPartitions: plane
            ? config.offsetsTopicNumPartitions
            : (logManager.topic(GROUP_METADATA_TOPIC_NAME)?.logs.length ?? config.offsetsTopicNumPartitions),
        },
        logs: plane
          ? replicatedOffsetsTopicLogs(logManager, replicaManager, config.offsetsCommitTimeoutMs)
          : offsetsTopicLogs(logManager, config),
        // Replicated: a partition exists if the cluster's metadata has it, wherever its replicas are.
        partitionExists: plane
          ? (topic, partition) => replicaManager.metadataImage?.partition(topic, partition) !== undefined
          : (topic, partition) => logs.log(topic, partition) !== undefined,
      });
      const configPublisher = plane ? new DynamicConfigPublisher(logManager) : undefined;
      if (plane) {
        coordination = new OffsetsTopicCoordination({
          brokerId: config.brokerId,
          coordinator: groupCoordinator,
          controller: plane.controller,
          numPartitions: config.offsetsTopicNumPartitions,
          replicationFactor: config.offsetsTopicReplicationFactor,
          requestTimeoutMs: config.requestTimeoutMs,
        });
      }
      groupCoordinator.onEvent((e) => broker?.emit('group', e));
      const adminManager = new AdminManager(config, logManager, replicaManager, {
        topicCreated: (e) => broker?.emit('topicCreated', e),
        topicDeleted: (e) => broker?.emit('topicDeleted', e),
        partitionsCreated: (e) => broker?.emit('partitionsCreated', e),
      });
      const apis = new KafkaApis(
        config,
        logManager,
        replicaManager,
        () => ({ host: advertisedHost, port: broker?.advertisedPort ?? 0 }),
        clusterId,
        adminManager,
        groupCoordinator,
        new TransactionCoordinator(producerIds),
        options.raft,
        {
          ...(options.controllerApis ? { local: options.controllerApis } : {}),
          ...(options.controlPlane?.controller ? { forwarding: options.controlPlane.controller } : {}),
        },
        coordination,
      );
      const socketServer = new SocketServer(apis, {
        host,
        port: options.port ?? 0,
        numNetworkThreads: config.numNetworkThreads,
        numIoThreads: config.numIoThreads,
        queuedMaxRequests: config.queuedMaxRequests,
        socketRequestMaxBytes: config.socketRequestMaxBytes,
        shutdownTimeoutMs: options.shutdownTimeoutMs,
      });
      broker = new KafkaBroker(
        config,
        dataDir,
        advertisedHost,
        ownsDataDir,
        lock,
        logManager,
        replicaManager,
        socketServer,
        clusterId,
        groupCoordinator,
        options.advertisedPort,
        coordination,
        plane,
        configPublisher,
        apis.readBuffers,
        whyLog,
      );
      // Replays __consumer_offsets before the first client can ask for a committed offset. Replicated: the
      // coordinator loads a partition's groups when this broker is elected its leader (the publisher below).
      groupCoordinator.startup({ elected: plane !== undefined });
      socketServer.on('connectionOpened', (e) => broker?.emit('connectionOpened', e));
      socketServer.on('connectionClosed', (e) => broker?.emit('connectionClosed', e));
      await socketServer.startup();
      // Replicated: apply the metadata image (become leader/follower, start fetchers) once the listener is up.
      replicaManager.startup();
      if (plane && coordination) plane.metadata.installPublisher(coordination);
      if (plane && configPublisher) plane.metadata.installPublisher(configPublisher);
      logManager.startRetention(config.logRetentionCheckIntervalMs);
      logManager.startFlusher(FLUSH_CHECK_INTERVAL_MS);
      return broker;
    } catch (error) {
      groupCoordinator?.shutdown();
      logManager?.close();
      lock.release();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  get port(): number {
    return this.socketServer.boundAddress.port;
  }

  /** The port clients are told to connect to: KafkaBrokerOptions.advertisedPort, else the listening port. */
  get advertisedPort(): number {
    return this.advertisedPortOption ?? this.port;
  }

  /** `advertisedHost:advertisedPort`, what a client's bootstrap.servers needs. */
  get bootstrap(): string {
    return `${this.host}:${this.advertisedPort}`;
  }

  /** The log of one partition, for introspection (segments, index entries, explainLookup). */
  log(topic: string, partition: number): UnifiedLog {
    const log = this.logManager.log(topic, partition);
    if (!log)
      throw new Error(
        `no partition ${topic}-${partition} on this broker (topics: ${this.logManager.topicNames().join(', ') || 'none'})`,
      );
    return log;
  }

  topics(): string[] {
    return this.logManager.topicNames();
  }

  /** Every consumer group: state, generation, members and their assignments, committed offsets and lag. */
  groups(): GroupSnapshot[] {
    return this.groupCoordinator.groupSnapshots(this.highWatermark);
  }

  /** One group (see `groups()`), or undefined if the coordinator does not know it. */
  group(groupId: string): GroupSnapshot | undefined {
    return this.groupCoordinator.describeGroup(groupId, this.highWatermark);
  }

  /** Lag is measured against the high watermark: the end a consumer can reach. */
  private readonly highWatermark = (topic: string, partition: number): bigint | undefined =>
    this.logManager.log(topic, partition)?.highWatermark;

  metrics(): KafkaBrokerMetrics {
    return {
      ...this.socketServer.metrics(),
      delayedFetches: this.replicaManager.delayedFetches,
      delayedProduces: this.replicaManager.delayedProduces,
      readBuffers: this.readBuffers.metrics(),
    };
  }

  /**
   * The why log: every ISR change, high-watermark move, election (with the rule that chose the leader),
   * truncation, fencing, leader-epoch bump and refused produce this node decided or saw, oldest first, each with the
   * config or KIP behind it, in Chinese and English. Controller decisions appear on the node of the active controller.
   */
  why(): WhyEvent[] {
    return this.whyLog.all();
  }

  /** The replica manager's partitions (leader or follower), for introspection: LEO, HW, ISR, leader epoch. */
  partitions(): Partition[] {
    return this.replicaManager.allPartitions();
  }

  /** One partition this broker holds, or undefined. */
  partition(topic: string, partition: number): Partition | undefined {
    return this.replicaManager.getPartition(topic, partition);
  }

  /**
   * Kafka's controlled shutdown order: answer parked long polls, stop the network layer (finishing in-flight
   * requests), then flush and close every log — which writes the clean-shutdown markers, so the next start
   * skips recovery.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.coordination) this.controlPlane?.metadata.removePublisher(this.coordination);
      if (this.configPublisher) this.controlPlane?.metadata.removePublisher(this.configPublisher);
      await this.replicaManager.shutdown();
      // Held JoinGroup/SyncGroup requests are answered NOT_COORDINATOR, so in-flight handlers can finish.
      this.groupCoordinator.shutdown();
      await this.socketServer.shutdown();
      this.logManager.close();
      this.lock.release();
      if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
    })();
    return this.closing;
  }
}

/**
 * `__consumer_offsets` as the GroupCoordinator sees it. Like Kafka, the topic is created when a group first writes
 * (not at start, so a broker that never sees a group has only its users' topics), with retention off: Kafka keeps
 * it by compaction (cleanup.policy=compact), which kq does not implement, and time-based deletion would lose
 * committed offsets.
 */
function offsetsTopicLogs(logManager: LogManager, config: KafkaConfig): OffsetsTopicLogs {
  const existing = (partition: number) => logManager.log(GROUP_METADATA_TOPIC_NAME, partition);
  return {
    existing,
    forWrite: (partition) => {
      if (!logManager.topic(GROUP_METADATA_TOPIC_NAME)) {
        logManager.createTopic(GROUP_METADATA_TOPIC_NAME, config.offsetsTopicNumPartitions, [...OFFSETS_TOPIC_CONFIGS]);
      }
      return existing(partition);
    },
  };
}
