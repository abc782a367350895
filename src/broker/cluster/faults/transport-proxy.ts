import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { ApiKey } from '../../protocol/api-keys.js';
import { API_CODECS } from '../../protocol/api-registry.js';
import { ByteReader } from '../../protocol/primitives/byte-reader.js';
import { decodeRequestHeader } from '../../protocol/request-header.js';
import { METADATA_TOPIC, METADATA_TOPIC_ID } from '../../raft/kafka-metadata-log.js';

/** The far end of a link into a node: another node (by id) or any client. */
export type Peer = number | 'clients';

/** What a faulty link does to the Kafka frames crossing it (both directions). */
export type LinkFault =
  /** Nothing crosses: frames wait (as TCP would retransmit into a partition) until the link heals or a side gives up. */
  | { readonly kind: 'cut' }
  /** Every frame arrives `ms` later, order kept. */
  | { readonly kind: 'delay'; readonly ms: number }
  /** Each frame is lost with probability `fraction` (the request or its answer never arrives: the sender times out). */
  | { readonly kind: 'drop'; readonly fraction: number };

/** How the proxy decides each frame's fate; the ClusterFaults that owns the proxies answers. */
export interface ProxyPolicy {
  /** The fault on the link between this proxy's node and `peer`, if any. */
  linkFault(node: number, peer: Peer): LinkFault | undefined;
  /** Extra delay for a replica Fetch `peer` sends to `node` (a slow follower: its fetches arrive late). */
  fetchDelayMs(peer: Peer): number;
  /** A number in [0, 1) from the fault schedule's seeded generator. */
  random(): number;
}

/** What crossed one link so far (frames, both directions). */
export interface LinkCounters {
  forwarded: number;
  dropped: number;
  delayed: number;
}

/** The source address a node's outgoing connections bind to; the proxy reads the node id back from it. */
export function nodeSourceAddress(id: number): string {
  return `127.0.2.${id}`;
}

/**
 * Whether a request frame (size prefix included) is a replica fetcher's Fetch for partition data. KRaft's own
 * Fetch of `__cluster_metadata` is not: a slow follower is slow at replicating, while its quorum traffic keeps
 * time (else a slow follower would also be a voter that keeps timing out, which is another fault).
 */
export function isReplicaFetch(frame: Buffer): boolean {
  if (frame.length < 8 || frame.readInt16BE(4) !== ApiKey.Fetch) return false;
  try {
    const body = frame.subarray(4);
    const { header, bodyOffset } = decodeRequestHeader(body);
    const request = API_CODECS[ApiKey.Fetch].decodeRequest(header.apiVersion, new ByteReader(body, bodyOffset));
    return !request.topics.some((t) => t.topicId === METADATA_TOPIC_ID || t.topic === METADATA_TOPIC);
  } catch {
    return true; // undecodable: treat it as the data Fetch it most likely is
  }
}

function peerOf(remoteAddress: string | undefined): Peer {
  const match = /(?:^|:)127\.0\.2\.(\d+)$/.exec(remoteAddress ?? '');
  return match ? Number(match[1]) : 'clients';
}

/**
 * The listener clients and the other nodes connect to for one node (its advertised port), forwarding every
 * connection to the broker's real port. It cuts both directions into Kafka frames (size prefix) and asks its
 * ProxyPolicy what happens to each: forwarded, held, delayed or dropped. Who is at the far end comes from the
 * connection's source address (nodeSourceAddress): another node, or a client.
 *
 * Owned by ClusterFaults, which creates one per node and calls `reconsider()` when a fault changes so held
 * frames move on. The node may be dead: then a new connection is closed as the node's own refusal would be.
 */
export class TransportProxy {
  private readonly connections = new Set<ProxiedConnection>();
  readonly counters = new Map<Peer, LinkCounters>();

