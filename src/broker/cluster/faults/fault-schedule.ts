import { seededRandom } from '../../utils/seeded-random.js';
import type { ClusterFaults, FaultLogEntry } from './cluster-faults.js';
import type { Fault } from './fault.js';
import type { LinkFault, Peer } from './transport-proxy.js';

/**
 * What a schedule may do, one kind per step. A step names its node by role: `leader` is resolved when the step
 * runs (the partition's leader then), `any` by the seed. Link steps: `isolate-leader` cuts the leader from every
 * other node and from its clients (a minority partition); `cut-pair` and `delay-pair` act between two nodes.
 * `unclean-failover` is staged (see runUncleanFailover): both followers fall behind until the ISR is the leader
 * alone, the leader takes writes alone, then dies; the only live replicas are out of sync (an unclean election, if
 * the topic allows it, loses what the leader alone had); then the followers recover and the leader comes back.
 */
export type ScheduleStep =
  | 'kill-leader'
  | 'kill-any'
  | 'stop-leader'
  | 'pause-leader'
  | 'pause-any'
  | 'isolate-leader'
  | 'cut-pair'
  | 'delay-pair'
  | 'drop-pair'
  | 'slow-follower'
  | 'slow-disk'
  | 'power-loss-any'
  | 'power-loss-leader'
  | 'power-loss-all'
  | 'unclean-failover';

export const SCHEDULE_STEPS: readonly ScheduleStep[] = [
  'kill-leader',
  'kill-any',
  'stop-leader',
  'pause-leader',
  'pause-any',
  'isolate-leader',
  'cut-pair',
  'delay-pair',
  'drop-pair',
  'slow-follower',
  'slow-disk',
  'power-loss-any',
  'power-loss-leader',
  'power-loss-all',
  'unclean-failover',
];

export interface FaultScheduleOptions {
  readonly seed: number;
  readonly nodes: readonly number[];
  readonly steps: readonly ScheduleStep[];
  /** How many faults, one after another (each healed before the next starts). */
  readonly count: number;
  /** Quiet time before each fault, ms: [min, max]. */
  readonly gapMs: readonly [number, number];
  /** How long each fault lasts before its heal, ms: [min, max]. */
  readonly holdMs: readonly [number, number];
}

/** One planned fault: after `gapMs` of quiet, `step` on `node`/`other` for `holdMs`, then healed. */
export interface PlannedFault {
  readonly step: ScheduleStep;
  readonly gapMs: number;
  readonly holdMs: number;
  /** The seed's pick for `any` steps and pairs. */
  readonly node: number;
  readonly other: number;
  /** For delay (ms) and drop (fraction) steps. */
  readonly amount: number;
}

/**
 * A seeded fault plan: the same options give the same plan, so a failing run is replayed with its seed. Faults
 * come one at a time (each healed before the next), which keeps a majority alive for the scenarios that promise
 * no loss; power-loss-all is the exception it is meant to be.
 */
export function planFaults(options: FaultScheduleOptions): PlannedFault[] {
  if (options.steps.length === 0) throw new Error('a fault schedule needs at least one step');
  if (options.nodes.length === 0) throw new Error('a fault schedule needs nodes');
  const random = seededRandom(options.seed);
  const between = ([lo, hi]: readonly [number, number]) => Math.round(lo + random() * (hi - lo));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const plan: PlannedFault[] = [];
  for (let i = 0; i < options.count; i++) {
    const step = pick(options.steps);
    const node = pick(options.nodes);
    const others = options.nodes.filter((n) => n !== node);
    const other = others.length > 0 ? pick(others) : node;
    const amount = step === 'drop-pair' ? 0.1 + Math.round(random() * 4) / 10 : between([50, 500]);
    plan.push({ step, gapMs: between(options.gapMs), holdMs: between(options.holdMs), node, other, amount });
  }
  return plan;
}

/** What the runner needs to know at run time: the partition's leader now (the workload's partition). */
export interface ScheduleContext {
  leader(): Promise<number | undefined>;
  /** The ISR of that partition now (for staged steps that wait for it to shrink). */
  isr?(): Promise<readonly number[] | undefined>;
  /** Something a staged step wanted and did not get (for the run's report). */
  note?(text: string): void;
  /** Stop early (the workload is done). */
  readonly signal?: AbortSignal;
}

