import type { NodeDescription, PartitionSnapshot } from '../broker/index.js';

/** One node as the watch reads it: the cluster's description, plus its request counters when it can give them. */
export interface WatchNode extends NodeDescription {
  /** Requests served since the node started (Produce, Fetch), when the node answered; for the rates. */
  readonly requests?: { readonly produce: number; readonly fetch: number };
}

/**
 * What the live view reads and drives: the running cluster (`kq broker --brokers N --watch` gives its
 * KafkaCluster). `describe` asks every node for its replicas (the cluster's internal status channel: the IPC
 * snapshot each child answers); `command` runs one fault command of `kq broker --faults`' language (`kill 2`,
 * `cut 1 clients`, `heal 2`…) and resolves with what was done or rejects with why nothing was; `faults` lists
 * the faults in force, one line each.
 */
export interface WatchSource {
  readonly bootstrap: string;
  describe(): Promise<readonly WatchNode[]>;
  command(text: string): Promise<string>;
  faults(): readonly string[];
  /**
   * The latest why-log decisions of every node, oldest first, one formatted line each (`node 2 w-0 election: …
   * [rule]`), for the view's why panel; undefined when the source keeps no why log.
   */
  why?(): readonly string[];
}

/**
 * Why-log kinds the panel leaves out: a high-watermark move per produce and a follower's note per leader change
 * would push the decisions (elections, fencing, ISR changes, reassignments) off a 3-line panel within a second.
 */
export const WHY_PANEL_SKIPS: ReadonlySet<string> = new Set(['high-watermark', 'follower']);

/** The live view's keys: each puts one fault on the selected node (or heals it) as a fault command. */
export const FAULT_KEYS: ReadonlyArray<{ key: string; label: string; command: (node: number) => string }> = [
  { key: 'k', label: 'kill', command: (n) => `kill ${n}` },
  { key: 's', label: 'stop', command: (n) => `stop ${n}` },
  { key: 'p', label: 'pause', command: (n) => `pause ${n}` },
  { key: 'w', label: 'power loss', command: (n) => `power-loss ${n}` },
  { key: 'c', label: 'cut from clients', command: (n) => `cut ${n} clients` },
  { key: 'f', label: 'slow follower', command: (n) => `slow-follower ${n} 500` },
  { key: 'd', label: 'slow disk', command: (n) => `slow-disk ${n} 50` },
  { key: 'h', label: 'heal node', command: (n) => `heal ${n}` },
  { key: 'H', label: 'heal all', command: () => 'heal' },
];

/** One replica of a partition in the view: its own LEO and HW, as its broker reports them. */
export interface ReplicaCell {
  readonly broker: number;
  /** Undefined when the node did not answer (stopped, killed, paused). */
  readonly logEndOffset?: bigint;
  readonly highWatermark?: bigint;
}

/** One partition row: the leader's view of it (or, without a live leader, the freshest replica's). */
export interface PartitionRow {
  readonly name: string;
  readonly topic: string;
  readonly partition: number;
  /** -1: no live leader. */
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly isr: readonly number[];
  /**
   * Eligible Leader Replicas (KIP-966): with `eligible.leader.replicas.version=1`, the replicas that left an ISR
   * below min.insync.replicas and may still be elected cleanly; empty otherwise. Undefined (shown "n/a") only for
   * rows built without a broker snapshot.
   */
  readonly elr?: readonly number[];
  readonly replicas: readonly ReplicaCell[];
  /** Records appended per second at the leader since the previous sample (LEO growth); undefined at first. */
  readonly produceRate?: number;
}

export interface NodeRow {
  readonly id: number;
  readonly state: string;
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Produce and Fetch requests per second since the previous sample; undefined without two samples. */
  readonly produceRequestsPerSec?: number;
  readonly fetchRequestsPerSec?: number;
}

export interface WatchFrame {
  readonly at: number;
  readonly nodes: readonly NodeRow[];
  readonly partitions: readonly PartitionRow[];
}

/** Internal topics are the cluster's own bookkeeping; the view shows them last. */
const isInternal = (topic: string) => topic.startsWith('__');