  private constructor(
    readonly node: number,
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly target: () => { host: string; port: number },
    private readonly policy: ProxyPolicy,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async listen(
    node: number,
    host: string,
    port: number,
    target: () => { host: string; port: number },
    policy: ProxyPolicy,
  ): Promise<TransportProxy> {
    const server = createServer({ noDelay: true });
    const bound = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
    return new TransportProxy(node, server, host, bound, target, policy);
  }

  /** A fault changed: frames held by a cut may move, delays apply to what arrives from now on. */
  reconsider(): void {
    for (const c of this.connections) c.pump();
  }

  /** Closes every proxied connection into this node from `peer` (both sides see a reset). */
  resetFrom(peer: Peer): void {
    for (const c of this.connections) if (c.peer === peer) c.destroy();
  }

  counter(peer: Peer): LinkCounters {
    let c = this.counters.get(peer);
    if (!c) this.counters.set(peer, (c = { forwarded: 0, dropped: 0, delayed: 0 }));
    return c;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(down: Socket): void {
    const peer = peerOf(down.remoteAddress);
    const { host, port } = this.target();
    const up = connect({ host, port, noDelay: true });
    const connection = new ProxiedConnection(this, peer, down, up, this.policy);
    this.connections.add(connection);
    connection.closed.then(
      () => this.connections.delete(connection),
      () => undefined,
    );
  }
}

/** One accepted connection and its upstream twin: two FrameLanes, torn down together. */
class ProxiedConnection {
  readonly closed: Promise<void>;
  private readonly toNode: FrameLane;
  private readonly fromNode: FrameLane;

  constructor(
    proxy: TransportProxy,
    readonly peer: Peer,
    private readonly down: Socket,
    private readonly up: Socket,
    policy: ProxyPolicy,
  ) {
    const counters = proxy.counter(peer);
    const fault = () => policy.linkFault(proxy.node, peer);
    const slowFetch = (frame: Buffer) => {
      const ms = peer === 'clients' ? 0 : policy.fetchDelayMs(peer);
      return ms > 0 && isReplicaFetch(frame) ? ms : 0;
    };
    this.toNode = new FrameLane(up, fault, slowFetch, policy, counters);
    this.fromNode = new FrameLane(down, fault, () => 0, policy, counters);
    down.on('data', (chunk: Buffer) => this.toNode.receive(chunk));
    up.on('data', (chunk: Buffer) => this.fromNode.receive(chunk));
    this.closed = new Promise((resolve) => {
      let open = 2;
      const done = () => {
        this.destroy();
        if (--open === 0) resolve();
      };
      down.once('close', done);
      up.once('close', done);
    });
    down.on('error', () => undefined);
    up.on('error', () => undefined);
  }

  pump(): void {
    this.toNode.pump();
    this.fromNode.pump();
  }

  destroy(): void {
    this.toNode.stop();
    this.fromNode.stop();
    this.down.destroy();
    this.up.destroy();
  }
}

/**
 * One direction of a proxied connection: cuts the byte stream into frames (4-byte size prefix, then the frame) and
 * writes each to `out` once its fault lets it, in arrival order. A cut holds everything behind it.
 */
class FrameLane {
  private pending: Buffer = Buffer.alloc(0);
  private readonly queue: Array<{ frame: Buffer; dueAt: number }> = [];
  private lastDueAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly out: Socket,
    /** The link's fault now (asked again while frames wait, so a heal releases them). */
    private readonly fault: () => LinkFault | undefined,
    /** Extra delay for this frame alone (a slow follower's replica fetches). */
    private readonly extraDelayMs: (frame: Buffer) => number,
    private readonly policy: ProxyPolicy,
    private readonly counters: LinkCounters,
  ) {}

  receive(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 4) {
      const end = 4 + this.pending.readInt32BE(0);
      if (this.pending.length < end) break;
      this.admit(this.pending.subarray(0, end));
      this.pending = this.pending.subarray(end);
    }
    this.pump();
  }

  private admit(frame: Buffer): void {
    const fault = this.fault();
    if (fault?.kind === 'drop' && this.policy.random() < fault.fraction) {
      this.counters.dropped++;
      return;
    }
    const delay = (fault?.kind === 'delay' ? fault.ms : 0) + this.extraDelayMs(frame);
    if (delay > 0) this.counters.delayed++;
    // Order is kept: a frame never overtakes the one before it, whatever their delays.
    const dueAt = Math.max(Date.now() + delay, this.lastDueAt);
    this.lastDueAt = dueAt;
    this.queue.push({ frame, dueAt });
  }

  /** Writes every frame that is due, unless the link is cut; arms a timer for the next one. */
  pump(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if (this.fault()?.kind === 'cut') return;
      if (head.dueAt > now) {
        this.timer = setTimeout(() => this.pump(), head.dueAt - now);
        return;
      }
      this.queue.shift();
      this.counters.forwarded++;
      this.out.write(head.frame);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.queue.length = 0;
  }
}
