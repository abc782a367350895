import type { Partition } from '../cluster/partition.js';
import type { BrokerRegistration } from '../metadata/broker-registration.js';
import type { BrokerEndPoint } from './leader-end-point.js';
import { ReplicaFetcherThread } from './replica-fetcher-thread.js';
import type { ReplicaFetcherHooks, ReplicaFetcherSettings } from './replica-fetcher-thread.js';

/**
 * The follower side of replication on one broker (Kafka's `ReplicaFetcherManager` / `AbstractFetcherManager`):
 * one ReplicaFetcherThread per leader broker (Kafka's `num.replica.fetchers` = 1), each fetching every partition
 * this broker follows from that leader in one Fetch. A partition moves between threads when its leader changes;
 * a thread with no partitions left is shut down.
 *
 * Owned by ReplicaManager, which calls it from `applyDelta`; event-loop thread only.
 */
export class ReplicaFetcherManager {
  private readonly threads = new Map<number, ReplicaFetcherThread>();
  /** Which leader each followed partition is fetched from. */
  private readonly leaderOf = new Map<string, number>();

  constructor(
    private readonly localBrokerId: number,
    private readonly settings: ReplicaFetcherSettings,
    private readonly hooks: ReplicaFetcherHooks,
  ) {}

  /** Follows `partition` from `leader` (restarting with truncation, also if it was already followed). */
  addPartition(partition: Partition, leader: BrokerEndPoint): void {
    this.removePartition(partition);
    let thread = this.threads.get(leader.id);
    if (!thread) {
      thread = new ReplicaFetcherThread(this.localBrokerId, leader, this.settings, this.hooks);
      this.threads.set(leader.id, thread);
    } else thread.moveLeader(leader);
    thread.addPartition(partition);
    this.leaderOf.set(partition.name, leader.id);
  }

  removePartition(partition: Partition): void {
    const leaderId = this.leaderOf.get(partition.name);
    if (leaderId === undefined) return;
    this.leaderOf.delete(partition.name);
    const thread = this.threads.get(leaderId);
    if (!thread) return;
    thread.removePartition(partition);
    if (thread.partitionCount === 0) {
      this.threads.delete(leaderId);
      void thread.shutdown();
    }
  }

  /** A broker re-registered (restart): its fetcher thread reconnects to the new address. */
  updateLeaderEndpoint(broker: BrokerRegistration): void {
    this.threads.get(broker.id)?.moveLeader({ id: broker.id, host: broker.host, port: broker.port });
  }

  /** Leader ids with a running fetcher, for introspection. */
  get leaders(): number[] {
    return [...this.threads.keys()].sort((a, b) => a - b);
  }

  async shutdown(): Promise<void> {
    const threads = [...this.threads.values()];
    this.threads.clear();
    this.leaderOf.clear();
    await Promise.all(threads.map((t) => t.shutdown()));
  }
}
