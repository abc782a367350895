import { explainControllerEvent } from '../controller/controller-why.js';
import { WhyLog } from '../why/why-log.js';
import type { ControllerApis } from '../metadata/controller-apis.js';
import { QuorumController } from '../controller/quorum-controller.js';
import type { ControllerEvent } from '../controller/quorum-controller.js';
import type { MetadataImage } from '../metadata/metadata-image.js';
import { BROKER_LISTENER_NAME, MetadataLoader } from '../metadata/metadata-loader.js';
import type { BrokerControlPlane } from '../metadata/metadata-publisher.js';
import type { MetadataRecord } from '../metadata/metadata-records.js';
import { LocalRaftQuorum } from '../raft/local-raft-quorum.js';
import { BrokerLifecycleManager } from '../server/broker-lifecycle-manager.js';
import { ControllerAlterPartitionManager } from '../server/controller-alter-partition-manager.js';
import type { KafkaConfig } from '../server/kafka-config.js';
import { TopicConfig } from '../server/topic-config.js';

/** One combined node's control-plane parts (process.roles=broker,controller). */
interface ControlNode {
  readonly controller: QuorumController;
  readonly loader: MetadataLoader;
  readonly alterPartitionManager: ControllerAlterPartitionManager;
  lifecycle?: BrokerLifecycleManager;
}

/** How long a stopping broker waits for the controller to move its leaderships (Kafka's shutdown wait). */
const CONTROLLED_SHUTDOWN_TIMEOUT_MS = 5000;

/**
 * The KRaft control plane of an in-process KafkaCluster: every node is combined (broker and controller), with a
 * QuorumController, a MetadataLoader, a BrokerLifecycleManager (registration, heartbeats, controlled shutdown) and
 * a ControllerAlterPartitionManager, all on one LocalRaftQuorum (the metadata log in memory, shared by the nodes;
 * the network Raft replaces it for child processes). Requests to "the active controller" are direct calls to
 * whichever node's controller is active. It is KafkaCluster's ControlPlaneProvider (structurally: no import cycle).
 *
 * A node that stops leaves the quorum (a leader's successor is elected at once); a node that starts again gets
 * fresh parts that replay the whole log, as a restarted Kafka node does. Owned by its KafkaCluster.
 */
export class KRaftControlPlane {
  readonly quorum: LocalRaftQuorum<MetadataRecord>;
  private readonly nodes = new Map<number, ControlNode>();
  /**
   * KIP-966 clean shutdown detection: the broker epoch of each node's last clean stop, presented as
   * `previousBrokerEpoch` when it registers again (a kill leaves none, so the controller treats it as unclean).
   */
  private readonly cleanShutdownEpochs = new Map<number, bigint>();
  /** Every controller decision, in order (for tests, demos and the live view). */
  readonly events: Array<ControllerEvent & { readonly nodeId: number }> = [];

  constructor(
    voters: readonly number[],
    private readonly config: KafkaConfig,
    private readonly clusterId = 'kq-in-process-cluster',
  ) {
    this.quorum = new LocalRaftQuorum<MetadataRecord>(voters);
  }

  /** The node's parts, created when its broker starts (after a stop, from scratch: they replay the log). */
  controlPlane(nodeId: number): BrokerControlPlane {
    this.stopNode(nodeId);
    this.quorum.restart(nodeId);
    const raft = this.quorum.client(nodeId);
    const whyLog = new WhyLog();
    const controller: QuorumController = new QuorumController({
      nodeId,
      raft,
      config: {
        brokerHeartbeatIntervalMs: this.config.brokerHeartbeatIntervalMs,
        brokerSessionTimeoutMs: this.config.brokerSessionTimeoutMs,
        numPartitions: this.config.numPartitions,
        defaultReplicationFactor: this.config.defaultReplicationFactor,
        uncleanLeaderElectionEnable: this.config.uncleanLeaderElectionEnable,
        uncleanLeaderElectionIntervalMs: this.config.uncleanLeaderElectionIntervalMs,
        autoLeaderRebalanceEnable: this.config.autoLeaderRebalanceEnable,
        leaderImbalanceCheckIntervalMs: this.config.leaderImbalanceCheckIntervalMs,
        minInsyncReplicas: this.config.minInsyncReplicas,
        eligibleLeaderReplicasVersion: this.config.eligibleLeaderReplicasVersion,
        clusterId: this.clusterId,
        validateTopicConfig: (name, value) => this.topicConfigProblem(name, value),
      },
      onEvent: (event) => {
        this.events.push({ ...event, nodeId });
        const why = explainControllerEvent(event, nodeId, (id) => controller.replication.topicById(id)?.name);
        if (why) whyLog.record(why);
      },
    });
    const loader = new MetadataLoader();
    raft.register(loader);
    const node: ControlNode = {
      controller,
      loader,
      alterPartitionManager: new ControllerAlterPartitionManager({
        brokerId: nodeId,
        brokerEpoch: () => this.nodes.get(nodeId)?.lifecycle?.brokerEpoch ?? -1n,
        image: () => loader.image,
        controller: this.activeControllerApis,
      }),
    };
    this.nodes.set(nodeId, node);
    if (this.quorum.leaderAndEpoch().leaderId === -1) this.quorum.elect(nodeId);
    return {
      metadata: loader,
      alterPartitionManager: node.alterPartitionManager,
      controller: this.activeControllerApis,
      whyLog,
    };
  }

