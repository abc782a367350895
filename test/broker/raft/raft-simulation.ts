import { type RaftConfig, KafkaRaftClient, seededRandom } from '../../../src/broker/raft/kafka-raft-client.js';
import { MemoryQuorumStateStore } from '../../../src/broker/raft/quorum-state-store.js';
import type { OutboundMessage, RaftMessage } from '../../../src/broker/raft/raft-messages.js';
import { MemoryReplicatedLog, type ReplicatedLog } from '../../../src/broker/raft/replicated-log.js';

interface InFlight {
  readonly from: number;
  readonly to: number;
  readonly message: RaftMessage;
  readonly deliverAt: number;
}

/**
 * A deterministic network of KafkaRaftClients for tests: a simulated clock in 10 ms ticks, a fixed
 * one-way latency, nodes that can be stopped and restarted (keeping their log and quorum-state store,
 * as a disk would) and links that can be cut. Everything is driven by the seed, so a failure replays.
 */
export class RaftSimulation {
  now = 0;
  readonly clients = new Map<number, KafkaRaftClient>();
  readonly stores = new Map<number, MemoryQuorumStateStore>();
  readonly logs = new Map<number, ReplicatedLog>();
  readonly down = new Set<number>();
  /** Frozen nodes (SIGSTOP): they neither run timers nor read; what is sent to them waits, as in a socket buffer. */
  readonly paused = new Set<number>();
  readonly #cut = new Set<string>();
  #queue: InFlight[] = [];
  readonly #random: () => number;
  /** Every message delivered, for assertions about what was said. */
  readonly delivered: InFlight[] = [];

  constructor(
    readonly voters: number[],
    seed: number,
    readonly latencyMs = 5,
    /** Timeouts to override (electionTimeoutMs, fetchTimeoutMs, requestTimeoutMs); Kafka's defaults otherwise. */
    readonly timeouts: Pick<RaftConfig, 'electionTimeoutMs' | 'fetchTimeoutMs' | 'requestTimeoutMs'> = {},
    /** Nodes that are not voters: they only find the leader and fetch (Kafka's observers, i.e. plain brokers). */
    readonly observers: number[] = [],
  ) {
    this.#random = seededRandom(seed);
    for (const id of [...voters, ...observers]) {
      this.stores.set(id, new MemoryQuorumStateStore());
      this.logs.set(id, new MemoryReplicatedLog());
      this.start(id);
    }
  }

  client(id: number): KafkaRaftClient {
    return this.clients.get(id)!;
  }

  start(id: number): void {
    this.down.delete(id);
    this.clients.set(
      id,
      new KafkaRaftClient(
        {
          ...this.timeouts,
          nodeId: id,
          voters: this.voters,
          random: this.#random,
          store: this.stores.get(id)!,
          log: this.logs.get(id)!,
        },
        this.now,
      ),
    );
  }

  stop(id: number): void {
    this.down.add(id);
  }

  /** Freezes a node as SIGSTOP does: no timers, nothing read; messages to it are delivered once it is resumed. */
  pause(id: number): void {
    this.paused.add(id);
  }

  /**
   * Thaws a paused node as SIGCONT does: its timers, long overdue, run first, then it reads what waited for it
   * (Node runs the expired timers of its event loop before it polls the sockets).
   */
  resume(id: number): void {
    this.paused.delete(id);
    if (!this.down.has(id)) this.send(id, this.client(id).poll(this.now));
  }

  /** Cuts (or heals) both directions between a and b. */
  cut(a: number, b: number, cut = true): void {
    for (const key of [`${a}-${b}`, `${b}-${a}`]) {
      if (cut) this.#cut.add(key);
      else this.#cut.delete(key);
    }
  }

  isolate(id: number, cut = true): void {
    for (const other of this.voters) if (other !== id) this.cut(id, other, cut);
  }

  send(from: number, out: OutboundMessage[]): void {
    for (const { to, message } of out) this.#queue.push({ from, to, message, deliverAt: this.now + this.latencyMs });
  }

  tick(ms = 10): void {
    this.now += ms;
    const due = this.#queue.filter((m) => m.deliverAt <= this.now && !this.paused.has(m.to));
    this.#queue = this.#queue.filter((m) => m.deliverAt > this.now || this.paused.has(m.to));
    for (const m of due) {
      if (this.down.has(m.to) || this.down.has(m.from) || this.#cut.has(`${m.from}-${m.to}`)) continue;
      this.delivered.push(m);
      this.send(m.to, this.client(m.to).handle(m.from, m.message, this.now));
    }
    for (const id of [...this.voters, ...this.observers])
      if (!this.down.has(id) && !this.paused.has(id)) this.send(id, this.client(id).poll(this.now));
  }

  /** Runs until `done` holds; fails naming what it waited for, instead of hanging. */
  runUntil(what: string, done: () => boolean, maxMs = 30_000): void {
    const until = this.now + maxMs;
    while (!done()) {
      if (this.now >= until) throw new Error(`simulation: ${maxMs} ms passed without ${what}; ${this.describe()}`);
      this.tick();
    }
  }

  run(ms: number): void {
    const until = this.now + ms;
    while (this.now < until) this.tick();
  }

  /** The live leaders, by the latest epoch each believes in. */
  leaders(): KafkaRaftClient[] {
    return this.voters
      .filter((id) => !this.down.has(id))
      .map((id) => this.client(id))
      .filter((c) => c.state.name === 'Leader');
  }

  /** The one leader every live node in `among` agrees on, or undefined. */
  agreedLeader(among = this.voters.filter((id) => !this.down.has(id))): KafkaRaftClient | undefined {
    const ids = new Set(among.map((id) => this.client(id).leaderId));
    const [only] = ids;
    if (ids.size !== 1 || only === undefined || !among.includes(only)) return undefined;
    const leader = this.client(only);
    return leader.state.name === 'Leader' && among.every((id) => this.client(id).epoch === leader.epoch)
      ? leader
      : undefined;
  }

  describe(): string {
    return this.voters
      .map((id) => {
        const c = this.client(id);
        return `${id}${this.down.has(id) ? '(down)' : ''}:${c.state.name}@${c.epoch} leo=${c.log.endOffset} hw=${c.highWatermark}`;
      })
      .join(' ');
  }
}

/** One offset of a log as the tests compare them: the batch's epoch and the record at that offset. */
export interface LogEntry {
  readonly offset: number;
  readonly epoch: number;
  readonly record: unknown;
}

/** Every offset of `log` from `from` (at most `max`), batches flattened into one entry per record. */
export function entriesOf(log: ReplicatedLog, from = 0, max = Number.MAX_SAFE_INTEGER): LogEntry[] {
  const out: LogEntry[] = [];
  for (const batch of log.read(from, Number.MAX_SAFE_INTEGER)) {
    batch.records.forEach((record, i) => {
      const offset = batch.baseOffset + i;
      if (offset >= from && out.length < max) out.push({ offset, epoch: batch.epoch, record });
    });
  }
  return out;
}

/** A log holding `records` as one-record batches at the given epochs (a log as some earlier leaders left it). */
export function logOf(entries: readonly (readonly [epoch: number, record: unknown])[]): MemoryReplicatedLog {
  const log = new MemoryReplicatedLog();
  for (const [epoch, record] of entries) log.appendAsLeader(epoch, [record], { timestamp: 0 });
  return log;
}
