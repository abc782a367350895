import { describe, expect, it } from 'vitest';
import { buildPartitionChange } from '../../../src/broker/controller/partition-change-builder.js';
import type {
  PartitionChangeRules,
  PartitionChangeTarget,
} from '../../../src/broker/controller/partition-change-builder.js';
import type { ControllerEvent } from '../../../src/broker/controller/quorum-controller.js';
import { explainControllerEvent } from '../../../src/broker/controller/controller-why.js';
import type { PartitionRegistration } from '../../../src/broker/metadata/partition-registration.js';
import type { AlterPartitionRequest } from '../../../src/broker/protocol/alter-partition/request.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { ControllerQuorum } from '../support/controller-quorum.js';

const TOPIC = 'vPeOCWypqUOSepEvx0cbog';
const ELR_MIN_ISR_2: PartitionChangeRules = { eligibleLeaderReplicasEnabled: true, minIsr: 2 };
const live = (ids: number[]) => (id: number) => ids.includes(id);

function partition(p: Partial<PartitionRegistration>): PartitionRegistration {
  return { topicId: TOPIC, replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1, leaderEpoch: 5, partitionEpoch: 9, ...p };
}

interface BuilderCase {
  readonly behaviour: string;
  readonly current: PartitionRegistration;
  readonly target: PartitionChangeTarget;
  readonly live: number[];
  readonly rules?: PartitionChangeRules;
  /** The record's fields that must be set (absent ELR fields: the record must not carry them). */
  readonly record: {
    isr: number[] | null;
    leader: number;
    eligibleLeaderReplicas?: number[];
    lastKnownElr?: number[];
  };
  readonly rule?: string;
  readonly unclean?: boolean;
}

