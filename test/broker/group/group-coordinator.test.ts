import { afterEach, describe, expect, test } from 'vitest';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { decodeAssignment } from '../../../src/broker/group/consumer-protocol.js';
import { assignment, GroupHarness, protocols, stableGroupOfTwo, subscription } from './group-harness.js';

let h: GroupHarness;
afterEach(() => h?.close());

describe('JoinGroup', () => {
  test.each([
    { version: 4, first: ErrorCode.MEMBER_ID_REQUIRED },
    { version: 5, first: ErrorCode.MEMBER_ID_REQUIRED },
    { version: 3, first: ErrorCode.NONE },
    { version: 0, first: ErrorCode.NONE },
  ])('a first join at v$version answers $first', async ({ version, first }) => {
    h = new GroupHarness();
    const join = h.join({ version, clientId: 'c' });
    await h.settle();
    expect(join.value.errorCode).toBe(first);
    expect(join.value.memberId).toMatch(/^c-[0-9a-f-]{36}$/);
  });

  test('a member rejoining with the id from MEMBER_ID_REQUIRED becomes leader of generation 1', async () => {
    h = new GroupHarness();
    const { memberId, response } = await h.joinWithId();
    await h.settle();
    expect(response.value).toMatchObject({
      errorCode: 0,
      generationId: 1,
      protocolName: 'range',
      leader: memberId,
      memberId,
    });
    expect(response.value.members.map((m) => m.memberId)).toEqual([memberId]);
  });

  test.each([
    { sessionTimeoutMs: 999, why: 'below group.min.session.timeout.ms' },
    { sessionTimeoutMs: 60_001, why: 'above group.max.session.timeout.ms' },
  ])('a session timeout $why gets INVALID_SESSION_TIMEOUT and creates no group', async ({ sessionTimeoutMs }) => {
    h = new GroupHarness();
    const join = h.join({ sessionTimeoutMs });
    await h.settle();
    expect(join.value.errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect(h.coordinator.handleListGroups({}).groups).toEqual([]);
  });

  test('the first member to join leads; only the leader receives the members and their metadata', async () => {
    h = new GroupHarness({ groupInitialRebalanceDelayMs: 100 });
    const a = await h.joinWithId({ clientId: 'a', protocols: [{ name: 'range', metadata: subscription('x') }] });
    const b = await h.joinWithId({ clientId: 'b', protocols: [{ name: 'range', metadata: subscription('y') }] });
    h.scheduler.advance(200);
    await h.settle();
    const [ra, rb] = [a.response.value, b.response.value];
    expect(ra.leader).toBe(a.memberId);
    expect(rb.leader).toBe(a.memberId);
    expect(ra.generationId).toBe(rb.generationId);
    expect(ra.members.map((m) => [m.memberId, m.metadata])).toEqual([
      [a.memberId, subscription('x')],
      [b.memberId, subscription('y')],
    ]);
    expect(rb.members).toEqual([]);
  });

  test('the initial rebalance delay holds the first join phase, and each newcomer extends it', async () => {
    h = new GroupHarness({ groupInitialRebalanceDelayMs: 3_000 });
    const a = await h.joinWithId({ rebalanceTimeoutMs: 10_000 });
    h.scheduler.advance(2_999);
    await h.settle();
    expect(a.response.done).toBe(false);
    const b = await h.joinWithId({ rebalanceTimeoutMs: 10_000 });
    h.scheduler.advance(1);
    await h.settle();
    expect(a.response.done).toBe(false); // b arrived during the delay: wait one more step
    h.scheduler.advance(3_000);
    await h.settle();
    expect(a.response.value.generationId).toBe(1);
    expect(b.response.value.generationId).toBe(1);
  });

  test.each([
    { joiner: protocols('roundrobin'), type: 'consumer', why: 'no protocol in common' },
    { joiner: protocols('range'), type: 'connect', why: 'another protocol type' },
  ])('a member with $why gets INCONSISTENT_GROUP_PROTOCOL (23)', async ({ joiner, type }) => {
    h = new GroupHarness();
    await stableGroupOfTwo(h);
    const join = h.join({ protocols: joiner, protocolType: type, version: 3 });
    await h.settle();
    expect(join.value.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(h.coordinator.describeGroup('g')?.members).toHaveLength(2);
  });

  test('an empty protocol list is refused with INCONSISTENT_GROUP_PROTOCOL', async () => {
    h = new GroupHarness();
    const join = h.join({ protocols: [] });
    await h.settle();
    expect(join.value.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  test('the protocol is the one every member supports that most members prefer', async () => {
    h = new GroupHarness({ groupInitialRebalanceDelayMs: 10 });
    const a = await h.joinWithId({ protocols: protocols('range', 'roundrobin', 'sticky') });
    await h.joinWithId({ protocols: protocols('roundrobin', 'range') });
    await h.joinWithId({ protocols: protocols('sticky', 'roundrobin') });
    h.scheduler.advance(30);
    await h.settle();
    expect(a.response.value.protocolName).toBe('roundrobin');
  });

  test('a known member id for an unknown group gets UNKNOWN_MEMBER_ID', async () => {
    h = new GroupHarness();
    const join = h.join({ memberId: 'ghost' });
    await h.settle();
    expect(join.value.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a new member rebalances a stable group: responses wait until every member has rejoined', async () => {
    h = new GroupHarness();
    const { a, b, generationId } = await stableGroupOfTwo(h);
    const c = await h.joinWithId({ clientId: 'c' });
    await h.settle();
    expect(c.response.done).toBe(false);
    expect(h.heartbeat(a, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const ra = h.join({ memberId: a });
    await h.settle();
    expect(c.response.done).toBe(false); // b has not rejoined yet
    const rb = h.join({ memberId: b });
    await h.settle();
    expect([ra.value, rb.value, c.response.value].map((r) => r.generationId)).toEqual([
      generationId + 1,
      generationId + 1,
      generationId + 1,
    ]);
    expect(ra.value.members).toHaveLength(3);
  });

  test('a member that keeps heartbeating but does not rejoin within the rebalance timeout is removed', async () => {
    h = new GroupHarness();
    const { a, b, generationId } = await stableGroupOfTwo(h);
    const c = await h.joinWithId({ clientId: 'c' });
    const ra = h.join({ memberId: a });
    // b is alive (heartbeats every 3 s) but never rejoins; a and c wait in JoinGroup past their 10 s sessions.
    for (let t = 3_000; t < 30_000; t += 3_000) {
      h.scheduler.advance(3_000);
      expect(h.heartbeat(b, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    await h.settle();
    expect(ra.done).toBe(false);
    expect(h.eventsOf('member-removed')).toEqual([]);
    h.scheduler.advance(3_000); // the rebalance timeout (30 s, the longest of the members') expires
    await h.settle();
    expect(ra.value.generationId).toBe(generationId + 1);
    expect(ra.value.members.map((m) => m.memberId).sort()).toEqual([a, c.memberId].sort());
    expect(h.eventsOf('member-removed')).toMatchObject([{ memberId: b, reason: 'rebalance-timeout' }]);
    expect(h.heartbeat(b, generationId + 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  test('a follower rejoining a stable group with the same metadata gets the current generation, no rebalance', async () => {
    h = new GroupHarness();
    const { b, generationId } = await stableGroupOfTwo(h);
    const rb = h.join({ memberId: b });
    await h.settle();
    expect(rb.value).toMatchObject({ errorCode: 0, generationId });
    expect(h.coordinator.describeGroup('g')?.state).toBe('Stable');
  });
});

describe('SyncGroup', () => {
  test('followers wait for the leader; each member gets its own assignment and the group becomes Stable', async () => {
    h = new GroupHarness({ groupInitialRebalanceDelayMs: 10 });
    const a = await h.joinWithId({ clientId: 'a' });
    const b = await h.joinWithId({ clientId: 'b' });
    h.scheduler.advance(30);
    await h.settle();
    const gen = a.response.value.generationId;
    const sb = h.sync(b.memberId, gen);
    await h.settle();
    expect(sb.done).toBe(false);
    const sa = h.sync(a.memberId, gen, {
      [a.memberId]: assignment({ t: [0, 1] }),
      [b.memberId]: assignment({ t: [2] }),
    });
    await h.settle();
    expect(decodeAssignment(sa.value.assignment)).toEqual([{ topic: 't', partitions: [0, 1] }]);
    expect(decodeAssignment(sb.value.assignment)).toEqual([{ topic: 't', partitions: [2] }]);
    expect(h.coordinator.describeGroup('g')?.state).toBe('Stable');
    expect(h.eventsOf('generation-completed').at(-1)).toMatchObject({
      generationId: gen,
      leaderId: a.memberId,
      assignment: [
        { memberId: a.memberId, partitions: [{ topic: 't', partitions: [0, 1] }] },
        { memberId: b.memberId, partitions: [{ topic: 't', partitions: [2] }] },
      ],
    });
  });

  test.each([
    { name: 'an unknown member', member: 'ghost', generation: 0, expected: ErrorCode.UNKNOWN_MEMBER_ID },
    { name: 'a stale generation', member: 'a', generation: -1, expected: ErrorCode.ILLEGAL_GENERATION },
  ])('$name is refused', async ({ member, generation, expected }) => {
    h = new GroupHarness();
    const { a, generationId } = await stableGroupOfTwo(h);
    const sync = h.sync(member === 'a' ? a : member, generation === -1 ? generationId - 1 : generation);
    await h.settle();
    expect(sync.value.errorCode).toBe(expected);
  });

  test('a SyncGroup while the group prepares a rebalance gets REBALANCE_IN_PROGRESS', async () => {
    h = new GroupHarness();
    const { b, generationId } = await stableGroupOfTwo(h);
    await h.joinWithId({ clientId: 'c' });
    const sync = h.sync(b, generationId);
    await h.settle();
    expect(sync.value.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  test('a rebalance starting before the leader syncs tells waiting followers REBALANCE_IN_PROGRESS', async () => {
    h = new GroupHarness({ groupInitialRebalanceDelayMs: 10 });
    const a = await h.joinWithId({ clientId: 'a' });
    const b = await h.joinWithId({ clientId: 'b' });
    h.scheduler.advance(30);
    await h.settle();
    const sb = h.sync(b.memberId, b.response.value.generationId);
    h.coordinator.handleLeaveGroup({ groupId: 'g', memberId: a.memberId, members: [] }, h.context(2));
    await h.settle();
    expect(sb.value.errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });
});

describe('Heartbeat and sessions', () => {
  test.each([
    { name: 'unknown group', group: 'nope', member: 'a', generationDelta: 0, expected: ErrorCode.UNKNOWN_MEMBER_ID },
    { name: 'unknown member', group: 'g', member: 'ghost', generationDelta: 0, expected: ErrorCode.UNKNOWN_MEMBER_ID },
    { name: 'stale generation', group: 'g', member: 'a', generationDelta: -1, expected: ErrorCode.ILLEGAL_GENERATION },
    { name: 'current member', group: 'g', member: 'a', generationDelta: 0, expected: ErrorCode.NONE },
  ])('a heartbeat from a $name answers $expected', async ({ group, member, generationDelta, expected }) => {
    h = new GroupHarness();
    const { a, generationId } = await stableGroupOfTwo(h);
    expect(h.heartbeat(member === 'a' ? a : member, generationId + generationDelta, group)).toBe(expected);
  });

  test('a member that stops heartbeating is removed after its session timeout; the other keeps its session', async () => {
    h = new GroupHarness();
    const { a, b, generationId } = await stableGroupOfTwo(h);
    for (let i = 0; i < 3; i++) {
      h.scheduler.advance(3_000);
      expect(h.heartbeat(a, generationId)).toBe(ErrorCode.NONE);
    }
    expect(h.eventsOf('member-removed')).toEqual([]);
    h.scheduler.advance(3_000); // 12 s since b's last sign of life; its session timeout is 10 s
    expect(h.eventsOf('member-removed')).toMatchObject([{ memberId: b, reason: 'session-timeout' }]);
    expect(h.heartbeat(a, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const ra = h.join({ memberId: a });
    await h.settle();
    expect(ra.value.members.map((m) => m.memberId)).toEqual([a]);
    expect(ra.value.generationId).toBe(generationId + 1);
  });

  test('an id handed out with MEMBER_ID_REQUIRED that never comes back expires after the session timeout', async () => {
    h = new GroupHarness();
    const first = h.join({ sessionTimeoutMs: 5_000 });
    await h.settle();
    expect(first.value.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    h.scheduler.advance(5_000);
    expect(h.eventsOf('member-removed')).toMatchObject([{ memberId: first.value.memberId, reason: 'pending-timeout' }]);
    const late = h.join({ memberId: first.value.memberId });
    await h.settle();
    expect(late.value.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('LeaveGroup', () => {
  test('v0-2: the leaving member is removed and the rest rebalance; an unknown member is the top-level error', async () => {
    h = new GroupHarness();
    const { a, b, generationId } = await stableGroupOfTwo(h);
    expect(h.coordinator.handleLeaveGroup({ groupId: 'g', memberId: b, members: [] }, h.context(2))).toMatchObject({
      errorCode: 0,
    });
    expect(h.eventsOf('member-left')).toMatchObject([{ memberId: b }]);
    expect(h.heartbeat(a, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(h.coordinator.handleLeaveGroup({ groupId: 'g', memberId: b, members: [] }, h.context(2)).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  test('v3: each named member gets its own error', async () => {
    h = new GroupHarness();
    const { a } = await stableGroupOfTwo(h);
    const response = h.coordinator.handleLeaveGroup(
      {
        groupId: 'g',
        memberId: '',
        members: [
          { memberId: a, groupInstanceId: null },
          { memberId: 'ghost', groupInstanceId: null },
        ],
      },
      h.context(3),
    );
    expect(response.errorCode).toBe(0);
    expect(response.members.map((m) => [m.memberId, m.errorCode])).toEqual([
      [a, ErrorCode.NONE],
      ['ghost', ErrorCode.UNKNOWN_MEMBER_ID],
    ]);
  });

  test('when the last member leaves the group becomes Empty with the next generation', async () => {
    h = new GroupHarness();
    const { a, b, generationId } = await stableGroupOfTwo(h);
    h.coordinator.handleLeaveGroup(
      { groupId: 'g', memberId: '', members: [a, b].map((memberId) => ({ memberId, groupInstanceId: null })) },
      h.context(3),
    );
    const group = h.coordinator.describeGroup('g');
    expect(group).toMatchObject({ state: 'Empty', generationId: generationId + 1, members: [] });
    expect(h.eventsOf('group-emptied')).toHaveLength(1);
  });
});

describe('DescribeGroups and ListGroups', () => {
  test('a stable group is described with its protocol, members, metadata and assignments', async () => {
    h = new GroupHarness();
    const { a, b } = await stableGroupOfTwo(h);
    const [group] = h.coordinator.handleDescribeGroups({ groups: ['g'], includeAuthorizedOperations: false }).groups;
    expect(group).toMatchObject({
      errorCode: 0,
      groupId: 'g',
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
    });
    expect(group?.members.map((m) => [m.memberId, m.clientId, decodeAssignment(m.memberAssignment)])).toEqual([
      [a, 'a', [{ topic: 't', partitions: [0, 1] }]],
      [b, 'b', [{ topic: 't', partitions: [2] }]],
    ]);
  });

  test('an unknown group is described as Dead without an error, as Kafka does', () => {
    h = new GroupHarness();
    const [group] = h.coordinator.handleDescribeGroups({ groups: ['nope'], includeAuthorizedOperations: false }).groups;
    expect(group).toMatchObject({ errorCode: 0, groupId: 'nope', groupState: 'Dead', members: [] });
  });

  test('ListGroups lists every live group with its protocol type', async () => {
    h = new GroupHarness();
    await stableGroupOfTwo(h);
    h.commit('', -1, { 't-0': 5n }, 'offsets-only');
    expect(h.coordinator.handleListGroups({}).groups).toEqual([
      { groupId: 'g', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
      { groupId: 'offsets-only', protocolType: '', groupState: 'Empty', groupType: 'classic' },
    ]);
  });

  test('ListGroups v4+ filters by state, case-insensitively, and v5+ by type (every group is classic)', async () => {
    h = new GroupHarness();
    await stableGroupOfTwo(h);
    h.commit('', -1, { 't-0': 5n }, 'offsets-only');
    const ids = (request: object): string[] => h.coordinator.handleListGroups(request).groups.map((g) => g.groupId);
    expect(ids({ statesFilter: ['stable'] })).toEqual(['g']);
    expect(ids({ statesFilter: ['Empty', 'Stable'] })).toEqual(['g', 'offsets-only']);
    expect(ids({ typesFilter: ['consumer'] })).toEqual([]);
    expect(ids({ typesFilter: ['Classic'], statesFilter: ['EMPTY'] })).toEqual(['offsets-only']);
  });

  test('DescribeGroups v6 answers an unknown group with GROUP_ID_NOT_FOUND; older versions describe it as Dead', () => {
    h = new GroupHarness();
    const [v5] = h.coordinator.handleDescribeGroups(
      { groups: ['nobody'], includeAuthorizedOperations: false },
      5,
    ).groups;
    expect(v5).toMatchObject({ errorCode: ErrorCode.NONE, groupState: 'Dead' });
    const [v6] = h.coordinator.handleDescribeGroups(
      { groups: ['nobody'], includeAuthorizedOperations: false },
      6,
    ).groups;
    expect(v6).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: 'Group nobody not found.' });
  });
});

test('before startup and after shutdown every group request gets COORDINATOR_NOT_AVAILABLE', async () => {
  h = new GroupHarness();
  h.coordinator.shutdown();
  const join = h.join();
  await h.settle();
  expect(join.value.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  expect(h.heartbeat('a', 1)).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  expect(
    h.coordinator.handleFindCoordinator({ key: 'g', keyType: 0 }, () => ({ nodeId: 0, host: 'h', port: 1 })).errorCode,
  ).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
});

test('FindCoordinator v4+ answers each of several keys (KIP-699)', () => {
  h = new GroupHarness();
  const self = { nodeId: 3, host: '127.0.0.1', port: 9092 };
  const response = h.coordinator.handleFindCoordinator(
    { key: '', keyType: 0, coordinatorKeys: ['a', 'b'] },
    () => self,
  );
  // Kafka sets each key's message from its Errors value even on success: Errors.NONE.message() is "NONE".
  expect(response.coordinators).toEqual([
    { key: 'a', nodeId: 3, host: '127.0.0.1', port: 9092, errorCode: ErrorCode.NONE, errorMessage: 'NONE' },
    { key: 'b', nodeId: 3, host: '127.0.0.1', port: 9092, errorCode: ErrorCode.NONE, errorMessage: 'NONE' },
  ]);
});

test('FindCoordinator names this broker for groups and refuses transaction coordinators', () => {
  h = new GroupHarness();
  const self = { nodeId: 3, host: '127.0.0.1', port: 9092 };
  expect(h.coordinator.handleFindCoordinator({ key: 'g', keyType: 0 }, () => self)).toMatchObject({
    errorCode: 0,
    ...self,
  });
  expect(h.coordinator.handleFindCoordinator({ key: 'tx', keyType: 1 }, () => self).errorCode).toBe(
    ErrorCode.COORDINATOR_NOT_AVAILABLE,
  );
});

test('when the only member leaves, the group is Empty at once, not after a timer', async () => {
  h = new GroupHarness();
  const a = await h.joinWithId();
  await h.settle();
  h.sync(a.memberId, a.response.value.generationId, {});
  await h.settle();
  h.coordinator.handleLeaveGroup({ groupId: 'g', memberId: a.memberId, members: [] }, h.context(1));
  expect(h.coordinator.describeGroup('g')).toMatchObject({ state: 'Empty', generationId: 2 });
  expect(h.eventsOf('group-emptied')).toHaveLength(1);
});

describe('rejoins', () => {
  test('the leader rejoining a stable group starts a rebalance (it wants to reassign)', async () => {
    h = new GroupHarness();
    const { a, b, generationId } = await stableGroupOfTwo(h);
    const ra = h.join({ memberId: a });
    await h.settle();
    expect(ra.done).toBe(false);
    expect(h.heartbeat(b, generationId)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const rb = h.join({ memberId: b });
    await h.settle();
    expect([ra.value.generationId, rb.value.generationId]).toEqual([generationId + 1, generationId + 1]);
  });

  test('a member resending JoinGroup with the same metadata during CompletingRebalance gets the same generation back', async () => {
    h = new GroupHarness();
    const a = await h.joinWithId();
    await h.settle();
    const again = h.join({ memberId: a.memberId });
    await h.settle();
    expect(again.value).toMatchObject({
      errorCode: 0,
      generationId: a.response.value.generationId,
      leader: a.memberId,
    });
    expect(again.value.members).toHaveLength(1);
    expect(h.heartbeat(a.memberId, a.response.value.generationId)).toBe(ErrorCode.NONE); // CompletingRebalance
  });

  test('a changed subscription during CompletingRebalance starts a new rebalance', async () => {
    h = new GroupHarness();
    const a = await h.joinWithId();
    await h.settle();
    const changed = h.join({ memberId: a.memberId, protocols: [{ name: 'range', metadata: subscription('other') }] });
    await h.settle();
    expect(changed.value.generationId).toBe(a.response.value.generationId + 1);
    expect(h.eventsOf('rebalance-started').at(-1)).toMatchObject({
      reason: expect.stringContaining('changed its subscription'),
    });
  });
});
