import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import type { AlterPartitionRequest } from '../../../src/broker/protocol/alter-partition/request.js';
import { ControllerQuorum, settle } from '../support/controller-quorum.js';

async function clusterWithTopic(
  name = 'orders',
  replicationFactor = 3,
  partitions = 1,
  config: ConstructorParameters<typeof ControllerQuorum>[1] = {},
): Promise<{ q: ControllerQuorum; topicId: string }> {
  const q = new ControllerQuorum([1, 2, 3], config);
  await q.elect(1);
  await q.registerAndUnfence([1, 2, 3]);
  const created = await q.active.createTopics({
    topics: [{ name, numPartitions: partitions, replicationFactor, assignments: [], configs: [] }],
    timeoutMs: 1000,
    validateOnly: false,
  });
  expect(created.topics[0]).toMatchObject({ errorCode: 0, numPartitions: partitions, replicationFactor });
  return { q, topicId: created.topics[0]!.topicId! };
}

describe('QuorumController: broker registration and heartbeats', () => {
  it('gives a registering broker an epoch, keeps it fenced until a heartbeat shows it has replayed its registration', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    const epoch = await q.register(1);
    expect(epoch).toBeGreaterThan(0n);
    expect(q.active.cluster.registration(1)).toMatchObject({ fenced: true, epoch });
    const behind = await q.heartbeat(1, { offset: epoch - 1n });
    expect(behind).toMatchObject({ errorCode: 0, isFenced: true, isCaughtUp: false });
    const caughtUp = await q.heartbeat(1, { offset: epoch });
    expect(caughtUp).toMatchObject({ errorCode: 0, isFenced: false, isCaughtUp: true });
    expect(q.active.cluster.registration(1)?.fenced).toBe(false);
  });

  it('answers a heartbeat with a stale broker epoch STALE_BROKER_EPOCH and an unknown broker BROKER_ID_NOT_REGISTERED', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    const first = await q.register(1);
    await q.register(1, 'secondincarnationAAAAA');
    const stale = await q.active.processBrokerHeartbeat({
      brokerId: 1,
      brokerEpoch: first,
      currentMetadataOffset: 100n,
      wantFence: false,
      wantShutDown: false,
    });
    expect(stale.errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
    expect((await q.heartbeat(7)).errorCode).toBe(ErrorCode.BROKER_ID_NOT_REGISTERED);
  });

  it('refuses a second process with the same broker id while the first one heartbeats (DUPLICATE_BROKER_REGISTRATION)', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    await q.registerAndUnfence([1]);
    const response = await q.active.registerBroker({
      brokerId: 1,
      clusterId: 'test-cluster',
      incarnationId: 'anotherprocessAAAAAAAA',
      listeners: [],
      features: [],
      rack: null,
    });
    expect(response).toMatchObject({ errorCode: ErrorCode.DUPLICATE_BROKER_REGISTRATION, brokerEpoch: -1n });
  });

  it('fences a broker whose session expired and elects the first live ISR replica in assignment order, bumping both epochs', async () => {
    const { q, topicId } = await clusterWithTopic();
    const before = q.active.replication.partition(topicId, 0)!;
    expect(before).toMatchObject({ replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1, leaderEpoch: 0, partitionEpoch: 0 });
    q.now += 600;
    await q.heartbeat(2);
    await q.heartbeat(3);
    q.now += 600; // broker 1 silent for 1200 ms > broker.session.timeout.ms 1000; 2 and 3 for 600
    expect(await q.active.checkSessions()).toEqual([1]);
    expect(q.active.cluster.registration(1)?.fenced).toBe(true);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({
      leader: 2,
      isr: [2, 3],
      leaderEpoch: 1,
      partitionEpoch: 1,
    });
    expect(q.events).toContainEqual({ kind: 'broker-fenced', brokerId: 1, reason: 'session-timeout' });
  });

  it('without ELR (eligible.leader.replicas.version=0) leaves a partition leaderless (-1) with its last ISR member kept when no ISR replica is live (no unclean election)', async () => {
    const { q, topicId } = await clusterWithTopic('orders', 3, 1, { eligibleLeaderReplicasVersion: 0 });
    q.now += 1200;
    await q.heartbeat(3);
    // 1 and 2 expire together; 3 was out of the ISR by then
    await q.active.alterPartition(alterIsr(q, topicId, [1, 2]));
    expect(await q.active.checkSessions()).toEqual([1, 2]);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: -1, isr: [2] });
    // Broker 2 comes back: once unfenced it is elected, being the last ISR member.
    q.now += 10;
    const back = await q.heartbeat(2);
    expect(back.isFenced).toBe(false);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 2, isr: [2] });
  });

  it('moves leaderships away on controlled shutdown before letting the broker stop', async () => {
    const { q, topicId } = await clusterWithTopic();
    const first = await q.heartbeat(1, { wantShutDown: true, offset: 0n });
    expect(first).toMatchObject({ shouldShutDown: false, isFenced: false });
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 2, isr: [2, 3], leaderEpoch: 1 });
    expect(q.active.cluster.registration(1)?.inControlledShutdown).toBe(true);
    // Not yet: the broker has not replayed the leadership moves.
    expect(await q.heartbeat(1, { wantShutDown: true, offset: 0n })).toMatchObject({ shouldShutDown: false });
    const done = await q.heartbeat(1, { wantShutDown: true });
    expect(done).toMatchObject({ shouldShutDown: true, isFenced: true });
    expect(q.active.cluster.registration(1)?.fenced).toBe(true);
  });
});