/** Kafka's PartitionChangeBuilder with ELR (KIP-966), one behaviour per row. RF 3, replicas [1,2,3]. */
const CASES: BuilderCase[] = [
  {
    behaviour: 'an ISR shrink that stays at min ISR keeps no ELR',
    current: partition({}),
    target: { isr: [1, 2] },
    live: [1, 2, 3],
    record: { isr: [1, 2], leader: -2 },
  },
  {
    behaviour: 'an ISR shrink below min ISR moves the leaving replica into the ELR (maybePopulateTargetElr)',
    current: partition({ isr: [1, 2] }),
    target: { isr: [1] },
    live: [1, 3],
    record: { isr: [1], leader: -2, eligibleLeaderReplicas: [2] },
  },
  {
    behaviour: 'the last ISR member leaving empties the ISR, joins the ELR and is remembered as the last known leader',
    current: partition({ isr: [1], elr: [2] }),
    target: { removeFromIsr: 1 },
    live: [3],
    record: { isr: [], leader: -1, eligibleLeaderReplicas: [1, 2], lastKnownElr: [1] },
    rule: 'no-eligible-leader',
  },
  {
    behaviour: 'an empty ISR elects the first live ELR member cleanly; it becomes the ISR and leaves the ELR',
    current: partition({ isr: [], elr: [1, 2], lastKnownElr: [1], leader: -1 }),
    target: {},
    live: [2, 3],
    record: { isr: [2], leader: 2, eligibleLeaderReplicas: [1], lastKnownElr: [] },
    rule: 'eligible-leader-replica',
    unclean: false,
  },
  {
    behaviour: 'an ISR back at min ISR clears the ELR',
    current: partition({ isr: [2], elr: [1], leader: 2 }),
    target: { isr: [2, 3] },
    live: [1, 2, 3],
    record: { isr: [2, 3], leader: -2, eligibleLeaderReplicas: [] },
  },
  {
    behaviour: 'an unclean shutdown takes the replica out of the ELR (uncleanShutdownReplicas)',
    current: partition({ isr: [], elr: [1, 2], lastKnownElr: [1], leader: -1 }),
    target: { uncleanShutdownReplica: 2 },
    live: [],
    record: { isr: null, leader: -2, eligibleLeaderReplicas: [1] },
  },
  {
    behaviour: 'an unclean shutdown takes an ISR member out of the ISR without putting it in the ELR; it may not lead',
    current: partition({ isr: [1, 2], leader: 1 }),
    target: { uncleanShutdownReplica: 1 },
    live: [1, 2, 3],
    record: { isr: [2], leader: 2 },
    rule: 'first-isr-in-assignment-order',
  },
  {
    behaviour: 'UNCLEAN elects a live ELR member cleanly before any out-of-sync replica',
    current: partition({ isr: [], elr: [2], leader: -1 }),
    target: { election: 'UNCLEAN' },
    live: [2, 3],
    record: { isr: [2], leader: 2, eligibleLeaderReplicas: [] },
    rule: 'eligible-leader-replica',
    unclean: false,
  },
  {
    behaviour: 'UNCLEAN elects an out-of-sync replica only when no ISR or ELR member is live, and clears the ELR',
    current: partition({ isr: [], elr: [2], leader: -1 }),
    target: { election: 'UNCLEAN' },
    live: [3],
    record: { isr: [3], leader: 3, eligibleLeaderReplicas: [] },
    rule: 'unclean-first-live-replica',
    unclean: true,
  },
  {
    behaviour: 'with ISR and ELR empty the last known leader is elected once it is live (ISR [it], counted unclean)',
    current: partition({ isr: [], lastKnownElr: [1], leader: -1 }),
    target: {},
    live: [1, 3],
    record: { isr: [1], leader: 1, lastKnownElr: [] },
    rule: 'last-known-leader',
    unclean: true,
  },
  {
    behaviour: 'with min ISR 1 the last ISR member leaving still goes to the ELR (the ISR is below 1)',
    current: partition({ isr: [1] }),
    target: { removeFromIsr: 1 },
    live: [2, 3],
    rules: { eligibleLeaderReplicasEnabled: true, minIsr: 1 },
    record: { isr: [], leader: -1, eligibleLeaderReplicas: [1], lastKnownElr: [1] },
  },
  {
    behaviour: 'without ELR the last ISR member is kept and the record carries no ELR field',
    current: partition({ isr: [1] }),
    target: { removeFromIsr: 1 },
    live: [2, 3],
    rules: { eligibleLeaderReplicasEnabled: false, minIsr: 2 },
    record: { isr: null, leader: -1 },
    rule: 'no-eligible-leader',
  },
  {
    // Kafka's isValidNewLeader reads the registration's ELR whatever the feature says; maybeUpdateRecordElr clears it.
    behaviour: 'with ELR turned off an ELR left from before still elects its live member, and is cleared',
    current: partition({ isr: [], elr: [2], leader: -1 }),
    target: {},
    live: [2],
    rules: { eligibleLeaderReplicasEnabled: false, minIsr: 2 },
    record: { isr: [2], leader: 2, eligibleLeaderReplicas: [] },
    rule: 'eligible-leader-replica',
  },
];

describe('PartitionChangeBuilder with Eligible Leader Replicas (KIP-966, Kafka 4.4 rules)', () => {
  it.each(CASES.map((c) => [c.behaviour, c] as const))('%s', (_behaviour, c) => {
    const change = buildPartitionChange(TOPIC, 0, c.current, c.target, live(c.live), c.rules ?? ELR_MIN_ISR_2);
    expect(change).toBeDefined();
    const record = change!.record;
    expect({ isr: record.isr, leader: record.leader }).toEqual({ isr: c.record.isr, leader: c.record.leader });
    expect(record.eligibleLeaderReplicas).toEqual(c.record.eligibleLeaderReplicas);
    expect(record.lastKnownElr).toEqual(c.record.lastKnownElr);
    if (c.rule !== undefined) expect(change!.election.rule).toBe(c.rule);
    if (c.unclean !== undefined) expect(change!.election.unclean).toBe(c.unclean);
  });

  it('changes nothing when the ISR, ELR and leader already are what the rules want', () => {
    const steady = partition({ isr: [1], elr: [2], leader: 1 });
    expect(buildPartitionChange(TOPIC, 0, steady, {}, live([1, 2, 3]), ELR_MIN_ISR_2)).toBeUndefined();
  });

  it('does not elect a live out-of-sync replica while the ISR is empty and no ELR member is live (clean election)', () => {
    const offline = partition({ isr: [], elr: [1, 2], lastKnownElr: [1], leader: -1 });
    expect(buildPartitionChange(TOPIC, 0, offline, {}, live([3]), ELR_MIN_ISR_2)).toBeUndefined();
  });
});

