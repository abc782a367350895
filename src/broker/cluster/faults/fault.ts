import type { LinkFault, Peer } from './transport-proxy.js';

/**
 * One fault, as data: what a schedule holds, what `ClusterFaults.inject` takes, what a run log prints. Each has
 * one way to heal it (`ClusterFaults.heal`): a dead or stopped node is started again on its data dir, a paused one
 * resumed, a link or a slowness cleared.
 */
export type Fault =
  /** SIGKILL to the node's process group: it dies at once; the OS keeps what it wrote (page cache). */
  | { readonly kind: 'kill'; readonly node: number }
  /** A clean stop: controlled shutdown (leaderships move first), logs flushed, clean-shutdown markers written. */
  | { readonly kind: 'stop'; readonly node: number }
  /** SIGSTOP: the node freezes with its connections open (a long GC pause, a stalled VM); heal is SIGCONT. */
  | { readonly kind: 'pause'; readonly node: number }
  /** The node dies and every file loses what was written since its last fsync (see FaultAgent). */
  | { readonly kind: 'power-loss'; readonly node: number }
  /** A fault on the link between two nodes, or a node and its clients, in both directions. */
  | { readonly kind: 'link'; readonly a: Peer; readonly b: Peer; readonly fault: LinkFault }
  /** The node's Fetch requests to other nodes arrive `ms` late (a slow follower). */
  | { readonly kind: 'slow-follower'; readonly node: number; readonly ms: number }
  /** Every append to the node's segment files takes `ms` longer (a slow disk; kq's writes are synchronous). */
  | { readonly kind: 'slow-disk'; readonly node: number; readonly ms: number };

export type FaultKind = Fault['kind'];

export const FAULT_KINDS: readonly FaultKind[] = [
  'kill',
  'stop',
  'pause',
  'power-loss',
  'link',
  'slow-follower',
  'slow-disk',
];

/** A fault command that names an unknown node or link, or a value out of range: nothing was changed. */
export class FaultError extends Error {
  override readonly name = 'FaultError';
}

function peerText(peer: Peer): string {
  return peer === 'clients' ? 'clients' : `node ${peer}`;
}

/** One line for logs and run reports: `kill node 2`, `link node 1 <-> clients: delay 200 ms`. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'kill':
    case 'stop':
    case 'pause':
    case 'power-loss':
      return `${fault.kind} node ${fault.node}`;
    case 'slow-follower':
    case 'slow-disk':
      return `${fault.kind} node ${fault.node}: +${fault.ms} ms`;
    case 'link': {
      const f = fault.fault;
      const what = f.kind === 'cut' ? 'cut' : f.kind === 'delay' ? `delay ${f.ms} ms` : `drop ${f.fraction}`;
      return `link ${peerText(fault.a)} <-> ${peerText(fault.b)}: ${what}`;
    }
  }
}

/**
 * Parses the command-line form: `kill 2`, `stop 2`, `pause 2`, `power-loss 2`, `cut 1 2`, `cut 1 clients`,
 * `delay 1 2 200`, `drop 1 2 0.3`, `slow-follower 3 500`, `slow-disk 3 20`. Throws FaultError saying what was
 * expected. Node ids are checked against the cluster by ClusterFaults, not here.
 */
export function parseFault(text: string): Fault {
  const [verb, ...args] = text.trim().split(/\s+/);
  const usage = `expected one of: kill N, stop N, pause N, power-loss N, cut A B, delay A B MS, drop A B FRACTION, slow-follower N MS, slow-disk N MS (A, B: node ids or "clients"); got "${text}"`;
  const node = (s: string | undefined): number => {
    if (s === undefined || !/^\d+$/.test(s)) throw new FaultError(`${usage}: "${s ?? ''}" is not a node id`);
    return Number(s);
  };
  const peer = (s: string | undefined): Peer => (s === 'clients' ? 'clients' : node(s));
  const ms = (s: string | undefined): number => {
    if (s === undefined || !/^\d+$/.test(s)) throw new FaultError(`${usage}: "${s ?? ''}" is not a whole number of ms`);
    return Number(s);
  };
  const expect = (n: number) => {
    if (args.length !== n) throw new FaultError(usage);
  };
  switch (verb) {
    case 'kill':
    case 'stop':
    case 'pause':
    case 'power-loss':
      expect(1);
      return { kind: verb, node: node(args[0]) };
    case 'cut':
      expect(2);
      return { kind: 'link', a: peer(args[0]), b: peer(args[1]), fault: { kind: 'cut' } };
    case 'delay':
      expect(3);
      return { kind: 'link', a: peer(args[0]), b: peer(args[1]), fault: { kind: 'delay', ms: ms(args[2]) } };
    case 'drop':
      expect(3);
      return { kind: 'link', a: peer(args[0]), b: peer(args[1]), fault: { kind: 'drop', fraction: Number(args[2]) } };
    case 'slow-follower':
    case 'slow-disk':
      expect(2);
      return { kind: verb, node: node(args[0]), ms: ms(args[1]) };
    default:
      throw new FaultError(usage);
  }
}
