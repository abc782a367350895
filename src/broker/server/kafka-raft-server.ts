import { consumeCleanShutdownFile, writeCleanShutdownFile } from './clean-shutdown-file.js';
import { explainControllerEvent } from '../controller/controller-why.js';
import { WhyLog } from '../why/why-log.js';
import type { ControllerApis } from '../metadata/controller-apis.js';
import { QuorumController } from '../controller/quorum-controller.js';
import type { ControllerEvent } from '../controller/quorum-controller.js';
import { BROKER_LISTENER_NAME, MetadataLoader } from '../metadata/metadata-loader.js';
import { MetadataRecordSerde } from '../metadata/metadata-record-serde.js';
import type { MetadataRecord } from '../metadata/metadata-records.js';
import { KafkaRaftManager } from '../raft/kafka-raft-manager.js';
import { BrokerLifecycleManager } from './broker-lifecycle-manager.js';
import { ControllerAlterPartitionManager } from './controller-alter-partition-manager.js';
import { ControllerChannelManager } from './controller-channel-manager.js';
import { KafkaBroker } from './kafka-broker.js';
import type { KafkaBrokerOptions } from './kafka-broker.js';
import { KafkaConfig } from './kafka-config.js';
import { TopicConfig } from './topic-config.js';
import { waitUntil } from '../utils/wait-until.js';

/** How long a stopping node waits for the controller to move its leaderships away. */
const CONTROLLED_SHUTDOWN_TIMEOUT_MS = 5000;

export interface KafkaRaftServerOptions extends Omit<KafkaBrokerOptions, 'controlPlane' | 'raft' | 'config'> {
  /** Must say `process.roles=broker,controller` and `controller.quorum.voters` (this node among them). */
  readonly config: KafkaConfig | Readonly<Record<string, string | number | boolean>>;
  readonly onControllerEvent?: (event: ControllerEvent) => void;
}

/**
 * One combined KRaft node (Kafka's `KafkaRaftServer` with `process.roles=broker,controller`): the Raft layer
 * (KafkaRaftManager: the metadata log on disk, the quorum over the network), the QuorumController on it, the
 * broker's MetadataLoader, BrokerLifecycleManager (register, heartbeat, controlled shutdown) and the
 * AlterPartition / admin channel to whichever node's controller is active (ControllerChannelManager), and the
 * KafkaBroker serving clients, inter-broker Fetch, the KRaft RPCs and the controller RPCs on one listener.
 *
 * Start: the broker listens first (the other voters must reach it), then Raft starts and the broker registers.
 * `waitForUnfenced()` resolves when the controller lets it lead. `close()`: controlled shutdown, then the broker,
 * the controller and Raft. Owns every part.
 */
export class KafkaRaftServer {
  private closing: Promise<void> | undefined;

  private constructor(
    readonly broker: KafkaBroker,
    readonly controller: QuorumController,
    readonly raft: KafkaRaftManager<MetadataRecord>,
    readonly loader: MetadataLoader,
    readonly lifecycle: BrokerLifecycleManager,
    private readonly channel: ControllerChannelManager,
    private readonly alterPartitionManager: ControllerAlterPartitionManager,
    /** The node's data dir, where a clean shutdown leaves Kafka's clean shutdown file. */
    private readonly dataDir: string,
  ) {}

