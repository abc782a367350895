/**
 * N in-process KafkaBrokers wired to one ControllerDouble (test code): each broker's control plane is the double's
 * MetadataSource and its per-broker AlterPartitionManager. Brokers can be closed and started again on the same
 * data dir (re-registering with their new port), which is how these tests stop and restart replicas without a
 * real controller. Every broker and data dir is removed by `close()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { ControllerDouble } from './controller-double.js';

export class ReplicatedBrokers {
  readonly controller = new ControllerDouble();
  private readonly brokers = new Map<number, KafkaBroker>();
  private readonly clients: RawKafkaClient[] = [];

  private constructor(
    readonly root: string,
    private readonly config: Record<string, string | number>,
  ) {}

  static async start(ids: readonly number[], config: Record<string, string | number> = {}): Promise<ReplicatedBrokers> {
    const cluster = new ReplicatedBrokers(mkdtempSync(join(tmpdir(), 'kq-repl-')), config);
    for (const id of ids) await cluster.startBroker(id);
    return cluster;
  }

  broker(id: number): KafkaBroker {
    const broker = this.brokers.get(id);
    if (!broker) throw new Error(`broker ${id} is not running (running: ${[...this.brokers.keys()].join(', ')})`);
    return broker;
  }

  isRunning(id: number): boolean {
    return this.brokers.has(id);
  }

  async startBroker(id: number): Promise<KafkaBroker> {
    const broker = await KafkaBroker.start({
      dataDir: join(this.root, `node-${id}`),
      config: { 'broker.id': id, ...this.config },
      controlPlane: { metadata: this.controller, alterPartitionManager: this.controller.alterPartitionManager(id) },
    });
    this.brokers.set(id, broker);
    this.controller.registerBroker(id, broker.host, broker.port);
    return broker;
  }

  /** Closes a broker cleanly without telling the controller (as if it stopped answering). */
  async stopBroker(id: number): Promise<void> {
    const broker = this.broker(id);
    this.brokers.delete(id);
    await broker.close();
  }

  async client(id: number): Promise<RawKafkaClient> {
    const client = await RawKafkaClient.connect(this.broker(id).port);
    this.clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.close();
    await Promise.all([...this.brokers.values()].map((b) => b.close()));
    this.brokers.clear();
    rmSync(this.root, { recursive: true, force: true });
  }
}
