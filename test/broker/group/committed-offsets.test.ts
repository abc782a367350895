import { afterEach, describe, expect, test } from 'vitest';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { buildRecordBatch } from '../../../src/broker/record/record-batch-builder.js';
import { answeredNow, GroupHarness, stableGroupOfTwo } from './group-harness.js';

let h: GroupHarness;
afterEach(() => h?.close());

describe('OffsetCommit', () => {
  test('a member of the current generation commits, and OffsetFetch returns the offsets', async () => {
    h = new GroupHarness();
    const { a, generationId } = await stableGroupOfTwo(h);
    expect(h.commit(a, generationId, { 't-0': 10n, 't-1': 20n })).toEqual([
      ['t-0', 0],
      ['t-1', 0],
    ]);
    expect(h.committed()).toEqual({ 't-0': 10n, 't-1': 20n });
    expect(h.eventsOf('offsets-committed')).toMatchObject([
      {
        memberId: a,
        offsets: [
          { topic: 't', partition: 0, offset: 10n },
          { topic: 't', partition: 1, offset: 20n },
        ],
      },
    ]);
  });

  test.each([
    { name: 'an unknown member', member: 'ghost', generationDelta: 0, expected: ErrorCode.UNKNOWN_MEMBER_ID },
    { name: 'a stale generation', member: 'a', generationDelta: -1, expected: ErrorCode.ILLEGAL_GENERATION },
    { name: 'a future generation', member: 'a', generationDelta: 1, expected: ErrorCode.ILLEGAL_GENERATION },
  ])(
    'a commit from $name is refused with $expected and changes nothing',
    async ({ member, generationDelta, expected }) => {
      h = new GroupHarness();
      const { a, generationId } = await stableGroupOfTwo(h);
      h.commit(a, generationId, { 't-0': 10n });
      const written = h.offsetsTopicEnd();
      const before = h.events.length;
      expect(h.commit(member === 'a' ? a : member, generationId + generationDelta, { 't-0': 99n, 't-2': 5n })).toEqual([
        ['t-0', expected],
        ['t-2', expected],
      ]);
      expect(h.committed()).toEqual({ 't-0': 10n });
      expect(h.offsetsTopicEnd()).toBe(written);
      expect(h.events.length).toBe(before);
    },
  );

  test('a commit with a generation for a group the coordinator does not know is ILLEGAL_GENERATION', () => {
    h = new GroupHarness();
    expect(h.commit('m', 3, { 't-0': 1n }, 'unknown')).toEqual([['t-0', ErrorCode.ILLEGAL_GENERATION]]);
    expect(h.coordinator.handleListGroups({}).groups).toEqual([]);
  });

  test('a commit between JoinGroup and SyncGroup gets REBALANCE_IN_PROGRESS', async () => {
    h = new GroupHarness();
    const join = await h.joinWithId();
    await h.settle();
    const { memberId, generationId } = join.response.value;
    expect(h.commit(memberId, generationId, { 't-0': 1n })).toEqual([['t-0', ErrorCode.REBALANCE_IN_PROGRESS]]);
  });

  test('during PreparingRebalance a current member may still commit what it processed', async () => {
    h = new GroupHarness();
    const { a, generationId } = await stableGroupOfTwo(h);
    await h.joinWithId({ clientId: 'c' });
    expect(h.coordinator.describeGroup('g')?.state).toBe('PreparingRebalance');
    expect(h.commit(a, generationId, { 't-0': 7n })).toEqual([['t-0', 0]]);
  });

  test('generation -1 commits are accepted for a group without members (offsets-only groups, admin resets)', () => {
    h = new GroupHarness();
    expect(h.commit('', -1, { 't-0': 3n }, 'standalone')).toEqual([['t-0', 0]]);
    expect(h.committed('standalone')).toEqual({ 't-0': 3n });
  });

  test.each([
    { name: 'an unknown topic', topic: 'missing', metadata: '', expected: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
    {
      name: 'metadata over offset.metadata.max.bytes',
      topic: 't',
      metadata: 'x'.repeat(4097),
      expected: ErrorCode.OFFSET_METADATA_TOO_LARGE,
    },
  ])('a partition with $name is refused; the others in the request are stored', ({ topic, metadata, expected }) => {
    h = new GroupHarness();
    const response = answeredNow(
      h.coordinator.handleCommitOffsets(
        {
          groupId: 'g',
          generationId: -1,
          memberId: '',
          groupInstanceId: null,
          retentionTimeMs: -1n,
          topics: [
            {
              name: topic,
              partitions: [
                { partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, committedMetadata: metadata },
              ],
            },
            {
              name: 'ok',
              partitions: [
                { partitionIndex: 0, committedOffset: 6n, committedLeaderEpoch: -1, committedMetadata: null },
              ],
            },
          ],
        },
        h.context(7),
      ),
    );
    expect(response.topics.map((t) => [t.name, t.partitions[0]?.errorCode])).toEqual([
      [topic, expected],
      ['ok', 0],
    ]);
    expect(h.committed()).toEqual({ 'ok-0': 6n });
  });
});

describe('OffsetFetch', () => {
  test('a partition without a committed offset answers -1 with no error; unknown groups likewise', async () => {
    h = new GroupHarness();
    h.commit('', -1, { 't-0': 4n });
    for (const groupId of ['g', 'unknown']) {
      const response = h.coordinator.handleFetchOffsets(
        { groupId, topics: [{ name: 't', partitionIndexes: [0, 1] }] },
        h.context(5),
      );
      expect(response.errorCode).toBe(0);
      expect(response.topics[0]?.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.errorCode])).toEqual([
        [0, groupId === 'g' ? 4n : -1n, 0],
        [1, -1n, 0],
      ]);
    }
  });
});