/** Brokers 1..3, topic `t` on [1,2,3] with min.insync.replicas 2 (ELR as configured), leader 1. */
async function cluster(eligibleLeaderReplicasVersion?: number): Promise<{ q: ControllerQuorum; topicId: string }> {
  const q = new ControllerQuorum(
    [1, 2, 3],
    eligibleLeaderReplicasVersion === undefined ? {} : { eligibleLeaderReplicasVersion },
  );
  await q.elect(3);
  await q.registerAndUnfence([1, 2, 3]);
  const created = await q.active.createTopics({
    topics: [
      {
        name: 't',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 3] }],
        configs: [{ name: 'min.insync.replicas', value: '2' }],
      },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  });
  return { q, topicId: created.topics[0]!.topicId! };
}

/** `ids` stop heartbeating; every other registered broker heartbeats; the session check fences `ids`. */
async function fence(q: ControllerQuorum, ids: number[]): Promise<void> {
  for (let step = 0; step < 2; step++) {
    q.now += 600;
    for (const id of [1, 2, 3])
      if (!ids.includes(id) && !q.active.cluster.registration(id)?.fenced) await q.heartbeat(id);
  }
  expect(await q.active.checkSessions()).toEqual(ids);
}

/** Broker `id` registers a new incarnation, presenting `previousBrokerEpoch` (its clean shutdown) or not. */
async function restart(q: ControllerQuorum, id: number, clean: boolean): Promise<void> {
  const previous = q.brokerEpochs.get(id)!;
  const response = await q.active.registerBroker({
    brokerId: id,
    clusterId: 'test-cluster',
    incarnationId: `restarted-${id}`.padEnd(22, 'B').slice(0, 22),
    listeners: [{ name: 'PLAINTEXT', host: '127.0.0.1', port: 9000 + id, securityProtocol: 0 }],
    features: [],
    rack: null,
    previousBrokerEpoch: clean ? previous : -1n,
  });
  expect(response.errorCode).toBe(ErrorCode.NONE);
  q.brokerEpochs.set(id, response.brokerEpoch);
}

function shrinkIsr(q: ControllerQuorum, topicId: string, isr: number[]): AlterPartitionRequest {
  const current = q.active.replication.partition(topicId, 0)!;
  return {
    brokerId: current.leader,
    brokerEpoch: q.brokerEpochs.get(current.leader)!,
    topics: [
      {
        topicId,
        partitions: [
          {
            partitionIndex: 0,
            leaderEpoch: current.leaderEpoch,
            partitionEpoch: current.partitionEpoch,
            newIsrWithEpochs: isr.map((id) => ({ brokerId: id, brokerEpoch: q.brokerEpochs.get(id)! })),
          },
        ],
      },
    ],
  };
}

function lastChange(q: ControllerQuorum): Extract<ControllerEvent, { kind: 'partition-change' }> {
  const changes = q.events.filter(
    (e): e is Extract<ControllerEvent, { kind: 'partition-change' }> => e.kind === 'partition-change',
  );
  return changes.at(-1)!;
}