function alterIsr(
  q: ControllerQuorum,
  topicId: string,
  isr: number[],
  override: { brokerId?: number; leaderEpoch?: number; partitionEpoch?: number; brokerEpoch?: bigint } = {},
): AlterPartitionRequest {
  const current = q.active.replication.partition(topicId, 0)!;
  const brokerId = override.brokerId ?? current.leader;
  return {
    brokerId,
    brokerEpoch: override.brokerEpoch ?? q.brokerEpochs.get(brokerId) ?? -1n,
    topics: [
      {
        topicId,
        partitions: [
          {
            partitionIndex: 0,
            leaderEpoch: override.leaderEpoch ?? current.leaderEpoch,
            newIsrWithEpochs: isr.map((id) => ({ brokerId: id, brokerEpoch: q.brokerEpochs.get(id) ?? -1n })),
            partitionEpoch: override.partitionEpoch ?? current.partitionEpoch,
          },
        ],
      },
    ],
  };
}

describe('QuorumController: AlterPartition', () => {
  it('commits a valid ISR change with the partition epoch bumped and answers the committed state', async () => {
    const { q, topicId } = await clusterWithTopic();
    const response = await q.active.alterPartition(alterIsr(q, topicId, [1, 2]));
    expect(response.errorCode).toBe(0);
    expect(response.topics[0]!.partitions[0]).toMatchObject({
      errorCode: 0,
      leaderId: 1,
      leaderEpoch: 0,
      isr: [1, 2],
      partitionEpoch: 1,
    });
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ isr: [1, 2], partitionEpoch: 1 });
  });

  it.each([
    ['a broker that is not the leader', { brokerId: 2 }, ErrorCode.NOT_LEADER_OR_FOLLOWER],
    ['a stale leader epoch', { leaderEpoch: 5 }, ErrorCode.FENCED_LEADER_EPOCH],
    ['a stale partition epoch', { partitionEpoch: 7 }, ErrorCode.INVALID_UPDATE_VERSION],
  ])('refuses %s', async (_what, override, code) => {
    const { q, topicId } = await clusterWithTopic();
    const response = await q.active.alterPartition(alterIsr(q, topicId, [1, 2], override));
    expect(response.topics[0]!.partitions[0]!.errorCode).toBe(code);
    expect(q.active.replication.partition(topicId, 0)!.partitionEpoch).toBe(0);
  });

  it('refuses an ISR naming a fenced broker or one not assigned (INELIGIBLE_REPLICA)', async () => {
    const q = new ControllerQuorum([1, 2, 3]);
    await q.elect(1);
    await q.registerAndUnfence([1, 2, 3, 4]);
    const created = await q.active.createTopics({
      topics: [
        {
          name: 't',
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
    const notAssigned = await q.active.alterPartition(alterIsr(q, topicId, [1, 2, 3, 4]));
    expect(notAssigned.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.INELIGIBLE_REPLICA);
    q.now += 1200;
    await q.heartbeat(1);
    await q.heartbeat(2);
    await q.heartbeat(4);
    await q.active.checkSessions(); // 3 fenced
    const fenced = await q.active.alterPartition(alterIsr(q, topicId, [1, 2, 3]));
    expect(fenced.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.INELIGIBLE_REPLICA);
  });

  it('refuses a request from an earlier registration of the broker (STALE_BROKER_EPOCH)', async () => {
    const { q, topicId } = await clusterWithTopic();
    const response = await q.active.alterPartition(alterIsr(q, topicId, [1, 2], { brokerEpoch: 12345n }));
    expect(response.errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
  });
});

describe('QuorumController: topics', () => {
  it('places RF=3 replicas on every broker with leaders spread over partitions', async () => {
    const { q, topicId } = await clusterWithTopic('orders', 3, 3);
    const partitions = [0, 1, 2].map((p) => q.active.replication.partition(topicId, p)!);
    expect(partitions.map((p) => p.replicas)).toEqual([
      [1, 2, 3],
      [2, 3, 1],
      [3, 1, 2],
    ]);
    expect(partitions.map((p) => p.leader)).toEqual([1, 2, 3]);
    expect(partitions.every((p) => p.isr.length === 3)).toBe(true);
  });

  it('refuses a replication factor larger than the active brokers, an existing topic and a bad name', async () => {
    const { q } = await clusterWithTopic('orders', 3);
    const response = await q.active.createTopics({
      topics: [
        { name: 'big', numPartitions: 1, replicationFactor: 4, assignments: [], configs: [] },
        { name: 'orders', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
        { name: 'bad name!', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });
    expect(response.topics.map((t) => t.errorCode)).toEqual([
      ErrorCode.INVALID_REPLICATION_FACTOR,
      ErrorCode.TOPIC_ALREADY_EXISTS,
      ErrorCode.INVALID_TOPIC_EXCEPTION,
    ]);
    expect(q.active.replication.topics().map((t) => t.name)).toEqual(['orders']);
  });

  it('adds partitions with the topic replication factor and deletes topics', async () => {
    const { q, topicId } = await clusterWithTopic('orders', 2, 1);
    const grown = await q.active.createPartitions({
      topics: [{ name: 'orders', count: 3, assignments: null }],
      timeoutMs: 1000,
      validateOnly: false,
    });
    expect(grown.results[0]!.errorCode).toBe(0);
    const topic = q.active.replication.topicById(topicId)!;
    expect([...topic.partitions.values()].map((p) => p.replicas.length)).toEqual([2, 2, 2]);
    const shrink = await q.active.createPartitions({
      topics: [{ name: 'orders', count: 2, assignments: null }],
      timeoutMs: 1000,
      validateOnly: false,
    });
    expect(shrink.results[0]!.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    const deleted = await q.active.deleteTopics({ topicNames: ['orders', 'nope'], timeoutMs: 1000 }, 5);
    expect(deleted.responses.map((r) => r.errorCode)).toEqual([0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
    expect(q.active.replication.topics()).toEqual([]);
  });

  it('stores topic configs as ConfigRecords that every controller replays', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    await q.registerAndUnfence([1, 2, 3]);
    await q.active.createTopics({
      topics: [
        {
          name: 't',
          numPartitions: 1,
          replicationFactor: 3,
          assignments: [],
          configs: [{ name: 'min.insync.replicas', value: '2' }],
        },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    });
    await settle(() => q.controller(3).replication.topic('t') !== undefined, 'controller 3 replays the topic');
    expect(q.controller(3).replication.topic('t')?.configs.get('min.insync.replicas')).toBe('2');
  });
});

describe('QuorumController: only the active controller writes', () => {
  it('answers NOT_CONTROLLER on a controller that does not lead the quorum', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    const response = await q.controller(2).registerBroker({
      brokerId: 1,
      clusterId: 'c',
      incarnationId: 'AAAAAAAAAAAAAAAAAAAAAQ',
      listeners: [],
      features: [],
      rack: null,
    });
    expect(response.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
    expect(
      (
        await q.controller(3).processBrokerHeartbeat({
          brokerId: 1,
          brokerEpoch: 1n,
          currentMetadataOffset: 0n,
          wantFence: false,
          wantShutDown: false,
        })
      ).errorCode,
    ).toBe(ErrorCode.NOT_CONTROLLER);
  });

  it('does not become active before it has replayed everything committed before its epoch', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    q.quorum.holdCommits = true;
    q.quorum.elect(2);
    // Its epoch's first batch is not committed yet: controller 2 leads the quorum but must not write.
    await settle(() => q.controller(2).quorumLeader.leaderId === 2, 'controller 2 learns it leads');
    expect(q.controller(2).isActive).toBe(false);
    q.quorum.releaseCommits();
    await settle(() => q.controller(2).isActive, 'controller 2 becomes active');
    expect(q.controller(1).isActive).toBe(false);
  });

  it('fails over: the new active controller has the same brokers and partitions and keeps fencing', async () => {
    const { q, topicId } = await clusterWithTopic();
    await q.elect(2);
    expect(q.controller(1).isActive).toBe(false);
    expect(q.active.nodeId).toBe(2);
    expect(q.active.replication.partition(topicId, 0)).toEqual(q.controller(1).replication.partition(topicId, 0));
    // A fresh session for every broker at activation: only a broker silent for a session after it is fenced.
    q.now += 500;
    expect(await q.active.checkSessions()).toEqual([]);
    await q.heartbeat(2);
    await q.heartbeat(3);
    q.now += 600;
    expect(await q.active.checkSessions()).toEqual([1]);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 2, leaderEpoch: 1 });
  });

  it('a node that dies with the active controller: its broker session goes on from when the quorum last heard from it, not from the new activation', async () => {
    const { q, topicId } = await clusterWithTopic();
    const diedAt = q.now;
    q.quorum.holdCommits = true;
    q.quorum.shutdown(1); // node 1 (controller and partition leader) dies; 2 wins, its epoch not yet committed
    q.now += 700; // the election and the new epoch's first commit take a while
    q.quorum.releaseCommits();
    await settle(() => q.controller(2).isActive, 'controller 2 becomes active');
    await q.heartbeat(2);
    await q.heartbeat(3);
    q.now = diedAt + 1001; // one session after node 1 went quiet; a fresh session would run until 1700 ms
    expect(await q.active.checkSessions()).toEqual([1]);
    expect(q.active.replication.partition(topicId, 0)).toMatchObject({ leader: 2, isr: [2, 3] });
    // The brokers that are alive kept their sessions and leaderships.
    expect(q.events.filter((e) => e.kind === 'broker-fenced').map((e) => 'brokerId' in e && e.brokerId)).toEqual([1]);
  });

  it('the previous leader still gets two heartbeat intervals after the activation to show it is alive', async () => {
    const { q } = await clusterWithTopic();
    q.quorum.holdCommits = true;
    q.quorum.shutdown(1);
    q.now += 2000; // longer than a session (1000 ms) since node 1 was last heard
    q.quorum.releaseCommits();
    await settle(() => q.controller(2).isActive, 'controller 2 becomes active');
    await q.heartbeat(2);
    await q.heartbeat(3);
    q.now += 199; // heartbeat interval 100 ms: 2 × 100 ms of grace
    expect(await q.active.checkSessions()).toEqual([]);
    q.now += 2;
    expect(await q.active.checkSessions()).toEqual([1]);
  });

  it('answers NOT_CONTROLLER to an operation whose records lose their leadership before they commit', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    q.quorum.holdCommits = true;
    const pending = q.controller(1).registerBroker({
      brokerId: 5,
      clusterId: 'c',
      incarnationId: 'AAAAAAAAAAAAAAAAAAAAAQ',
      listeners: [],
      features: [],
      rack: null,
    });
    await settle(() => q.quorum.leaderAndEpoch().epoch === 1, 'settled');
    q.quorum.elect(2);
    q.quorum.releaseCommits();
    expect((await pending).errorCode).toBe(ErrorCode.NOT_CONTROLLER);
    await settle(() => q.controller(2).isActive, 'controller 2 active');
    expect(q.controller(2).cluster.registration(5)).toBeUndefined();
  });
});