describe('__consumer_offsets', () => {
  test('committed offsets and the group survive a restart of the coordinator (replayed from the log)', async () => {
    h = new GroupHarness();
    const { a, b, generationId } = await stableGroupOfTwo(h);
    h.commit(a, generationId, { 't-0': 10n, 't-1': 11n });
    h.commit(b, generationId, { 't-2': 12n });
    h.commit(a, generationId, { 't-0': 15n }); // a later commit wins on replay
    h.restart();
    expect(h.committed()).toEqual({ 't-0': 15n, 't-1': 11n, 't-2': 12n });
    expect(h.eventsOf('groups-loaded').at(-1)).toMatchObject({ groups: 1, offsets: 3 });
    // The members come back with their session: they may go on heartbeating without rejoining.
    const group = h.coordinator.describeGroup('g');
    expect(group).toMatchObject({ state: 'Stable', generationId, leaderId: a });
    expect(h.heartbeat(b, generationId)).toBe(ErrorCode.NONE);
  });

  test('restored members that never come back expire after their session timeout', async () => {
    h = new GroupHarness();
    const { a, generationId } = await stableGroupOfTwo(h);
    h.commit(a, generationId, { 't-0': 1n });
    h.restart();
    h.scheduler.advance(10_000);
    expect(h.eventsOf('member-removed')).toHaveLength(2);
    await h.settle();
    expect(h.coordinator.describeGroup('g')).toMatchObject({ state: 'Empty', members: [] });
    expect(h.committed()).toEqual({ 't-0': 1n });
  });

  test('a group lives in partition abs(hashCode) % offsets.topic.num.partitions, and only there', () => {
    h = new GroupHarness({ offsetsTopicNumPartitions: 3 });
    h.commit('', -1, { 't-0': 1n }, 'hello');
    // Java: "hello".hashCode() == 99162322; 99162322 % 3 == 1.
    expect(h.coordinator.partitionFor('hello')).toBe(1);
    expect([0, 1, 2].map((p) => h.log(p).logEndOffset)).toEqual([0n, 1n, 0n]);
  });
});

