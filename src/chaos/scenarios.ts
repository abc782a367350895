import type { ScheduleStep } from '../broker/index.js';

/**
 * One line of the campaign: what the producers promise (acks, idempotence), what the topic is, which faults the
 * schedule draws from, and what the cards predict: `safe` scenarios must lose no acknowledged write, duplicate
 * nothing (idempotence) and reuse no offset; `measured` ones lose writes by design and the loss is reported.
 */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly acks: -1 | 1;
  readonly idempotent: boolean;
  readonly steps: readonly ScheduleStep[];
  /** Topic configs beyond replication factor 3 and min.insync.replicas 2. */
  readonly topicConfig?: Readonly<Record<string, string>>;
  readonly expectation: 'safe' | 'measured';
  /** Why the loss happens, for a measured scenario's report. */
  readonly why?: string;
}

const SAFE = { acks: -1, idempotent: true, expectation: 'safe' } as const;

export const SCENARIOS: readonly Scenario[] = [
  { ...SAFE, name: 'kill-leader', description: 'SIGKILL the leader, restart it', steps: ['kill-leader'] },
  { ...SAFE, name: 'stop-leader', description: 'clean bounce of the leader', steps: ['stop-leader'] },
  {
    ...SAFE,
    name: 'pause-leader',
    description: 'SIGSTOP the leader past its session, SIGCONT',
    steps: ['pause-leader'],
  },
  {
    ...SAFE,
    name: 'isolate-leader',
    description: 'cut the leader from the other nodes and its clients',
    steps: ['isolate-leader'],
  },
  { ...SAFE, name: 'slow-follower', description: 'delay a follower’s fetches', steps: ['slow-follower'] },
  { ...SAFE, name: 'power-loss-one', description: 'power loss of one node', steps: ['power-loss-any'] },
  {
    ...SAFE,
    name: 'mixed',
    description: 'any of the above, drawn by the seed',
    steps: ['kill-leader', 'stop-leader', 'pause-leader', 'isolate-leader', 'slow-follower', 'power-loss-any'],
  },
  {
    name: 'acks1-kill-leader',
    description: 'acks=1, no idempotence; SIGKILL the leader',
    acks: 1,
    idempotent: false,
    steps: ['kill-leader'],
    expectation: 'measured',
    why: 'acks=1 answers after the leader’s own append: a write its followers had not fetched dies with it, and the new leader gives its offset to the next write',
  },
  {
    name: 'unclean-election',
    description: 'min.insync.replicas 1, unclean.leader.election.enable; followers die, then the leader',
    acks: -1,
    idempotent: false,
    steps: ['unclean-bounce'],
    topicConfig: { 'min.insync.replicas': '1', 'unclean.leader.election.enable': 'true' },
    expectation: 'measured',
    why: 'with min.insync.replicas=1 the leader alone acknowledges; when it dies the only live replicas are out of sync, and an unclean election makes one of them leader without the records it never fetched',
  },
  {
    name: 'power-loss-all',
    description: 'acks=all; power loss of every node at once',
    acks: -1,
    idempotent: true,
    steps: ['power-loss-all'],
    expectation: 'measured',
    why: 'acks=all waits for every ISR member to append, not to fsync (flush.messages is off, as in Kafka): the page cache of all three replicas goes at once',
  },
];

export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
