import { describe, expect, it } from 'vitest';
import { electLeader } from '../../../src/broker/controller/leader-election.js';
import type { ControllerEvent } from '../../../src/broker/controller/quorum-controller.js';
import { ConfigResourceType } from '../../../src/broker/metadata/metadata-records.js';
import type { AlterPartitionRequest } from '../../../src/broker/protocol/alter-partition/request.js';
import { ControllerQuorum, settle } from '../support/controller-quorum.js';

const live = (ids: number[]) => (id: number) => ids.includes(id);

describe('election rules (Kafka PartitionChangeBuilder.electLeader)', () => {
  it('ONLINE keeps a valid leader, else elects the first ISR member in assignment order that is live', () => {
    const base = { election: 'ONLINE' as const, replicas: [3, 1, 2], isr: [1, 2] };
    expect(electLeader({ ...base, currentLeader: 2, isAcceptableLeader: live([1, 2, 3]) })).toEqual({
      node: 2,
      unclean: false,
      rule: 'current-leader',
    });
    // 3 is first in assignment order but out of sync; 1 comes before 2.
    expect(electLeader({ ...base, currentLeader: -1, isAcceptableLeader: live([1, 2, 3]) })).toEqual({
      node: 1,
      unclean: false,
      rule: 'first-isr-in-assignment-order',
    });
    expect(electLeader({ ...base, currentLeader: -1, isAcceptableLeader: live([3]) })).toEqual({
      node: -1,
      unclean: false,
      rule: 'no-eligible-leader',
    });
  });

  it('UNCLEAN elects the first live replica in assignment order only when no ISR member is live', () => {
    const base = { election: 'UNCLEAN' as const, replicas: [3, 1, 2], isr: [1], currentLeader: -1 };
    expect(electLeader({ ...base, isAcceptableLeader: live([1, 2, 3]) })).toMatchObject({ node: 1, unclean: false });
    expect(electLeader({ ...base, isAcceptableLeader: live([2, 3]) })).toEqual({
      node: 3,
      unclean: true,
      rule: 'unclean-first-live-replica',
    });
    expect(electLeader({ ...base, isAcceptableLeader: live([]) })).toMatchObject({ node: -1, unclean: false });
  });

  it('PREFERRED elects the first assigned replica when it is in the ISR, else keeps the leader', () => {
    const base = { election: 'PREFERRED' as const, replicas: [1, 2, 3], currentLeader: 2 };
    expect(electLeader({ ...base, isr: [1, 2, 3], isAcceptableLeader: live([1, 2, 3]) })).toEqual({
      node: 1,
      unclean: false,
      rule: 'preferred-replica',
    });
    expect(electLeader({ ...base, isr: [2, 3], isAcceptableLeader: live([1, 2, 3]) })).toMatchObject({
      node: 2,
      rule: 'current-leader',
    });
    // PREFERRED never goes outside the ISR.
    expect(electLeader({ ...base, isr: [3], currentLeader: -1, isAcceptableLeader: live([1, 2]) })).toMatchObject({
      node: -1,
    });
  });
});

/** A cluster of brokers 1..3 with topic `t` on replicas [1, 2], its ISR shrunk to [1] (2 fell behind). */
async function laggingFollower(
  topicConfigs: Array<{ name: string; value: string }> = [],
  config: ConstructorParameters<typeof ControllerQuorum>[1] = {},
): Promise<{ q: ControllerQuorum; topicId: string }> {
  const q = new ControllerQuorum([1, 2, 3], config);
  await q.elect(3);
  await q.registerAndUnfence([1, 2, 3]);
  const created = await q.active.createTopics({
    topics: [
      {
        name: 't',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
        configs: topicConfigs,
      },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  });
  const topicId = created.topics[0]!.topicId!;
  const shrink = await q.active.alterPartition(isrOf(q, topicId, [1]));
  expect(shrink.topics[0]!.partitions[0]!.errorCode).toBe(0);
  expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 1, isr: [1] });
  return { q, topicId };
}