describe('offset expiry', () => {
  test('offsets of a group empty for offsets.retention.minutes expire, and the group with them, surviving restarts', async () => {
    h = new GroupHarness({ offsetsRetentionMinutes: 1, offsetsRetentionCheckIntervalMs: 10_000 });
    const { a, b, generationId } = await stableGroupOfTwo(h);
    h.commit(a, generationId, { 't-0': 10n });
    h.coordinator.handleLeaveGroup(
      { groupId: 'g', memberId: '', members: [a, b].map((memberId) => ({ memberId, groupInstanceId: null })) },
      h.context(3),
    );
    h.scheduler.advance(50_000);
    expect(h.committed()).toEqual({ 't-0': 10n });
    h.scheduler.advance(10_000); // 60 s empty, and a sweep is due
    expect(h.committed()).toEqual({});
    expect(h.eventsOf('offsets-expired')).toMatchObject([{ groupId: 'g', offsets: [{ topic: 't', partition: 0 }] }]);
    expect(h.eventsOf('group-removed')).toHaveLength(1);
    expect(h.coordinator.handleListGroups({}).groups).toEqual([]);
    h.restart();
    expect(h.committed()).toEqual({});
    expect(h.coordinator.handleListGroups({}).groups).toEqual([]);
  });

  test('a group with members keeps its offsets however old they are', async () => {
    h = new GroupHarness({ offsetsRetentionMinutes: 1, offsetsRetentionCheckIntervalMs: 10_000 });
    const { a, b, generationId } = await stableGroupOfTwo(h);
    h.commit(a, generationId, { 't-0': 10n });
    for (let t = 0; t < 120_000; t += 5_000) {
      h.scheduler.advance(5_000);
      h.heartbeat(a, generationId);
      h.heartbeat(b, generationId);
    }
    expect(h.committed()).toEqual({ 't-0': 10n });
  });

  test('offsets-only groups expire offsets by commit time', () => {
    h = new GroupHarness({ offsetsRetentionMinutes: 1 });
    h.commit('', -1, { 't-0': 1n });
    h.scheduler.advance(30_000);
    h.commit('', -1, { 't-1': 2n });
    h.scheduler.advance(30_000);
    h.coordinator.cleanupGroupMetadata();
    expect(h.committed()).toEqual({ 't-1': 2n });
  });
});

describe('programmatic API', () => {
  test('describeGroup shows members, generation, assignment, committed offsets and lag', async () => {
    h = new GroupHarness();
    const { a, b, generationId } = await stableGroupOfTwo(h);
    h.commit(a, generationId, { 't-0': 10n, 't-1': 30n });
    const ends: Record<string, bigint> = { 't-0': 25n, 't-1': 30n, 't-2': 7n };
    const group = h.coordinator.describeGroup('g', (topic, partition) => ends[`${topic}-${partition}`]);
    expect(group).toMatchObject({ state: 'Stable', generationId, leaderId: a, protocolName: 'range' });
    expect(group?.members.map((m) => [m.memberId, m.subscribedTopics, m.assignment])).toEqual([
      [a, ['t'], [{ topic: 't', partitions: [0, 1] }]],
      [b, ['t'], [{ topic: 't', partitions: [2] }]],
    ]);
    expect(group?.offsets.map((o) => [o.partition, o.committedOffset, o.endOffset, o.lag, o.assignedTo])).toEqual([
      [0, 10n, 25n, 15n, a],
      [1, 30n, 30n, 0n, a],
      [2, null, 7n, null, b],
    ]);
  });
});

test('replay skips records no coordinator wrote (a client produced to __consumer_offsets) instead of failing', () => {
  h = new GroupHarness();
  h.commit('', -1, { 't-0': 3n });
  const partition = h.coordinator.partitionFor('g');
  h.log(partition).append(
    buildRecordBatch({
      records: [
        { key: 'not a key', value: 'junk' },
        { key: null, value: 'x' },
      ],
    }),
    { leaderEpoch: 0 },
  );
  h.log(partition).updateHighWatermark(h.log(partition).logEndOffset);
  h.commit('', -1, { 't-1': 4n });
  h.restart();
  expect(h.committed()).toEqual({ 't-0': 3n, 't-1': 4n });
  expect(h.eventsOf('groups-loaded').at(-1)).toMatchObject({ recordsRead: 4, recordsSkipped: 2 });
});