  /** The broker listens: it registers and heartbeats; resolves once the controller has unfenced it. */
  async brokerStarted(nodeId: number, endpoint: { host: string; port: number }): Promise<void> {
    const node = this.node(nodeId);
    const previousBrokerEpoch = this.cleanShutdownEpochs.get(nodeId) ?? -1n;
    this.cleanShutdownEpochs.delete(nodeId);
    const lifecycle = new BrokerLifecycleManager({
      brokerId: nodeId,
      clusterId: this.clusterId,
      controller: this.activeControllerApis,
      metadataOffset: () => node.loader.image.provenance.offset,
      listeners: [{ name: BROKER_LISTENER_NAME, host: endpoint.host, port: endpoint.port, securityProtocol: 0 }],
      heartbeatIntervalMs: this.config.brokerHeartbeatIntervalMs,
      previousBrokerEpoch,
    });
    node.lifecycle = lifecycle;
    lifecycle.start();
    await lifecycle.waitForUnfenced();
  }

  /** Controlled shutdown before the broker closes: its leaderships move away first. */
  async brokerStopping(nodeId: number): Promise<void> {
    const lifecycle = this.nodes.get(nodeId)?.lifecycle;
    if (!lifecycle) return;
    await lifecycle.controlledShutdown(CONTROLLED_SHUTDOWN_TIMEOUT_MS);
    // Kafka's clean shutdown file (LogManager.shutdown(brokerEpoch)); kept in memory as this plane's metadata log is.
    if (lifecycle.brokerEpoch !== -1n) this.cleanShutdownEpochs.set(nodeId, lifecycle.brokerEpoch);
  }

  /** The node is gone (stopped, or killed without controlled shutdown): heartbeats stop, it leaves the quorum. */
  brokerStopped(nodeId: number): void {
    this.stopNode(nodeId);
    this.quorum.shutdown(nodeId);
  }

  close(): void {
    for (const id of [...this.nodes.keys()]) this.brokerStopped(id);
  }

  /** The active controller, if a node has one (a failover leaves none for a moment). */
  activeController(): QuorumController | undefined {
    return [...this.nodes.values()].map((n) => n.controller).find((c) => c.isActive);
  }

  /** The cluster as the most caught-up live node has replayed it. */
  get image(): MetadataImage {
    let best: MetadataImage | undefined;
    for (const { loader } of this.nodes.values())
      if (!best || loader.image.provenance.offset > best.provenance.offset) best = loader.image;
    return best ?? this.emptyImage();
  }

  /** Node `id`'s broker lifecycle (registration state, broker epoch). */
  lifecycle(nodeId: number): BrokerLifecycleManager | undefined {
    return this.nodes.get(nodeId)?.lifecycle;
  }

  /**
   * "The active controller" for brokers: a direct call to whichever controller is active; with none active, any
   * node's controller, which answers NOT_CONTROLLER (and the caller retries, as over the network).
   */
  readonly activeControllerApis: ControllerApis = {
    registerBroker: (r) => this.route().registerBroker(r),
    processBrokerHeartbeat: (r) => this.route().processBrokerHeartbeat(r),
    alterPartition: (r) => this.route().alterPartition(r),
    createTopics: (r) => this.route().createTopics(r),
    deleteTopics: (r, v) => this.route().deleteTopics(r, v),
    createPartitions: (r) => this.route().createPartitions(r),
    allocateProducerIds: (r) => this.route().allocateProducerIds(r),
    incrementalAlterConfigs: (r) => this.route().incrementalAlterConfigs(r),
    electLeaders: (r) => this.route().electLeaders(r),
    alterPartitionReassignments: (r) => this.route().alterPartitionReassignments(r),
    listPartitionReassignments: (r) => this.route().listPartitionReassignments(r),
  };

  private route(): ControllerApis {
    const active = this.activeController();
    if (active) return active;
    const any = [...this.nodes.values()][0]?.controller;
    if (!any) throw new Error('no node of the cluster is running: there is no controller to ask');
    return any;
  }

  private topicConfigProblem(name: string, value: string): string | null {
    try {
      TopicConfig.create([[name, value]], this.config);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  private emptyImage(): MetadataImage {
    return new MetadataLoader().image;
  }

  private node(nodeId: number): ControlNode {
    const node = this.nodes.get(nodeId);
    if (!node) throw new Error(`node ${nodeId} has no control plane; controlPlane(${nodeId}) comes first`);
    return node;
  }

  private stopNode(nodeId: number): void {
    const node = this.nodes.get(nodeId);
    if (!node) return;
    this.nodes.delete(nodeId);
    node.lifecycle?.close();
    node.alterPartitionManager.close();
    node.controller.close();
    this.quorum.client(nodeId).unregister(node.loader);
  }
}