  static async start(options: KafkaRaftServerOptions): Promise<KafkaRaftServer> {
    const config = options.config instanceof KafkaConfig ? options.config : KafkaConfig.fromObject(options.config);
    const quorum = config.quorumConfig;
    const nodeId = config.brokerId;
    if (!quorum.roles.includes('controller') || !quorum.roles.includes('broker'))
      throw new Error(
        `a KafkaRaftServer runs combined nodes: process.roles=broker,controller (got ${quorum.roles.join(',')})`,
      );
    if (!quorum.voters.some((v) => v.id === nodeId))
      throw new Error(`node ${nodeId} is not among controller.quorum.voters`);
    const dataDir = options.dataDir;
    if (dataDir === undefined) throw new Error('a KRaft node needs a data dir (its metadata log lives there)');
    const raft = KafkaRaftManager.open<MetadataRecord>(dataDir, {
      nodeId,
      voters: quorum.voters,
      serde: MetadataRecordSerde.INSTANCE,
      electionTimeoutMs: quorum.electionTimeoutMs,
      fetchTimeoutMs: quorum.fetchTimeoutMs,
      requestTimeoutMs: quorum.requestTimeoutMs,
      retryBackoffMs: quorum.retryBackoffMs,
    });
    const whyLog = new WhyLog();
    const controller: QuorumController = new QuorumController({
      nodeId,
      raft,
      config: {
        brokerHeartbeatIntervalMs: config.brokerHeartbeatIntervalMs,
        brokerSessionTimeoutMs: config.brokerSessionTimeoutMs,
        numPartitions: config.numPartitions,
        defaultReplicationFactor: config.defaultReplicationFactor,
        uncleanLeaderElectionEnable: config.uncleanLeaderElectionEnable,
        uncleanLeaderElectionIntervalMs: config.uncleanLeaderElectionIntervalMs,
        autoLeaderRebalanceEnable: config.autoLeaderRebalanceEnable,
        leaderImbalanceCheckIntervalMs: config.leaderImbalanceCheckIntervalMs,
        minInsyncReplicas: config.minInsyncReplicas,
        eligibleLeaderReplicasVersion: config.eligibleLeaderReplicasVersion,
        validateTopicConfig: (name, value) => {
          try {
            TopicConfig.create([[name, value]], config);
            return null;
          } catch (error) {
            return error instanceof Error ? error.message : String(error);
          }
        },
      },
      onEvent: (event) => {
        const why = explainControllerEvent(event, nodeId, (id) => controller.replication.topicById(id)?.name);
        if (why) whyLog.record(why);
        options.onControllerEvent?.(event);
      },
    });
    const loader = new MetadataLoader();
    raft.register(loader);
    const channel = new ControllerChannelManager({
      voters: quorum.voters,
      leader: () => raft.leaderAndEpoch(),
      timeoutMs: config.requestTimeoutMs,
    });
    let lifecycle: BrokerLifecycleManager | undefined;
    const alterPartitionManager = new ControllerAlterPartitionManager({
      brokerId: nodeId,
      brokerEpoch: () => lifecycle?.brokerEpoch ?? -1n,
      image: () => loader.image,
      controller: channel,
    });
    // Admin requests go to the active controller: this node's own when it is active (a request forwarded here must
    // not be forwarded again), else over the network to whichever node leads the quorum. Between winning a Raft
    // election and replaying its epoch's first batch this node leads the quorum but its controller is not active
    // yet: sending over the channel would reach this same node, whose answer would queue behind the request itself
    // on the channel's one connection until request.timeout.ms (30 s, seen right after a controller failover).
    // It waits for its own controller instead, which answers NOT_CONTROLLER if it never becomes active.
    const activeController = async (): Promise<ControllerApis> => {
      const leadsQuorum = () => raft.leaderAndEpoch().leaderId === nodeId;
      if (!controller.isActive && leadsQuorum())
        await waitUntil(
          () => controller.isActive || !leadsQuorum(),
          'this node’s controller to become active',
          config.requestTimeoutMs,
          { everyMs: 20 },
        ).catch(() => undefined);
      return controller.isActive || leadsQuorum() ? controller : channel;
    };
    const forwarding: ControllerApis = {
      registerBroker: async (r) => (await activeController()).registerBroker(r),
      processBrokerHeartbeat: async (r) => (await activeController()).processBrokerHeartbeat(r),
      alterPartition: async (r) => (await activeController()).alterPartition(r),
      createTopics: async (r) => (await activeController()).createTopics(r),
      deleteTopics: async (r, v) => (await activeController()).deleteTopics(r, v),
      createPartitions: async (r) => (await activeController()).createPartitions(r),
      allocateProducerIds: async (r) => (await activeController()).allocateProducerIds(r),
      incrementalAlterConfigs: async (r) => (await activeController()).incrementalAlterConfigs(r),
      electLeaders: async (r) => (await activeController()).electLeaders(r),
      alterPartitionReassignments: async (r) => (await activeController()).alterPartitionReassignments(r),
      listPartitionReassignments: async (r) => (await activeController()).listPartitionReassignments(r),
    };
    let broker: KafkaBroker;
    try {
      broker = await KafkaBroker.start({
        ...options,
        config,
        controlPlane: { metadata: loader, alterPartitionManager, controller: forwarding, whyLog },
        raft,
        controllerApis: controller,
      });
    } catch (error) {
      controller.close();
      await raft.shutdown();
      channel.close();
      throw error;
    }
    raft.startup();
    lifecycle = new BrokerLifecycleManager({
      brokerId: nodeId,
      clusterId: broker.clusterId,
      controller: channel,
      metadataOffset: () => loader.image.provenance.offset,
      listeners: [{ name: BROKER_LISTENER_NAME, host: broker.host, port: broker.advertisedPort, securityProtocol: 0 }],
      heartbeatIntervalMs: config.brokerHeartbeatIntervalMs,
      previousBrokerEpoch: consumeCleanShutdownFile(dataDir),
    });
    lifecycle.start();
    return new KafkaRaftServer(broker, controller, raft, loader, lifecycle, channel, alterPartitionManager, dataDir);
  }

  /** Resolves once the controller has unfenced this node's broker. */
  waitForUnfenced(): Promise<void> {
    return this.lifecycle.waitForUnfenced();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.lifecycle.controlledShutdown(CONTROLLED_SHUTDOWN_TIMEOUT_MS);
      this.lifecycle.close();
      this.alterPartitionManager.close();
      await this.broker.close();
      // The logs are closed: a clean shutdown (KIP-966), so the next start keeps this broker eligible.
      if (this.lifecycle.brokerEpoch !== -1n) writeCleanShutdownFile(this.dataDir, this.lifecycle.brokerEpoch);
      this.controller.close();
      await this.raft.shutdown({ resign: true });
      this.channel.close();
    })();
    return this.closing;
  }
}
