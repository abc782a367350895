/**
 * An in-process KafkaCluster whose control plane is a ControllerDouble (test code): brokers can be stopped and
 * started again on the same port and data dir (re-registering with the double), which is how these tests stop
 * and restart replicas without a real controller. `close()` removes every broker, client and data dir.
 */
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { KafkaCluster } from '../../../src/broker/cluster/kafka-cluster.js';
import type { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { ControllerDouble } from './controller-double.js';

export class ReplicatedBrokers {
  private readonly clients: RawKafkaClient[] = [];

  private constructor(
    readonly controller: ControllerDouble,
    readonly cluster: KafkaCluster,
  ) {}

  /** Brokers 1..n. */
  static async start(n: number, config: Record<string, string | number> = {}): Promise<ReplicatedBrokers> {
    const controller = new ControllerDouble();
    const cluster = await KafkaCluster.start({ brokers: n, config, controlPlane: controller });
    return new ReplicatedBrokers(controller, cluster);
  }

  broker(id: number): KafkaBroker {
    return this.cluster.broker(id);
  }

  async startBroker(id: number): Promise<void> {
    await this.cluster.start(id);
  }

  /** Closes a broker cleanly without telling the controller (as if it stopped answering). */
  async stopBroker(id: number): Promise<void> {
    await this.cluster.stop(id);
  }

  async client(id: number): Promise<RawKafkaClient> {
    const client = await RawKafkaClient.connect(this.broker(id).port);
    this.clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.close();
    await this.cluster.close();
  }
}
