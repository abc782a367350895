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
    description:
      'min.insync.replicas 1, unclean.leader.election.enable; both followers fall behind, the leader acknowledges alone, then dies',
    acks: -1,
    idempotent: false,
    steps: ['unclean-failover'],
    topicConfig: { 'min.insync.replicas': '1', 'unclean.leader.election.enable': 'true' },
    expectation: 'measured',
    why: 'with min.insync.replicas=1 the leader alone is enough for acks=all once the slow followers have left the ISR; when it dies no in-sync replica is left, and unclean.leader.election.enable makes an out-of-sync follower leader without the records it never fetched (the old leader truncates them when it returns)',
  },
  {
    name: 'power-loss-all',
    description: 'acks=all; power loss of every node at once (flush.messages off, as Kafka ships)',
    acks: -1,
    idempotent: true,
    steps: ['power-loss-all'],
    expectation: 'measured',
    why: 'acks=all waits for every ISR member to append, not to fsync (flush.messages is off, as in Kafka): the page cache of all three replicas goes at once',
  },
  {
    name: 'power-loss-all-acks1',
    description: 'acks=1, no idempotence; power loss of every node at once (flush.messages off)',
    acks: 1,
    idempotent: false,
    steps: ['power-loss-all'],
    expectation: 'measured',
    why: 'acks=1 answers after the leader’s append to its page cache; every node loses its page cache at once, so everything since the last fsync goes, on every replica',
  },
  {
    ...SAFE,
    name: 'power-loss-all-flushed',
    description: 'acks=all, flush.messages=1; power loss of every node at once',
    steps: ['power-loss-all'],
    topicConfig: { 'flush.messages': '1' },
  },
  {
    name: 'power-loss-all-acks1-flushed',
    description: 'acks=1, no idempotence, flush.messages=1; power loss of every node at once',
    acks: 1,
    idempotent: false,
    steps: ['power-loss-all'],
    topicConfig: { 'flush.messages': '1' },
    expectation: 'measured',
    why: 'the leader fsyncs before it answers, so its acknowledged records survive on its disk; but a follower that had not fetched them yet may be elected when the nodes come back, and the old leader then truncates them: flushing does not make acks=1 safe',
  },
];

export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
