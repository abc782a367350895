import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { seededRandom } from '../../../src/broker/raft/kafka-raft-client.js';
import { KafkaRaftManager, type KafkaRaftManagerOptions } from '../../../src/broker/raft/kafka-raft-manager.js';
import type { QuorumVoter } from '../../../src/broker/raft/quorum-config.js';
import type { Batch, LeaderAndEpoch, RaftClientListener } from '../../../src/broker/raft/raft-client.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { jsonRecordSerde } from './json-record-serde.js';

type Timeouts = Pick<
  KafkaRaftManagerOptions<unknown>,
  'electionTimeoutMs' | 'fetchTimeoutMs' | 'requestTimeoutMs' | 'fetchMaxWaitMs'
>;

/** A listener that keeps what it was told, for assertions. */
export class RecordingListener implements RaftClientListener<unknown> {
  readonly batches: Batch<unknown>[] = [];
  readonly leaders: LeaderAndEpoch[] = [];
  handleCommit(batch: Batch<unknown>): void {
    this.batches.push(batch);
  }
  handleLeaderChange(leader: LeaderAndEpoch): void {
    this.leaders.push(leader);
  }
  /** The data records committed, in order (control batches carry none). */
  get records(): unknown[] {
    return this.batches.flatMap((b) => b.records);
  }
}

interface Node {
  readonly id: number;
  readonly dataDir: string;
  port: number;
  broker: KafkaBroker | undefined;
  manager: KafkaRaftManager<unknown> | undefined;
  readonly listener: RecordingListener;
}

/**
 * KRaft nodes in this process, each a real KafkaBroker listening on 127.0.0.1 (an ephemeral port, kept across
 * restarts) with a KafkaRaftManager on its data dir: the voters talk over real sockets with Kafka's RPCs. Each
 * node's RecordingListener is registered on its manager (a restarted node gets a fresh one).
 */
export class RaftQuorumHarness {
  readonly #nodes = new Map<number, Node>();
  readonly #root = mkdtempSync(join(tmpdir(), 'kq-raft-quorum-'));

  private constructor(
    readonly voterIds: readonly number[],
    readonly observerIds: readonly number[],
    readonly timeouts: Timeouts,
  ) {}

  static async start(voters: number, options: { observers?: number; timeouts?: Timeouts } = {}) {
    const voterIds = Array.from({ length: voters }, (_, i) => i + 1);
    const observerIds = Array.from({ length: options.observers ?? 0 }, (_, i) => voters + i + 1);
    const harness = new RaftQuorumHarness(voterIds, observerIds, options.timeouts ?? {});
    for (const id of [...voterIds, ...observerIds]) {
      const dataDir = join(harness.#root, `node-${id}`);
      mkdirSync(dataDir);
      harness.#nodes.set(id, {
        id,
        dataDir,
        port: 0,
        broker: undefined,
        manager: undefined,
        listener: new RecordingListener(),
      });
    }
    for (const id of harness.#nodes.keys()) await harness.#open(id);
    // Every port is known only now: tell each node where the voters listen, then start the timers.
    for (const node of harness.#nodes.values())
      for (const voter of harness.voters()) node.manager!.setVoterEndpoint(voter);
    for (const node of harness.#nodes.values()) node.manager!.startup();
    return harness;
  }

  voters(): QuorumVoter[] {
    return this.voterIds.map((id) => ({ id, host: '127.0.0.1', port: this.#nodes.get(id)!.port }));
  }

  async #open(id: number): Promise<void> {
    const node = this.#nodes.get(id)!;
    const manager = KafkaRaftManager.open<unknown>(node.dataDir, {
      nodeId: id,
      voters: this.voters(),
      serde: jsonRecordSerde,
      random: seededRandom(id * 7919 + Date.now()),
      ...this.timeouts,
    });
    const broker = await KafkaBroker.start({
      dataDir: node.dataDir,
      port: node.port,
      config: { 'node.id': id },
      raft: manager,
    });
    node.port = broker.port;
    node.broker = broker;
    node.manager = manager;
    manager.register(node.listener);
  }

  manager(id: number): KafkaRaftManager<unknown> {
    const manager = this.#nodes.get(id)?.manager;
    if (!manager) throw new Error(`node ${id} is not running`);
    return manager;
  }

  listener(id: number): RecordingListener {
    return this.#nodes.get(id)!.listener;
  }

  port(id: number): number {
    return this.#nodes.get(id)!.port;
  }

  dataDir(id: number): string {
    return this.#nodes.get(id)!.dataDir;
  }

  running(): number[] {
    return [...this.#nodes.values()].filter((n) => n.manager).map((n) => n.id);
  }

  /** The leader every running voter agrees on (same id and epoch), or undefined. */
  agreedLeader(among = this.running().filter((id) => this.voterIds.includes(id))): LeaderAndEpoch | undefined {
    const views = among.map((id) => this.manager(id).leaderAndEpoch());
    const first = views[0];
    if (!first || first.leaderId < 0 || !among.includes(first.leaderId)) return undefined;
    if (!views.every((v) => v.leaderId === first.leaderId && v.epoch === first.epoch)) return undefined;
    return this.manager(first.leaderId).describe().state === 'Leader' ? first : undefined;
  }

  async electedLeader(what = 'one leader every running voter follows', timeoutMs = 15_000): Promise<LeaderAndEpoch> {
    await waitUntil(() => this.agreedLeader() !== undefined, `${what}; ${this.describe()}`, timeoutMs);
    return this.agreedLeader()!;
  }

  /** Stops a node without a goodbye (no EndQuorumEpoch): its sockets close, as when its process dies. */
  async kill(id: number): Promise<void> {
    const node = this.#nodes.get(id)!;
    await node.manager?.shutdown({ resign: false });
    await node.broker?.close();
    node.manager = undefined;
    node.broker = undefined;
  }

  /** A controlled shutdown: a leader resigns first (EndQuorumEpoch). */
  async stop(id: number): Promise<void> {
    const node = this.#nodes.get(id)!;
    await node.manager?.shutdown();
    await node.broker?.close();
    node.manager = undefined;
    node.broker = undefined;
  }

  /** Starts a stopped node again on its port and data dir, with a fresh listener replaying the log. */
  async restart(id: number): Promise<RecordingListener> {
    const node = this.#nodes.get(id)!;
    const fresh: Node = { ...node, listener: new RecordingListener(), broker: undefined, manager: undefined };
    this.#nodes.set(id, fresh);
    await this.#open(id);
    this.manager(id).startup();
    return fresh.listener;
  }

  describe(): string {
    return [...this.#nodes.values()]
      .map((n) => {
        if (!n.manager) return `${n.id}:down`;
        const d = n.manager.describe();
        return `${n.id}:${d.state}@${d.epoch} leader=${d.leaderId} leo=${d.logEndOffset} hw=${d.highWatermark}`;
      })
      .join(' ');
  }

  async close(): Promise<void> {
    for (const id of this.#nodes.keys()) await this.kill(id);
    rmSync(this.#root, { recursive: true, force: true });
  }
}
