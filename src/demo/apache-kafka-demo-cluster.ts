import { ApiKey, metadata, RawKafkaClient } from '../broker/index.js';
import { ApacheKafkaCluster, type KafkaNode } from '../kafka/index.js';
import { eventually } from './eventually.js';
import {
  quorumFromStateFiles,
  type ClusterBroker,
  type ClusterBrokerState,
  type ControllerQuorum,
  type DemoCluster,
} from './demo-cluster.js';

/**
 * DemoCluster over an Apache Kafka cluster kq started (combined broker+controller KRaft nodes, one JVM each): every
 * fault is a signal to one node's process group, through the `kafka` helper's KafkaNode. Owns the cluster only
 * when it started it (`start`); `over` wraps one shared by `--all` or a test file, whose owner stops it.
 */
/** A JVM on a loaded 2-core machine may take a minute to start (ApacheKafkaCluster allows 90 s for all). */
const RESTART_TIMEOUT_MS = 90_000;

export class ApacheKafkaDemoCluster implements DemoCluster {
  readonly target = 'apache-kafka';
  private readonly lastSignal = new Map<number, 'stopped' | 'killed'>();

  private constructor(
    readonly kafka: ApacheKafkaCluster,
    private readonly owned: boolean,
  ) {}

  /** Starts `brokers` Apache Kafka nodes with `config` (Kafka's names), owned: close() stops them. */
  static async start(brokers: number, config: Readonly<Record<string, string>>): Promise<ApacheKafkaDemoCluster> {
    return new ApacheKafkaDemoCluster(
      await ApacheKafkaCluster.start({ brokers, config: { ...config }, waitForGroupCoordinator: true }),
      true,
    );
  }

  /** A cluster someone else started and stops. */
  static over(kafka: ApacheKafkaCluster): ApacheKafkaDemoCluster {
    return new ApacheKafkaDemoCluster(kafka, false);
  }

  /** Whether the cluster runs every setting of `config` (a shared cluster started without them cannot serve). */
  static runs(kafka: ApacheKafkaCluster, config: Readonly<Record<string, string>>, brokers: number): boolean {
    return (
      kafka.nodes.length >= brokers &&
      kafka.nodes.every((n) => Object.entries(config).every(([k, v]) => n.spec.config[k] === v))
    );
  }

  get bootstrap(): string {
    return this.kafka.bootstrap;
  }

  get brokerIds(): number[] {
    return this.kafka.nodes.map((n) => n.nodeId);
  }

  get brokerConfig(): Record<string, string> {
    return { ...this.kafka.nodes[0]!.spec.config };
  }

  broker(id: number): ClusterBroker {
    const node = this.kafka.node(id);
    return {
      id,
      host: node.host,
      port: node.port,
      pid: node.pid,
      dataDir: node.dataDir,
      state: this.stateOf(node),
    };
  }

  /** From the running nodes' quorum-state files (see quorumFromStateFiles). */
  controllerQuorum(): ControllerQuorum | undefined {
    return quorumFromStateFiles(this.kafka.nodes.filter((n) => n.isRunning && !n.isPaused).map((n) => n.dataDir));
  }

  async stop(id: number): Promise<void> {
    await this.kafka.node(id).stop();
    this.lastSignal.set(id, 'stopped');
  }

  async kill(id: number): Promise<void> {
    await this.kafka.node(id).kill();
    this.lastSignal.set(id, 'killed');
  }

  pause(id: number): void {
    const node = this.kafka.node(id);
    if (!node.isRunning || node.isPaused) throw new Error(`kafka node ${id} is ${this.stateOf(node)}, not running`);
    node.pause();
  }

  resume(id: number): void {
    const node = this.kafka.node(id);
    if (!node.isPaused) throw new Error(`kafka node ${id} is ${this.stateOf(node)}, not paused`);
    node.resume();
  }

  /**
   * Starts the node again and waits for it alone to answer Metadata listing itself (registered and unfenced): the
   * other nodes may be frozen or dead on purpose, so the cluster-wide readiness wait would not fit.
   */
  async restart(id: number): Promise<void> {
    const node = this.kafka.node(id);
    if (node.isRunning) await node.stop();
    node.start();
    this.lastSignal.delete(id);
    const up = await eventually(async () => {
      if (!node.isRunning) throw new Error(`kafka node ${id} exited while starting`);
      const client = await RawKafkaClient.connect(node.port, node.host);
      try {
        const response = await client.request(ApiKey.Metadata, 4, metadata([], false), 2000);
        return response.brokers.some((b) => b.nodeId === id);
      } finally {
        client.close();
      }
    }, RESTART_TIMEOUT_MS);
    if (!up)
      throw new Error(`kafka node ${id} did not answer Metadata listing itself within ${RESTART_TIMEOUT_MS / 1000} s`);
  }

  async close(): Promise<void> {
    if (this.owned) await this.kafka.stop();
    else {
      // a shared cluster outlives the demo: leave every node running, as the next demo expects to find it
      for (const node of this.kafka.nodes) {
        if (node.isPaused) node.resume();
        if (!node.isRunning) await this.restart(node.nodeId);
      }
    }
  }

  private stateOf(node: KafkaNode): ClusterBrokerState {
    if (node.isPaused) return 'paused';
    if (node.isRunning) return 'running';
    return this.lastSignal.get(node.nodeId) ?? 'killed';
  }
}
