/**
 * N QuorumControllers on one LocalRaftQuorum (the in-memory Raft, Kafka's LocalLogManager) with a settable clock,
 * plus a MetadataLoader per node, for controller and loader tests: `elect(id)` makes a controller the quorum
 * leader, `registerAndUnfence(ids)` brings brokers up the way BrokerLifecycleManager would (register, then a
 * heartbeat once caught up). Everything is in memory; nothing to close but the controllers.
 */
import type { ControllerEvent, QuorumControllerConfig } from '../../../src/broker/controller/quorum-controller.js';
import { QuorumController } from '../../../src/broker/controller/quorum-controller.js';
import { MetadataLoader } from '../../../src/broker/metadata/metadata-loader.js';
import type { MetadataRecord } from '../../../src/broker/metadata/metadata-records.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import type { BrokerHeartbeatResponse } from '../../../src/broker/protocol/broker-heartbeat/response.js';
import { LocalRaftQuorum } from '../../../src/broker/raft/local-raft-quorum.js';

export const TEST_CONTROLLER_CONFIG: QuorumControllerConfig = {
  brokerHeartbeatIntervalMs: 100,
  brokerSessionTimeoutMs: 1000,
  numPartitions: 1,
  defaultReplicationFactor: 1,
  sessionCheckIntervalMs: 0,
};

export class ControllerQuorum {
  /** The controllers' shared clock, in ms; tests move it forward. */
  now = 1_000_000;
  readonly quorum: LocalRaftQuorum<MetadataRecord>;
  readonly controllers = new Map<number, QuorumController>();
  readonly loaders = new Map<number, MetadataLoader>();
  readonly events: ControllerEvent[] = [];
  readonly brokerEpochs = new Map<number, bigint>();

  constructor(voters: readonly number[] = [1, 2, 3], config: Partial<QuorumControllerConfig> = {}) {
    this.quorum = new LocalRaftQuorum<MetadataRecord>(voters, () => this.now);
    for (const id of voters) {
      this.controllers.set(
        id,
        new QuorumController({
          nodeId: id,
          raft: this.quorum.client(id),
          config: { ...TEST_CONTROLLER_CONFIG, ...config },
          now: () => this.now,
          onEvent: (e) => this.events.push(e),
        }),
      );
      const loader = new MetadataLoader();
      this.quorum.client(id).register(loader);
      this.loaders.set(id, loader);
    }
  }

  /** `id` leads the quorum; resolves once its controller is active (it replayed its epoch's first batch). */
  async elect(id: number): Promise<QuorumController> {
    this.quorum.elect(id);
    const controller = this.controller(id);
    await settle(() => controller.isActive, `controller ${id} becomes active`);
    return controller;
  }

  controller(id: number): QuorumController {
    const controller = this.controllers.get(id);
    if (!controller) throw new Error(`no controller ${id}`);
    return controller;
  }

  loader(id: number): MetadataLoader {
    const loader = this.loaders.get(id);
    if (!loader) throw new Error(`no loader ${id}`);
    return loader;
  }

  get active(): QuorumController {
    const active = [...this.controllers.values()].find((c) => c.isActive);
    if (!active) throw new Error('no active controller');
    return active;
  }

  /** Registers broker `id` (at 127.0.0.1:9000+id) and returns its broker epoch. */
  async register(id: number, incarnationId = `incarnation-${id}`.padEnd(22, 'A').slice(0, 22)): Promise<bigint> {
    const response = await this.active.registerBroker({
      brokerId: id,
      clusterId: 'test-cluster',
      incarnationId,
      listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 9000 + id, securityProtocol: 0 }],
      features: [],
      rack: null,
    });
    if (response.errorCode !== ErrorCode.NONE) throw new Error(`registration of ${id} failed: ${response.errorCode}`);
    this.brokerEpochs.set(id, response.brokerEpoch);
    return response.brokerEpoch;
  }

  /** One heartbeat from broker `id`, reporting the metadata offset the quorum has committed (fully caught up). */
  heartbeat(id: number, flags: { wantShutDown?: boolean; offset?: bigint } = {}): Promise<BrokerHeartbeatResponse> {
    return this.active.processBrokerHeartbeat({
      brokerId: id,
      brokerEpoch: this.brokerEpochs.get(id) ?? -1n,
      currentMetadataOffset: flags.offset ?? BigInt(this.quorum.highWatermark - 1),
      wantFence: false,
      wantShutDown: flags.wantShutDown ?? false,
    });
  }

  async registerAndUnfence(ids: readonly number[]): Promise<void> {
    for (const id of ids) await this.register(id);
    for (const id of ids) {
      const response = await this.heartbeat(id);
      if (response.isFenced) throw new Error(`broker ${id} is still fenced after a caught-up heartbeat`);
    }
  }
}

/** Lets queued microtasks and timers run until `condition` holds (bounded; in-memory work needs no real time). */
export async function settle(condition: () => boolean, what: string, rounds = 1000): Promise<void> {
  for (let i = 0; i < rounds && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error(`never happened: ${what}`);
}