/** The frame of `nodes` sampled at `at`, with rates against `previous` (the frame before, with its raw sample). */
export function frameOf(
  nodes: readonly WatchNode[],
  at: number,
  previous?: { at: number; nodes: readonly WatchNode[] },
): WatchFrame {
  const seconds = previous ? (at - previous.at) / 1000 : 0;
  const rate = (now: number, before: number | undefined) =>
    seconds > 0 && before !== undefined && now >= before ? (now - before) / seconds : undefined;
  const nodeRows: NodeRow[] = nodes.map((n) => {
    const before = previous?.nodes.find((p) => p.id === n.id)?.requests;
    return {
      id: n.id,
      state: n.state,
      host: n.host,
      port: n.port,
      pid: n.pid,
      ...(n.requests
        ? {
            produceRequestsPerSec: rate(n.requests.produce, before?.produce),
            fetchRequestsPerSec: rate(n.requests.fetch, before?.fetch),
          }
        : {}),
    };
  });

  const byPartition = new Map<string, Array<{ node: number; snapshot: PartitionSnapshot }>>();
  for (const n of nodes)
    for (const s of n.partitions) {
      const key = `${s.topic}-${s.partition}`;
      const list = byPartition.get(key) ?? [];
      list.push({ node: n.id, snapshot: s });
      byPartition.set(key, list);
    }
  const leaderLeo = (ns: readonly WatchNode[] | undefined, topic: string, partition: number) => {
    for (const n of ns ?? []) {
      const s = n.partitions.find((p) => p.topic === topic && p.partition === partition && p.role === 'leader');
      if (s) return s.logEndOffset;
    }
    return undefined;
  };
  const rows: PartitionRow[] = [...byPartition.entries()].map(([name, held]) => {
    const leading = held.find((h) => h.snapshot.role === 'leader');
    // Without a live leader, the replica that saw the latest leader epoch knows most about the partition.
    const source = leading ?? [...held].sort((a, b) => b.snapshot.leaderEpoch - a.snapshot.leaderEpoch)[0]!;
    const s = source.snapshot;
    const leoNow = leading?.snapshot.logEndOffset;
    const leoBefore = leaderLeo(previous?.nodes, s.topic, s.partition);
    const produceRate =
      seconds > 0 && leoNow !== undefined && leoBefore !== undefined && leoNow >= leoBefore
        ? Number(leoNow - leoBefore) / seconds
        : undefined;
    return {
      name,
      topic: s.topic,
      partition: s.partition,
      leader: leading ? leading.node : -1,
      leaderEpoch: s.leaderEpoch,
      isr: s.isr,
      elr: s.elr,
      replicas: s.replicas.map((broker) => {
        const own = held.find((h) => h.node === broker)?.snapshot;
        return own ? { broker, logEndOffset: own.logEndOffset, highWatermark: own.highWatermark } : { broker };
      }),
      ...(produceRate !== undefined ? { produceRate } : {}),
    };
  });
  rows.sort(
    (a, b) =>
      Number(isInternal(a.topic)) - Number(isInternal(b.topic)) ||
      a.topic.localeCompare(b.topic) ||
      a.partition - b.partition,
  );
  return { at, nodes: nodeRows, partitions: rows };
}

const list = (ids: readonly number[] | undefined) => (ids === undefined ? 'n/a' : `[${ids.join(',')}]`);
const cell = (r: ReplicaCell) =>
  r.logEndOffset === undefined ? `${r.broker}:-` : `${r.broker}:${r.logEndOffset}/${r.highWatermark}`;
const perSec = (n: number | undefined) => (n === undefined ? '-' : n < 10 ? n.toFixed(1) : Math.round(n).toString());

/** A partition as one plain line: what the non-terminal view prints when it changes. */
export function partitionLine(row: PartitionRow): string {
  return [
    `partition ${row.name}`,
    `leader ${row.leader}`,
    `epoch ${row.leaderEpoch}`,
    `isr ${list(row.isr)}`,
    `elr ${list(row.elr)}`,
    `leo/hw ${row.replicas.map(cell).join(' ')}`,
  ].join(' ');
}

/** A node as one plain line (state, address, pid). */
export function nodeLine(row: NodeRow): string {
  return `node ${row.id} ${row.state} ${row.host}:${row.port} pid ${row.pid}`;
}

/** The rates of a frame as one plain line, printed every few seconds while anything moves. */
export function ratesLine(frame: WatchFrame): string {
  const nodes = frame.nodes
    .map((n) => `${n.id}:${perSec(n.produceRequestsPerSec)}/${perSec(n.fetchRequestsPerSec)}`)
    .join(' ');
  const partitions = frame.partitions
    .filter((p) => (p.produceRate ?? 0) > 0)
    .map((p) => `${p.name}:${perSec(p.produceRate)}`)
    .join(' ');
  return `rates produce/fetch requests per second ${nodes}${partitions ? ` · records per second ${partitions}` : ''}`;
}

export { perSec, list as idList, cell as replicaCell };

/**
 * Samples a WatchSource every `intervalMs` and hands each frame to `onFrame`; one sample at a time (a slow node
 * delays the next tick instead of piling requests up). Owned by one view; `stop()` ends it.
 */
export class ClusterWatch {
  private previous: { at: number; nodes: readonly WatchNode[] } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly source: WatchSource,
    private readonly onFrame: (frame: WatchFrame) => void,
    private readonly onError: (message: string) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    void this.tick();
  }

  /** Samples now (after a fault, so the view does not wait for the next tick). */
  async sample(): Promise<void> {
    const at = this.now();
    try {
      const nodes = await this.source.describe();
      const frame = frameOf(nodes, at, this.previous);
      this.previous = { at, nodes };
      if (!this.stopped) this.onFrame(frame);
    } catch (error) {
      if (!this.stopped) this.onError(error instanceof Error ? error.message : String(error));
    }
  }

  private async tick(): Promise<void> {
    await this.sample();
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
