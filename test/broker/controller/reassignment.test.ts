import { describe, expect, it } from 'vitest';
import {
  completeReassignment,
  reassignmentReplicas,
  revertReassignment,
} from '../../../src/broker/controller/partition-reassignment.js';
import { explainControllerEvent } from '../../../src/broker/controller/controller-why.js';
import type { ControllerEvent } from '../../../src/broker/controller/quorum-controller.js';
import type { AlterPartitionRequest } from '../../../src/broker/protocol/alter-partition/request.js';
import { isReassignmentInProgress } from '../../../src/broker/metadata/partition-registration.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { ControllerQuorum } from '../support/controller-quorum.js';

describe('reassignment replica sets (Kafka PartitionReassignmentReplicas / PartitionReassignmentRevert)', () => {
  it('keeps the target order first, then the replicas being removed; adding and removing sorted', () => {
    expect(reassignmentReplicas([1, 2, 3], [4, 3, 2])).toEqual({ replicas: [4, 3, 2, 1], adding: [4], removing: [1] });
    expect(reassignmentReplicas([1, 2], [2, 1])).toEqual({ replicas: [2, 1], adding: [], removing: [] });
  });

  it('completes only when every target replica is in the ISR, dropping the removed ones from replicas and ISR', () => {
    const moving = reassignmentReplicas([1, 2], [2, 3]);
    expect(completeReassignment(moving, [1, 2])).toBeUndefined();
    expect(completeReassignment(moving, [1, 2, 3])).toEqual({ replicas: [2, 3], isr: [2, 3] });
    // Nothing of the ISR would be left: no completion.
    expect(completeReassignment(reassignmentReplicas([1], [2]), [1])).toBeUndefined();
    expect(completeReassignment({ replicas: [1, 2], adding: [], removing: [] }, [1, 2])).toBeUndefined();
  });

  it('reverts to the original replicas; an ISR of adding replicas only is an unclean revert', () => {
    const base = { topicId: 'x', leader: 1, leaderEpoch: 0, partitionEpoch: 0 };
    expect(
      revertReassignment({ ...base, replicas: [2, 3, 1], isr: [1, 2], addingReplicas: [2, 3], removingReplicas: [1] }),
    ).toEqual({ replicas: [1], isr: [1], unclean: false });
    expect(
      revertReassignment({ ...base, replicas: [2, 1], isr: [2], addingReplicas: [2], removingReplicas: [1] }),
    ).toEqual({ replicas: [1], isr: [1], unclean: true });
  });
});

/** Brokers 1..4 registered and unfenced, topic `t` with one partition on [1, 2] (leader 1, ISR [1, 2]). */
async function cluster(): Promise<{ q: ControllerQuorum; topicId: string }> {
  const q = new ControllerQuorum([1, 2, 3], { autoLeaderRebalanceEnable: false });
  await q.elect(3);
  await q.registerAndUnfence([1, 2, 3, 4]);
  const created = await q.active.createTopics({
    topics: [
      {
        name: 't',
        numPartitions: -1,
        replicationFactor: -1,
        assignments: [{ partitionIndex: 0, brokerIds: [1, 2] }],
        configs: [],
      },
    ],
    timeoutMs: 1000,
    validateOnly: false,
  });
  return { q, topicId: created.topics[0]!.topicId! };
}

function reassign(q: ControllerQuorum, replicas: number[] | null, allowReplicationFactorChange = true) {
  return q.active.alterPartitionReassignments({
    timeoutMs: 1000,
    allowReplicationFactorChange,
    topics: [{ name: 't', partitions: [{ partitionIndex: 0, replicas }] }],
  });
}

/** The AlterPartition the leader of t-0 sends to commit `isr`. */
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

function lastChange(q: ControllerQuorum): Extract<ControllerEvent, { kind: 'partition-change' }> {
  const changes = q.events.filter(
    (e): e is Extract<ControllerEvent, { kind: 'partition-change' }> => e.kind === 'partition-change',
  );
  return changes.at(-1)!;
}

