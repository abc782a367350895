import type { Batch, LeaderAndEpoch, RaftClient, RaftClientListener } from './raft-client.js';
import { NotLeaderError } from './raft-client.js';

/**
 * A Raft quorum inside one process (Kafka's `LocalLogManager`, the controller's test double, here also product
 * code): one shared log, one `RaftClient` per voter, a leader chosen by the caller (or the next live voter when the
 * leader resigns or leaves). What it keeps from Raft is what the controller depends on — a batch is committed once
 * a majority of voters is live, committed batches reach every registered listener exactly once and in order, a
 * listener registered late first gets every committed batch, a new leader's epoch starts with a control batch (no
 * records; Kafka's LeaderChangeMessage) so its listeners can tell they have replayed everything before the epoch,
 * and an append at a stale epoch throws NotLeaderError. What it leaves out: elections, the network, the disk.
 *
 * Used by in-process KafkaClusters (every node's controller and metadata loader share it) and by controller tests
 * (`holdCommits` keeps appends uncommitted, `elect` moves the leadership). Callbacks run on microtasks, never
 * inside the call that caused them, as Kafka's raft thread would not either. Owned by whoever created it.
 */
export class LocalRaftQuorum<T> {
  private readonly committed: Batch<T>[] = [];
  private readonly uncommitted: Batch<T>[] = [];
  private nextOffset = 0;
  private current: LeaderAndEpoch = { leaderId: -1, epoch: 0 };
  private readonly live = new Set<number>();
  /** When each stopped voter stopped: the last moment anyone could have heard from it. */
  private readonly stoppedAt = new Map<number, number>();
  private readonly listeners = new Map<RaftClientListener<T>, ListenerQueue<T>>();
  private readonly clients = new Map<number, LocalRaftClient<T>>();
  /** While true, appends stay uncommitted (as with a follower majority that has not fetched them yet). */
  holdCommits = false;

  constructor(
    readonly voters: readonly number[],
    private readonly now: () => number = Date.now,
  ) {
    for (const id of voters) this.live.add(id);
  }

  /** The RaftClient of voter `nodeId` (the same object every time). */
  client(nodeId: number): RaftClient<T> {
    if (!this.voters.includes(nodeId)) throw new Error(`node ${nodeId} is not a voter (${this.voters.join(', ')})`);
    let client = this.clients.get(nodeId);
    if (!client) {
      client = new LocalRaftClient(nodeId, this);
      this.clients.set(nodeId, client);
    }
    return client;
  }

  leaderAndEpoch(): LeaderAndEpoch {
    return this.current;
  }

  /** Offset of the last committed record, -1 before the first. */
  get highWatermark(): number {
    return (this.committed.at(-1)?.lastOffset ?? -1) + 1;
  }

  /** Every committed batch (for introspection and tests). */
  batches(): readonly Batch<T>[] {
    return this.committed;
  }

  /**
   * `nodeId` becomes leader in a new epoch (as if it won an election); uncommitted batches of the old leader are
   * dropped (a new leader without them truncates them away). Needs a majority of live voters.
   */
  elect(nodeId: number): void {
    if (!this.live.has(nodeId)) throw new Error(`node ${nodeId} is down and cannot be elected`);
    if (!this.hasMajority()) throw new Error(`no majority of voters is live (${[...this.live].join(', ')})`);
    this.uncommitted.length = 0;
    this.nextOffset = this.highWatermark;
    this.current = { leaderId: nodeId, epoch: this.current.epoch + 1 };
    const leader = this.current;
    for (const queue of this.listeners.values()) queue.push({ leader });
    // The new leader's first entry (Kafka's LeaderChangeMessage control batch), committed like any other.
    this.append(leader.epoch, []);
  }

  /** A voter stops (its process exits): its listeners get nothing more; a leader's successor is elected. */
  shutdown(nodeId: number): void {
    this.live.delete(nodeId);
    this.stoppedAt.set(nodeId, this.now());
    for (const [listener, queue] of this.listeners) if (queue.nodeId === nodeId) this.unregister(listener);
    if (this.current.leaderId === nodeId) this.electNext(nodeId);
  }

  /** A stopped voter is back; with a majority live again, held commits go through, and a leader is elected. */
  restart(nodeId: number): void {
    this.live.add(nodeId);
    this.stoppedAt.delete(nodeId);
    if (this.current.leaderId === -1 && this.hasMajority()) this.elect(nodeId);
    this.maybeCommit();
  }