describe('QuorumController with eligible.leader.replicas.version (KIP-966)', () => {
  it('bootstraps a new cluster with eligible.leader.replicas.version=1, as Kafka 4.4 does, and =0 when configured', async () => {
    const on = await cluster();
    expect(on.q.active.features.isElrFeatureEnabled()).toBe(true);
    // Every controller replays the feature, so a new active controller keeps it.
    for (const id of [1, 2, 3]) expect(on.q.controller(id).features.level('eligible.leader.replicas.version')).toBe(1);
    const off = await cluster(0);
    expect(off.q.active.features.isElrFeatureEnabled()).toBe(false);
  });

  it('min ISR 2, RF 3: fenced followers fill the ELR, the fenced leader empties the ISR, a cleanly restarted ELR member is elected', async () => {
    const { q, topicId } = await cluster();
    await fence(q, [3]);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 1, isr: [1, 2] });
    expect(q.active.replication.partition(topicId, 0)?.elr).toBeUndefined();
    await fence(q, [2]);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 1, isr: [1], elr: [2] });
    expect(lastChange(q)).toMatchObject({ elr: [2], minIsr: 2, cause: 'broker-fenced' });
    await fence(q, [1]);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({
      leader: -1,
      isr: [],
      elr: [1, 2],
      lastKnownElr: [1],
    });
    // Broker 2 shut down cleanly (it presents its previous broker epoch): it stays eligible and is elected.
    await restart(q, 2, true);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: -1, elr: [1, 2] });
    expect((await q.heartbeat(2)).isFenced).toBe(false);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 2, isr: [2], elr: [1] });
    expect(q.active.replication.partition(topicId, 0)?.lastKnownElr).toBeUndefined();
    const election = lastChange(q);
    expect(election).toMatchObject({ leader: 2, election: { rule: 'eligible-leader-replica', unclean: false } });
    const why = explainControllerEvent(election, 3, () => 't');
    expect(why).toMatchObject({ kind: 'election', rule: 'KIP-966 Eligible Leader Replicas', partition: 't-0' });
    expect(why?.text.en).toContain('from the ELR [1,2]');
    expect(why?.text.zh).toContain('从 ELR [1,2] 选出 2');
    // The loader (every broker's view) agrees with the controller.
    expect(q.loader(1).image.partition('t', 0)).toMatchObject({ leader: 2, isr: [2], elr: [1] });
  });

  it('takes a broker that comes back from an unclean shutdown out of the ELR, so it is not elected', async () => {
    const { q, topicId } = await cluster();
    await fence(q, [3]);
    await fence(q, [2]);
    await fence(q, [1]);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ isr: [], elr: [1, 2] });
    await restart(q, 2, false);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: -1, isr: [], elr: [1] });
    expect(lastChange(q)).toMatchObject({ cause: 'broker-unclean-shutdown', elr: [1] });
    expect((await q.heartbeat(2)).isFenced).toBe(false);
    // 2 is live but neither in the ISR nor the ELR: the partition waits for 1 (no unclean election allowed).
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: -1, elr: [1] });
    const why = explainControllerEvent(lastChange(q), 3, () => 't');
    expect(why?.text.en).toContain('unclean shutdown');
  });

  it('clears a topic’s ELR when its min.insync.replicas changes (ClearElrRecord)', async () => {
    const { q, topicId } = await cluster();
    await q.active.alterPartition(shrinkIsr(q, topicId, [1]));
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ isr: [1], elr: [2, 3] });
    const altered = await q.active.incrementalAlterConfigs({
      resources: [
        {
          resourceType: 2,
          resourceName: 't',
          configs: [{ name: 'min.insync.replicas', configOperation: 0, value: '1' }],
        },
      ],
      validateOnly: false,
    });
    expect(altered.responses[0]?.errorCode).toBe(ErrorCode.NONE);
    expect(q.active.replication.partition(topicId, 0)?.elr).toBeUndefined();
    expect(q.loader(2).image.partition('t', 0)?.elr).toBeUndefined();
    expect(q.active.replication.effectiveMinIsr('t')).toBe(1);
    const cleared = q.events.find((e) => e.kind === 'elr-cleared');
    expect(cleared).toEqual({ kind: 'elr-cleared', topicName: 't', minIsr: 1 });
    const why = explainControllerEvent(cleared!, 3, () => 't');
    expect(why).toMatchObject({
      kind: 'elr',
      rule: 'KIP-966 Eligible Leader Replicas',
      data: { topic: 't', minIsr: 1 },
    });
    expect(why?.text.en).toContain('min.insync.replicas of topic t changed to 1');
    expect(why?.text.zh).toContain('清空其分区的 ELR');
  });

  it('without ELR (version 0) keeps the last ISR member and never writes an ELR', async () => {
    const { q, topicId } = await cluster(0);
    await fence(q, [3]);
    await fence(q, [2]);
    await fence(q, [1]);
    const p = q.active.replication.partition(topicId, 0);
    expect(p).toMatchObject({ leader: -1, isr: [1] });
    expect(p?.elr).toBeUndefined();
    await restart(q, 2, false);
    expect((await q.heartbeat(2)).isFenced).toBe(false);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: -1, isr: [1] });
  });
});