function isrOf(q: ControllerQuorum, topicId: string, isr: number[]): AlterPartitionRequest {
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

/** Broker 1 (the only ISR member) stops heartbeating: 2 and 3 heartbeat, 1's session expires, it is fenced. */
async function fenceBroker1(q: ControllerQuorum): Promise<void> {
  q.now += 600;
  await q.heartbeat(2);
  await q.heartbeat(3);
  q.now += 600;
  expect(await q.active.checkSessions()).toEqual([1]);
}

function partitionChanges(q: ControllerQuorum): Array<Extract<ControllerEvent, { kind: 'partition-change' }>> {
  return q.events.filter(
    (e): e is Extract<ControllerEvent, { kind: 'partition-change' }> => e.kind === 'partition-change',
  );
}

describe('QuorumController: unclean leader election', () => {
  it('without ELR (eligible.leader.replicas.version=0) leaves the partition offline with its last ISR member kept when it is fenced and the topic does not allow unclean election', async () => {
    const { q, topicId } = await laggingFollower([], { eligibleLeaderReplicasVersion: 0 });
    await fenceBroker1(q);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: -1, isr: [1] });
    expect(partitionChanges(q).at(-1)).toMatchObject({
      leader: -1,
      cause: 'broker-fenced',
      election: { kind: 'ONLINE', rule: 'no-eligible-leader' },
    });
    // The periodic check finds nothing to do either: the topic still forbids it.
    expect(await q.active.maybeElectUncleanLeaders()).toBe(0);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: -1 });
  });

  it('elects the out-of-sync replica at once when the topic allows unclean election, with the ISR reset to it', async () => {
    const { q, topicId } = await laggingFollower([{ name: 'unclean.leader.election.enable', value: 'true' }]);
    const before = q.active.replication.partition(topicId, 0)!;
    await fenceBroker1(q);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({
      leader: 2,
      isr: [2],
      leaderEpoch: before.leaderEpoch + 1,
    });
    expect(partitionChanges(q).at(-1)).toMatchObject({
      leader: 2,
      isr: [2],
      cause: 'broker-fenced',
      election: { kind: 'UNCLEAN', unclean: true, rule: 'unclean-first-live-replica' },
      before: { leader: 1, isr: [1] },
    });
  });

  it('uses the broker-level unclean.leader.election.enable when the topic does not set it, and the topic wins', async () => {
    const broker = await laggingFollower([], { uncleanLeaderElectionEnable: true });
    await fenceBroker1(broker.q);
    expect(broker.q.active.replication.partition(broker.topicId, 0)).toMatchObject({ leader: 2, isr: [2] });

    const topicSaysNo = await laggingFollower([{ name: 'unclean.leader.election.enable', value: 'false' }], {
      uncleanLeaderElectionEnable: true,
    });
    await fenceBroker1(topicSaysNo.q);
    expect(topicSaysNo.q.active.replication.partition(topicSaysNo.topicId, 0)).toMatchObject({ leader: -1 });
  });

  it('elects the lagging replica of an offline partition once unclean election is turned on by a config change', async () => {
    const { q, topicId } = await laggingFollower();
    await fenceBroker1(q);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: -1 });
    // What IncrementalAlterConfigs commits for the topic (the controller's own AlterConfigs path writes the same).
    q.quorum.append(q.quorum.leaderAndEpoch().epoch, [
      {
        type: 'ConfigRecord',
        resourceType: ConfigResourceType.TOPIC,
        resourceName: 't',
        name: 'unclean.leader.election.enable',
        value: 'true',
      },
    ]);
    await settle(() => q.active.replication.uncleanLeaderElectionEnabled('t'), 'the config change is replayed');
    expect(await q.active.maybeElectUncleanLeaders()).toBe(1);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 2, isr: [2] });
    expect(partitionChanges(q).at(-1)).toMatchObject({
      cause: 'unclean-election-check',
      election: { kind: 'UNCLEAN', rule: 'unclean-first-live-replica' },
    });
  });

  it('runs the unclean check by itself every unclean.leader.election.interval.ms while a partition is leaderless', async () => {
    const { q, topicId } = await laggingFollower([], { uncleanLeaderElectionIntervalMs: 5 });
    await fenceBroker1(q);
    q.quorum.append(q.quorum.leaderAndEpoch().epoch, [
      {
        type: 'ConfigRecord',
        resourceType: ConfigResourceType.BROKER,
        resourceName: '',
        name: 'unclean.leader.election.enable',
        value: 'true',
      },
    ]);
    const deadline = Date.now() + 5000;
    while (q.active.replication.partition(topicId, 0)!.leader !== 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 2, isr: [2] });
    for (const c of q.controllers.values()) c.close();
  });

  it('keeps an ISR member as the leader when one is live, even where unclean election is allowed', async () => {
    const { q, topicId } = await laggingFollower([{ name: 'unclean.leader.election.enable', value: 'true' }]);
    const grow = await q.active.alterPartition(isrOf(q, topicId, [1, 2]));
    expect(grow.topics[0]!.partitions[0]!.errorCode).toBe(0);
    await fenceBroker1(q);
    expect(partitionChanges(q).at(-1)).toMatchObject({
      leader: 2,
      isr: [2],
      election: { kind: 'UNCLEAN', unclean: false, rule: 'first-isr-in-assignment-order' },
    });
  });
});

describe('QuorumController: preferred leader election', () => {
  it('moves leadership back to the preferred replica once it is in the ISR again (auto.leader.rebalance.enable)', async () => {
    const q = new ControllerQuorum([1, 2, 3]);
    await q.elect(3);
    await q.registerAndUnfence([1, 2, 3]);
    const created = await q.active.createTopics({
      topics: [
        {
          name: 'p',
          numPartitions: -1,
          replicationFactor: -1,
          assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 3] }],
          configs: [],
        },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });
    const topicId = created.topics[0]!.topicId!;
    await fenceBroker1(q);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 2, isr: [2, 3] });
    expect(q.active.replication.hasImbalancedPartitions()).toBe(true);
    // Not back in the ISR: the preferred election keeps 2.
    expect(await q.active.maybeBalancePartitionLeaders()).toBe(0);
    // Broker 1 restarts (new registration), is unfenced, and the leader lets it back into the ISR.
    await q.register(1, 'secondincarnationAAAAA');
    expect((await q.heartbeat(1)).isFenced).toBe(false);
    const grow = await q.active.alterPartition(isrOf(q, topicId, [2, 3, 1]));
    expect(grow.topics[0]!.partitions[0]!.errorCode).toBe(0);
    expect(await q.active.maybeBalancePartitionLeaders()).toBe(1);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 1, isr: [2, 3, 1] });
    expect(partitionChanges(q).at(-1)).toMatchObject({
      cause: 'leader-rebalance',
      election: { kind: 'PREFERRED', rule: 'preferred-replica' },
    });
    expect(q.active.replication.hasImbalancedPartitions()).toBe(false);
  });
});
