import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaCluster } from '../broker/index.js';
import { quorumFromStateFiles, type ClusterBroker, type ControllerQuorum, type DemoCluster } from './demo-cluster.js';

/**
 * Settings of the fault demos' config that name a mechanism kq's broker does not have, so they are not passed to it
 * (its config check would refuse them) and not reported as the cluster's settings. Empty since kq's controller has
 * the leader rebalancer and unclean election (issue 13); kept so the next such mechanism has its place.
 */
const KQ_HAS_NO_MECHANISM: ReadonlySet<string> = new Set<string>([]);

/**
 * Eligible Leader Replicas (KIP-966) on, said outright: Apache Kafka 4.4's `kafka-storage.sh format` without
 * `--feature` (how the Kafka demo cluster formats) finalizes `eligible.leader.replicas.version=1`, so both clusters
 * of a demo elect by the same rules. kq's default is the same; a kq-only setting, so Kafka is not given it.
 */
const KQ_ELR_AS_KAFKA_4_4 = { 'kq.eligible.leader.replicas.version': '1' } as const;

/**
 * DemoCluster over kq's own `KafkaCluster`, each broker a `kq broker` child process in its own process group, so
 * kill (SIGKILL) and pause (SIGSTOP) hit one whole node as they would a JVM. Owns the cluster and its data dirs.
 * Needs the KRaft controller inside each node (issue 11): until `kq broker --brokers 3` runs, KafkaCluster refuses
 * more than one child, and start() fails saying so.
 */
export class KqDemoCluster implements DemoCluster {
  readonly target = 'kq';

  private constructor(
    private readonly cluster: KafkaCluster,
    readonly brokerConfig: Readonly<Record<string, string>>,
  ) {}

  /** `faults`: run kq's fault layer (a fault agent in each node, a proxy before it) so powerLoss() can cut a node. */
  static async start(
    brokers: number,
    config: Readonly<Record<string, string>>,
    options: { faults?: boolean } = {},
  ): Promise<KqDemoCluster> {
    const supported = Object.fromEntries(Object.entries(config).filter(([name]) => !KQ_HAS_NO_MECHANISM.has(name)));
    const cluster = await KafkaCluster.start({
      brokers,
      mode: 'child-process',
      nodeCommand: [process.execPath, kqExecutable(), 'broker'],
      config: { ...supported, ...KQ_ELR_AS_KAFKA_4_4 },
      ...(options.faults ? { faults: true } : {}),
    });
    return new KqDemoCluster(cluster, supported);
  }

  get bootstrap(): string {
    return this.cluster.bootstrap;
  }

  get brokerIds(): number[] {
    return this.cluster.info().map((n) => n.id);
  }

  broker(id: number): ClusterBroker {
    const node = this.cluster.info().find((n) => n.id === id);
    if (!node) throw new RangeError(`no broker ${id}; the brokers are ${this.brokerIds.join(', ')}`);
    const alive = node.state === 'running' || node.state === 'paused';
    return { ...node, pid: alive ? node.pid : undefined };
  }

  /** From the running nodes' quorum-state files, as on Apache Kafka (see quorumFromStateFiles). */
  controllerQuorum(): ControllerQuorum | undefined {
    return quorumFromStateFiles(
      this.cluster
        .info()
        .filter((n) => n.state === 'running')
        .map((n) => n.dataDir),
    );
  }

  stop(id: number): Promise<void> {
    return this.cluster.stop(id);
  }

  kill(id: number): Promise<void> {
    return this.cluster.kill(id);
  }

  /** Needs a cluster started with `faults` (KafkaCluster refuses otherwise, naming the option). */
  powerLoss(id: number): Promise<void> {
    return this.cluster.powerLoss(id);
  }

  unsyncedFiles(id: number): Promise<readonly string[]> {
    return this.cluster.unsyncedFiles(id);
  }

  pause(id: number): void {
    this.cluster.pause(id);
  }

  resume(id: number): void {
    this.cluster.resume(id);
  }

  restart(id: number): Promise<void> {
    return this.cluster.start(id);
  }

  /**
   * The demo is over and its data dirs are thrown away: SIGKILL every node rather than shut each down cleanly (a
   * controlled shutdown per node, one after another, cost a cluster demo seconds for nothing), then let the cluster
   * clean up.
   */
  async close(): Promise<void> {
    await Promise.all(this.brokerIds.map((id) => this.cluster.kill(id)));
    await this.cluster.close();
  }
}

/** bin/kq.js of this package, found upwards from this module (src/demo/ in tests, dist/chunks/ when built). */
function kqExecutable(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'bin', 'kq.js');
    if (existsSync(candidate) && existsSync(join(dir, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`bin/kq.js not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
