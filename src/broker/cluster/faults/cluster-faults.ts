import { seededRandom } from '../../utils/seeded-random.js';
import { FaultError, describeFault } from './fault.js';
import type { Fault } from './fault.js';
import { TransportProxy } from './transport-proxy.js';
import type { LinkCounters, LinkFault, Peer, ProxyPolicy } from './transport-proxy.js';

/** The node states ClusterFaults needs to know (KafkaCluster's NodeState). */
type NodeState = 'running' | 'stopped' | 'killed' | 'paused';

/** What ClusterFaults drives: KafkaCluster implements it. */
export interface FaultTarget {
  nodeIds(): readonly number[];
  nodeState(id: number): NodeState;
  kill(id: number): Promise<void>;
  stop(id: number): Promise<void>;
  pause(id: number): void;
  resume(id: number): void;
  /** Starts stopped or dead nodes together (several: a quorum must form before any can serve). */
  start(ids: number | readonly number[]): Promise<void>;
  /** Power loss through the node's FaultAgent; resolves once the process is gone. */
  powerLoss(id: number): Promise<void>;
  /** Tells the node's FaultAgent its appends take `ms` longer (0: normal). */
  slowDisk(id: number, ms: number): Promise<void>;
}

/** One applied fault and when (ms since the ClusterFaults was made). */
export interface FaultLogEntry {
  readonly atMs: number;
  readonly action: 'inject' | 'heal';
  readonly fault: Fault;
  readonly text: string;
}

function linkKey(a: Peer, b: Peer): string {
  return [String(a), String(b)].sort().join('|');
}

/**
 * Fault injection into a KafkaCluster (issue 13 item 2): node faults (SIGKILL, clean stop, SIGSTOP pause, power
 * loss), link faults between two nodes or a node and its clients (cut, delay, drop a fraction of frames — through
 * the TransportProxy in front of every node), a slow follower (its Fetch requests delayed at its leaders' proxies)
 * and a slow disk (appends delayed in the node, by its FaultAgent). Every fault is data (`Fault`), checked before
 * anything changes (an unknown node or link, a value out of range: FaultError, nothing touched), logged, and has
 * one heal.
 *
 * Owns the proxies and the link and slowness state; the nodes themselves belong to the KafkaCluster, reached
 * through FaultTarget. Drop decisions come from a generator seeded at creation, so a schedule replays the same
 * choices for the same frames. Not safe to call from two schedules at once.
 */
export class ClusterFaults implements ProxyPolicy {
  private readonly links = new Map<string, { a: Peer; b: Peer; fault: LinkFault }>();
  private readonly slowFetch = new Map<number, number>();
  private readonly slowDisks = new Map<number, number>();
  private readonly proxies = new Map<number, TransportProxy>();
  private readonly started = Date.now();
  readonly log: FaultLogEntry[] = [];
  random: () => number;

  constructor(
    private readonly target: FaultTarget,
    seed = 1,
  ) {
    this.random = seededRandom(seed);
  }

  /** Re-seeds the drop decisions (a schedule does this with its own seed). */
  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  /**
   * Starts node `id`'s proxy on `host:port` (0: a free port), forwarding to wherever `upstream()` says the broker
   * listens now. Returns the proxy's port: the node's advertised port.
   */
  async addProxy(
    id: number,
    host: string,
    port: number,
    upstream: () => { host: string; port: number },
  ): Promise<number> {
    const proxy = await TransportProxy.listen(id, host, port, upstream, this);
    this.proxies.set(id, proxy);
    return proxy.port;
  }

  get proxied(): boolean {
    return this.proxies.size > 0;
  }

  linkFault(node: number, peer: Peer): LinkFault | undefined {
    return this.links.get(linkKey(node, peer))?.fault;
  }

  fetchDelayMs(peer: Peer): number {
    return peer === 'clients' ? 0 : (this.slowFetch.get(peer) ?? 0);
  }

  /** Frames that crossed the link into node `node` from `peer` (forwarded, dropped, delayed). */
  counters(node: number, peer: Peer): LinkCounters {
    return this.requireProxy(node).counter(peer);
  }

  /** The faults in force now (links, slowness, nodes not running). */
  active(): Fault[] {
    const out: Fault[] = [];
    for (const id of this.target.nodeIds()) {
      const state = this.target.nodeState(id);
      if (state === 'paused') out.push({ kind: 'pause', node: id });
      if (state === 'killed') out.push({ kind: 'kill', node: id });
      if (state === 'stopped') out.push({ kind: 'stop', node: id });
    }
    for (const l of this.links.values()) out.push({ kind: 'link', ...l });
    for (const [node, ms] of this.slowFetch) out.push({ kind: 'slow-follower', node, ms });
    for (const [node, ms] of this.slowDisks) out.push({ kind: 'slow-disk', node, ms });
    return out;
  }