describe('QuorumController: AlterPartitionReassignments / ListPartitionReassignments', () => {
  it('moves t-0 from [1, 2] to [2, 3]: 3 is added, catches up into the ISR, then 1 leaves and 2 leads', async () => {
    const { q, topicId } = await cluster();
    const started = await reassign(q, [2, 3]);
    expect(started.responses).toEqual([
      { name: 't', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE, errorMessage: null }] },
    ]);
    const moving = q.active.replication.partition(topicId, 0)!;
    expect(moving).toMatchObject({
      replicas: [2, 3, 1],
      addingReplicas: [3],
      removingReplicas: [1],
      leader: 1,
      isr: [1, 2],
    });
    expect(lastChange(q)).toMatchObject({
      cause: 'reassignment',
      reassignment: { replicas: [2, 3, 1], addingReplicas: [3], removingReplicas: [1] },
    });
    const listed = await q.active.listPartitionReassignments({ timeoutMs: 1000, topics: null });
    expect(listed.topics).toEqual([
      {
        name: 't',
        partitions: [{ partitionIndex: 0, replicas: [2, 3, 1], addingReplicas: [3], removingReplicas: [1] }],
      },
    ]);

    // The leader (1) brings 3 into the ISR: the same AlterPartition completes the move and 1 is no longer a replica,
    // so the leadership goes to 2; 1 is told NEW_LEADER_ELECTED (the record is written all the same).
    const caughtUp = await q.active.alterPartition(isrOf(q, topicId, [1, 2, 3]));
    expect(caughtUp.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NEW_LEADER_ELECTED);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({
      replicas: [2, 3],
      isr: [2, 3],
      leader: 2,
      leaderEpoch: moving.leaderEpoch + 1,
    });
    expect(isReassignmentInProgress(q.active.replication.partition(topicId, 0)!)).toBe(false);
    const done = lastChange(q);
    expect(done).toMatchObject({ cause: 'alter-partition', reassignment: { replicas: [2, 3], removed: [1] } });
    const why = explainControllerEvent(done, 3, () => 't');
    expect(why).toMatchObject({ kind: 'reassignment', partition: 't-0', rule: 'KIP-455 AlterPartitionReassignments' });
    expect(why!.text.en).toContain('reassignment completed');
    expect(why!.text.en).toContain('leader 1 → 2');
    expect((await q.active.listPartitionReassignments({ timeoutMs: 1000, topics: null })).topics).toEqual([]);
  });

  it('completes at once when the target is already in sync, bumping the leader epoch when a replica leaves', async () => {
    const { q, topicId } = await cluster();
    const before = q.active.replication.partition(topicId, 0)!;
    await reassign(q, [1]);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({
      replicas: [1],
      isr: [1],
      leader: 1,
      leaderEpoch: before.leaderEpoch + 1,
    });
    expect(isReassignmentInProgress(q.active.replication.partition(topicId, 0)!)).toBe(false);
    const why = explainControllerEvent(lastChange(q), 3, () => 't');
    expect(why!.text.en).toContain('[2] leave');
    expect(why!.text.en).toContain('leader epoch bumped');
  });

  it('cancels a running move: back to the original replicas, the adding ones dropped', async () => {
    const { q, topicId } = await cluster();
    await reassign(q, [3, 4]);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({
      replicas: [3, 4, 1, 2],
      addingReplicas: [3, 4],
    });
    const cancelled = await reassign(q, null);
    expect(cancelled.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({
      replicas: [1, 2],
      isr: [1, 2],
      leader: 1,
    });
    expect(isReassignmentInProgress(q.active.replication.partition(topicId, 0)!)).toBe(false);
    expect(lastChange(q)).toMatchObject({ cause: 'reassignment-cancelled' });
    const again = await reassign(q, null);
    expect(again.responses[0]!.partitions[0]).toEqual({
      partitionIndex: 0,
      errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS,
      errorMessage: null,
    });
  });

  it('refuses unknown topics, partitions, brokers, duplicates and (v1) a changed replication factor; nothing is written', async () => {
    const { q, topicId } = await cluster();
    const before = q.active.replication.partition(topicId, 0)!;
    const events = q.events.length;
    const answer = await q.active.alterPartitionReassignments({
      timeoutMs: 1000,
      allowReplicationFactorChange: true,
      topics: [
        { name: 'nope', partitions: [{ partitionIndex: 0, replicas: [1] }] },
        {
          name: 't',
          partitions: [
            { partitionIndex: 7, replicas: [1] },
            { partitionIndex: 0, replicas: [1, 9] },
            { partitionIndex: 0, replicas: [2, 2] },
            { partitionIndex: 0, replicas: [] },
          ],
        },
      ],
    });
    expect(answer.responses).toEqual([
      {
        name: 'nope',
        partitions: [
          {
            partitionIndex: 0,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: 'Unable to find a topic named nope.',
          },
        ],
      },
      {
        name: 't',
        partitions: [
          {
            partitionIndex: 7,
            errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            errorMessage: 'Unable to find partition t:7.',
          },
          {
            partitionIndex: 0,
            errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            errorMessage: 'The manual partition assignment includes broker 9, but no such broker is registered.',
          },
          {
            partitionIndex: 0,
            errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            errorMessage: 'The manual partition assignment includes the broker 2 more than once.',
          },
          {
            partitionIndex: 0,
            errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            errorMessage: 'The manual partition assignment includes an empty replica list.',
          },
        ],
      },
    ]);
    const rf = await reassign(q, [2, 3, 4], false);
    expect(rf.responses[0]!.partitions[0]).toEqual({
      partitionIndex: 0,
      errorCode: ErrorCode.INVALID_REPLICATION_FACTOR,
      errorMessage: 'The replication factor is changed from 2 to 3',
    });
    expect(q.active.replication.partition(topicId, 0)).toBe(before);
    expect(q.events.length).toBe(events);
  });
});