  /** Commits what `holdCommits` kept back. */
  releaseCommits(): void {
    this.holdCommits = false;
    this.maybeCommit();
  }

  register(nodeId: number, listener: RaftClientListener<T>): void {
    const queue = new ListenerQueue(nodeId, listener);
    this.listeners.set(listener, queue);
    for (const batch of this.committed) queue.push({ batch });
    queue.push({ leader: this.current });
  }

  unregister(listener: RaftClientListener<T>): void {
    const queue = this.listeners.get(listener);
    if (!queue) return;
    this.listeners.delete(listener);
    queue.close();
  }

  append(epoch: number, records: readonly T[]): number {
    const batch: Batch<T> = {
      baseOffset: this.nextOffset,
      lastOffset: this.nextOffset + Math.max(records.length, 1) - 1,
      epoch,
      appendTimestamp: this.now(),
      records: [...records],
    };
    this.nextOffset = batch.lastOffset + 1;
    this.uncommitted.push(batch);
    this.maybeCommit();
    return batch.lastOffset;
  }

  resign(nodeId: number, epoch: number): void {
    if (this.current.leaderId === nodeId && this.current.epoch === epoch) this.electNext(nodeId);
  }

  isLive(nodeId: number): boolean {
    return this.live.has(nodeId);
  }

  /** In one process every live voter is heard from all the time; a stopped one was last heard when it stopped. */
  lastHeardFrom(nodeId: number): number | undefined {
    return this.live.has(nodeId) ? this.now() : this.stoppedAt.get(nodeId);
  }

  private electNext(previous: number): void {
    const next = this.voters.find((id) => id !== previous && this.live.has(id));
    if (next !== undefined && this.hasMajority()) this.elect(next);
    else {
      this.current = { leaderId: -1, epoch: this.current.epoch + 1 };
      const leader = this.current;
      for (const queue of this.listeners.values()) queue.push({ leader });
    }
  }

  private hasMajority(): boolean {
    return this.live.size * 2 > this.voters.length;
  }

  private maybeCommit(): void {
    if (this.holdCommits || !this.hasMajority()) return;
    for (const batch of this.uncommitted.splice(0)) {
      this.committed.push(batch);
      for (const queue of this.listeners.values()) queue.push({ batch });
    }
  }
}

type ListenerEvent<T> = { batch: Batch<T> } | { leader: LeaderAndEpoch };

/** One listener's callbacks, in order, each on its own microtask. */
class ListenerQueue<T> {
  private readonly events: ListenerEvent<T>[] = [];
  private draining = false;
  private closed = false;

  constructor(
    readonly nodeId: number,
    private readonly listener: RaftClientListener<T>,
  ) {}

  push(event: ListenerEvent<T>): void {
    if (this.closed) return;
    this.events.push(event);
    if (!this.draining) {
      this.draining = true;
      queueMicrotask(() => this.drain());
    }
  }

  close(): void {
    this.closed = true;
    this.events.length = 0;
    this.listener.beginShutdown?.();
  }

  private drain(): void {
    while (!this.closed) {
      const event = this.events.shift();
      if (!event) break;
      if ('batch' in event) this.listener.handleCommit(event.batch);
      else this.listener.handleLeaderChange(event.leader);
    }
    this.draining = false;
  }
}

class LocalRaftClient<T> implements RaftClient<T> {
  constructor(
    readonly nodeId: number,
    private readonly quorum: LocalRaftQuorum<T>,
  ) {}

  register(listener: RaftClientListener<T>): void {
    this.quorum.register(this.nodeId, listener);
  }

  unregister(listener: RaftClientListener<T>): void {
    this.quorum.unregister(listener);
  }

  leaderAndEpoch(): LeaderAndEpoch {
    return this.quorum.leaderAndEpoch();
  }

  scheduleAtomicAppend(epoch: number, records: readonly T[]): number {
    const current = this.quorum.leaderAndEpoch();
    if (current.leaderId !== this.nodeId || current.epoch !== epoch || !this.quorum.isLive(this.nodeId))
      throw new NotLeaderError(epoch, current);
    return this.quorum.append(epoch, records);
  }

  resign(epoch: number): void {
    this.quorum.resign(this.nodeId, epoch);
  }

  lastHeardFrom(nodeId: number): number | undefined {
    return this.quorum.lastHeardFrom(nodeId);
  }
}