  /** Checks `fault` against the cluster now; throws FaultError (and changes nothing) when it cannot apply. */
  check(fault: Fault): void {
    this.checkShape(fault);
    const state = 'node' in fault ? this.target.nodeState(fault.node) : 'running';
    if (fault.kind === 'pause' && state !== 'running')
      throw new FaultError(`cannot pause node ${fault.node}: it is ${state}, not running`);
    if (fault.kind === 'power-loss' && state !== 'running' && state !== 'paused')
      throw new FaultError(`cannot cut node ${fault.node}'s power: it is ${state}`);
    if (fault.kind === 'slow-disk' && state !== 'running')
      throw new FaultError(`cannot slow node ${fault.node}'s disk: it is ${state}`);
  }

  /** The nodes and links `fault` names exist, its values are in range, the proxies it needs are there. */
  private checkShape(fault: Fault): void {
    const ids = this.target.nodeIds();
    const knownNode = (n: number) => {
      if (!ids.includes(n)) throw new FaultError(`no node ${n}: the nodes are ${ids.join(', ')}`);
    };
    const knownPeer = (p: Peer) => {
      if (p !== 'clients') knownNode(p);
    };
    const needProxies = () => {
      if (!this.proxied)
        throw new FaultError(
          `${describeFault(fault)} needs the transport proxies: start the cluster with faults: true (child-process mode)`,
        );
    };
    const ms = (value: number) => {
      if (!Number.isInteger(value) || value < 0 || value > 600_000)
        throw new FaultError(`${describeFault(fault)}: ms must be a whole number from 0 to 600000, got ${value}`);
    };
    switch (fault.kind) {
      case 'kill':
      case 'stop':
        knownNode(fault.node);
        return;
      case 'pause':
        knownNode(fault.node);
        return;
      case 'power-loss':
        knownNode(fault.node);
        needProxies();
        return;
      case 'slow-follower':
      case 'slow-disk':
        knownNode(fault.node);
        ms(fault.ms);
        needProxies();
        return;
      case 'link': {
        knownPeer(fault.a);
        knownPeer(fault.b);
        if (fault.a === fault.b) throw new FaultError(`a link joins two different ends, got ${String(fault.a)} twice`);
        const f = fault.fault;
        if (f.kind === 'delay') ms(f.ms);
        if (f.kind === 'drop' && !(f.fraction > 0 && f.fraction <= 1))
          throw new FaultError(`${describeFault(fault)}: the fraction dropped must be above 0 and at most 1`);
        needProxies();
        return;
      }
    }
  }

  /** Applies `fault` (after `check`). */
  async inject(fault: Fault): Promise<void> {
    this.check(fault);
    this.record('inject', fault);
    switch (fault.kind) {
      case 'kill':
        return this.target.kill(fault.node);
      case 'stop':
        return this.target.stop(fault.node);
      case 'pause':
        return this.target.pause(fault.node);
      case 'power-loss':
        return this.target.powerLoss(fault.node);
      case 'slow-follower':
        this.slowFetch.set(fault.node, fault.ms);
        return;
      case 'slow-disk':
        this.slowDisks.set(fault.node, fault.ms);
        return this.target.slowDisk(fault.node, fault.ms);
      case 'link':
        this.links.set(linkKey(fault.a, fault.b), { a: fault.a, b: fault.b, fault: fault.fault });
        this.reconsider();
        return;
    }
  }

  /**
   * Undoes faults: starts dead or stopped nodes (same port, same data dir; all of them together, so a cluster that
   * lost every node can form its quorum again), resumes paused ones, clears links and slowness.
   */
  async heal(...faults: Fault[]): Promise<void> {
    for (const fault of faults) this.checkShape(fault);
    const restart: number[] = [];
    for (const fault of faults) {
      this.record('heal', fault);
      switch (fault.kind) {
        case 'kill':
        case 'stop':
        case 'power-loss':
          if (this.target.nodeState(fault.node) !== 'running' && !restart.includes(fault.node))
            restart.push(fault.node);
          break;
        case 'pause':
          if (this.target.nodeState(fault.node) === 'paused') this.target.resume(fault.node);
          break;
        case 'slow-follower':
          this.slowFetch.delete(fault.node);
          break;
        case 'slow-disk':
          this.slowDisks.delete(fault.node);
          if (this.target.nodeState(fault.node) === 'running') await this.target.slowDisk(fault.node, 0);
          break;
        case 'link':
          this.links.delete(linkKey(fault.a, fault.b));
          this.reconsider();
          break;
      }
    }
    if (restart.length > 0) await this.target.start(restart);
  }

  /** Heals everything in force: links and slowness cleared, every node running. */
  async healAll(): Promise<void> {
    await this.heal(...this.active());
  }

  async close(): Promise<void> {
    this.links.clear();
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
    this.proxies.clear();
  }

  private reconsider(): void {
    for (const p of this.proxies.values()) p.reconsider();
  }

  private requireProxy(node: number): TransportProxy {
    const proxy = this.proxies.get(node);
    if (!proxy) throw new FaultError(`node ${node} has no transport proxy (start the cluster with faults: true)`);
    return proxy;
  }

  private record(action: 'inject' | 'heal', fault: Fault): void {
    this.log.push({ atMs: Date.now() - this.started, action, fault, text: `${action} ${describeFault(fault)}` });
  }
}