/** The concrete faults one planned step becomes (several for an isolation or a power loss of every node). */
async function faultsOf(planned: PlannedFault, nodes: readonly number[], context: ScheduleContext): Promise<Fault[]> {
  const leader = async () => (await context.leader()) ?? planned.node;
  const link = (a: Peer, b: Peer, fault: LinkFault): Fault => ({ kind: 'link', a, b, fault });
  switch (planned.step) {
    case 'kill-leader':
      return [{ kind: 'kill', node: await leader() }];
    case 'kill-any':
      return [{ kind: 'kill', node: planned.node }];
    case 'stop-leader':
      return [{ kind: 'stop', node: await leader() }];
    case 'pause-leader':
      return [{ kind: 'pause', node: await leader() }];
    case 'pause-any':
      return [{ kind: 'pause', node: planned.node }];
    case 'isolate-leader': {
      const l = await leader();
      return [
        ...nodes.filter((n) => n !== l).map((n) => link(l, n, { kind: 'cut' })),
        link(l, 'clients', { kind: 'cut' }),
      ];
    }
    case 'cut-pair':
      return [link(planned.node, planned.other, { kind: 'cut' })];
    case 'delay-pair':
      return [link(planned.node, planned.other, { kind: 'delay', ms: planned.amount })];
    case 'drop-pair':
      return [link(planned.node, planned.other, { kind: 'drop', fraction: planned.amount })];
    case 'slow-follower': {
      const l = await leader();
      const follower = nodes.find((n) => n !== l) ?? planned.node;
      return [{ kind: 'slow-follower', node: planned.node === l ? follower : planned.node, ms: planned.amount }];
    }
    case 'slow-disk':
      return [{ kind: 'slow-disk', node: planned.node, ms: Math.round(planned.amount / 10) }];
    case 'power-loss-any':
      return [{ kind: 'power-loss', node: planned.node }];
    case 'power-loss-leader':
      return [{ kind: 'power-loss', node: await leader() }];
    case 'power-loss-all':
      return nodes.map((node) => ({ kind: 'power-loss', node }));
    case 'unclean-failover': {
      // The whole staging is runUncleanFailover's; as faults, it is the leader's SIGKILL.
      return [{ kind: 'kill', node: await leader() }];
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs a plan against a cluster: for each step, wait its gap, inject its faults, hold, heal them (in reverse). The
 * proxies' drop decisions are re-seeded from the plan's seed first. Stops early (after healing) when the context's
 * signal aborts. Returns the fault log of this run.
 */
export async function runFaultPlan(
  faults: ClusterFaults,
  plan: readonly PlannedFault[],
  nodes: readonly number[],
  context: ScheduleContext,
  seed: number,
): Promise<FaultLogEntry[]> {
  faults.reseed(seed);
  const start = faults.log.length;
  for (const planned of plan) {
    await sleep(planned.gapMs, context.signal);
    if (context.signal?.aborted) break;
    if (planned.step === 'unclean-failover') {
      await runUncleanFailover(faults, planned, nodes, context);
      continue;
    }
    const injected: Fault[] = [];
    try {
      for (const fault of await faultsOf(planned, nodes, context)) {
        await faults.inject(fault);
        injected.push(fault);
      }
      await sleep(planned.holdMs, context.signal);
    } finally {
      await faults.heal(...injected.reverse());
    }
  }
  return faults.log.slice(start);
}

/** How late a follower's fetches arrive in an unclean failover: past any replica.lag.time.max.ms a test uses. */
export const UNCLEAN_FAILOVER_FETCH_DELAY_MS = 6000;
/** How long an unclean failover waits for the ISR to shrink, then for the new leader (each). */
const UNCLEAN_FAILOVER_WAIT_MS = 30_000;

/**
 * The classic way to lose acknowledged writes with min.insync.replicas=1 (Kafka's "unclean leader election"):
 * 1. both followers become slow (their replica fetches arrive UNCLEAN_FAILOVER_FETCH_DELAY_MS late; their KRaft
 *    traffic keeps time, so the quorum works) until the leader has shrunk the ISR to itself;
 * 2. the leader acknowledges writes alone for `holdMs` (acks=all needs only the ISR, now one replica);
 * 3. the leader is SIGKILLed: the controller fences it, no in-sync replica is left, and where the topic allows an
 *    unclean election a live out-of-sync follower becomes leader without the records only the old leader had;
 * 4. the followers recover, then the old leader restarts and truncates to the new leader's log.
 * Each wait is for the condition itself, bounded; a condition that does not come is noted in the fault log and the
 * step goes on (the checker then finds no loss, which the report shows).
 */
async function runUncleanFailover(
  faults: ClusterFaults,
  planned: PlannedFault,
  nodes: readonly number[],
  context: ScheduleContext,
): Promise<void> {
  const leader = (await context.leader()) ?? planned.node;
  const followers = nodes.filter((n) => n !== leader);
  const waitFor = async (what: () => Promise<boolean>) => {
    const deadline = Date.now() + UNCLEAN_FAILOVER_WAIT_MS;
    while (Date.now() < deadline && !context.signal?.aborted) {
      if (await what().catch(() => false)) return true;
      await sleep(100, context.signal);
    }
    return false;
  };
  const injected: Fault[] = [];
  try {
    for (const node of followers) {
      const slow: Fault = { kind: 'slow-follower', node, ms: UNCLEAN_FAILOVER_FETCH_DELAY_MS };
      await faults.inject(slow);
      injected.push(slow);
    }
    const alone = await waitFor(async () => {
      const isr = await context.isr?.();
      return isr?.length === 1 && isr[0] === leader;
    });
    if (!alone) context.note?.(`unclean-failover: the ISR did not shrink to node ${leader} alone`);
    await sleep(planned.holdMs, context.signal);
    const kill: Fault = { kind: 'kill', node: leader };
    await faults.inject(kill);
    injected.push(kill);
    const elected = await waitFor(async () => {
      const now = await context.leader();
      return now !== undefined && now !== leader;
    });
    if (!elected) context.note?.(`unclean-failover: no leader other than node ${leader} was elected`);
  } finally {
    // The followers first, then the old leader (it comes back as a follower and truncates).
    await faults.heal(...injected.filter((f) => f.kind === 'slow-follower'));
    await faults.heal(...injected.filter((f) => f.kind === 'kill'));
  }
}

/** The plan as text, one line per step (for run reports: a replay prints the same lines). */
export function describePlan(plan: readonly PlannedFault[]): string[] {
  return plan.map(
    (p) => `after ${p.gapMs} ms: ${p.step} (node ${p.node}, other ${p.other}, amount ${p.amount}) for ${p.holdMs} ms`,
  );
}
