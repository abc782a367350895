import type { Consumer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupTestKit, messages } from './group-test-kit.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

let kit: GroupTestKit;
afterEach(async () => {
  await kit?.close();
});

/** Starts a consumer of `topic` that records every value it is given, and who got it. */
async function runConsumer(
  name: string,
  groupId: string,
  topic: string,
  seen: Map<string, string[]>,
  options: { sessionTimeout?: number } = {},
): Promise<Consumer> {
  const consumer = kit.consumer({ groupId, ...options });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommitThreshold: 1,
    eachMessage: async ({ message }) => {
      const value = message.value?.toString() ?? '';
      seen.set(value, [...(seen.get(value) ?? []), name]);
    },
  });
  return consumer;
}

describe('kafkajs 2.2.4 consumer groups on the mini-broker', () => {
  it('a group of two shares 3 partitions, commits, and rebalances on a leave and on a join without losing a message', async () => {
    kit = await GroupTestKit.start();
    const admin = await kit.admin();
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] });
    const producer = await kit.producer();
    const seen = new Map<string, string[]>();
    const allSeen = (prefix: string, n: number) => () =>
      Array.from({ length: n }, (_, i) => `${prefix}-${i}`).every((v) => seen.has(v));
    const missing = () =>
      `seen ${seen.size} values; generations: ${JSON.stringify(kit.generations('g').map((g) => g.assignment.map((a) => a.partitions)))}`;

    await producer.send({ topic: 'orders', messages: messages('a', 30, 3) });
    const c1 = await runConsumer('c1', 'g', 'orders', seen);
    const c2 = await runConsumer('c2', 'g', 'orders', seen);
    await waitUntil(
      () => kit.broker.group('g')?.state === 'Stable' && kit.broker.group('g')?.members.length === 2,
      'both members share the group',
      15_000,
      { detail: missing },
    );
    await waitUntil(allSeen('a', 30), 'the first 30 messages are consumed', 15_000, { detail: missing });
    const two = kit.broker.group('g');
    expect(two?.members.flatMap((m) => m.assignment?.flatMap((a) => a.partitions) ?? []).sort()).toEqual([0, 1, 2]);

    // c1 leaves: c2 takes all three partitions and consumes what arrives next.
    await c1.disconnect();
    await waitUntil(
      () => kit.events.some((e) => e.type === 'member-left' && e.groupId === 'g'),
      'the broker saw c1 leave',
      15_000,
    );
    await producer.send({ topic: 'orders', messages: messages('b', 30, 3) });
    await waitUntil(allSeen('b', 30), 'c2 consumes the messages sent after c1 left', 15_000, { detail: missing });
    expect(kit.broker.group('g')?.members.map((m) => m.assignment?.flatMap((a) => a.partitions).sort())).toEqual([
      [0, 1, 2],
    ]);

    // c3 joins: the partitions are shared again and nothing sent meanwhile is lost.
    await runConsumer('c3', 'g', 'orders', seen);
    await waitUntil(
      () => kit.broker.group('g')?.state === 'Stable' && kit.broker.group('g')?.members.length === 2,
      'c3 joins the group',
      15_000,
      { detail: missing },
    );
    await producer.send({ topic: 'orders', messages: messages('c', 30, 3) });
    await waitUntil(allSeen('c', 30), 'c2 and c3 consume the last messages', 15_000, { detail: missing });
    expect([...new Set(Array.from({ length: 30 }, (_, i) => seen.get(`c-${i}`)?.[0]))].sort()).toEqual(['c2', 'c3']);

    // Every partition's committed offset reaches its end: the group has no lag.
    await waitUntil(
      () => (kit.broker.group('g')?.offsets ?? []).filter((o) => o.lag === 0n).length === 3,
      'all three partitions are committed to the end',
      15_000,
      {
        detail: () =>
          JSON.stringify(kit.broker.group('g')?.offsets, (_k, v: unknown) =>
            typeof v === 'bigint' ? v.toString() : v,
          ),
      },
    );
    const generations = kit.generations('g').map((g) => g.assignment.length);
    expect(generations).toContain(1);
    expect(generations.at(-1)).toBe(2);
    await c2.disconnect();
  });

  it('a member that stops heartbeating is removed after its session timeout and the other takes its partitions', async () => {
    kit = await GroupTestKit.start();
    const admin = await kit.admin();
    await admin.createTopics({ topics: [{ topic: 'slow', numPartitions: 2 }] });
    const producer = await kit.producer();
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const seen = new Map<string, string[]>();

    // The stuck member blocks inside eachMessage: kafkajs heartbeats only between messages, so it goes silent.
    const stuck = kit.consumer({ groupId: 'h', sessionTimeout: 1_500 });
    await stuck.connect();
    await stuck.subscribe({ topic: 'slow', fromBeginning: true });
    let stuckMember = '';
    await stuck.run({ eachMessage: () => blocked });
    await waitUntil(() => kit.broker.group('h')?.state === 'Stable', 'the first member is Stable', 15_000);
    stuckMember = kit.broker.group('h')?.members[0]?.memberId ?? '';
    const healthy = await runConsumer('healthy', 'h', 'slow', seen, { sessionTimeout: 1_500 });
    await waitUntil(
      () => kit.broker.group('h')?.members.length === 2 && kit.broker.group('h')?.state === 'Stable',
      'both members are in the group',
      15_000,
    );
    await producer.send({ topic: 'slow', messages: messages('s', 10, 2) });

    await waitUntil(
      () =>
        kit.events.some(
          (e) => e.type === 'member-removed' && e.memberId === stuckMember && e.reason === 'session-timeout',
        ),
      'the silent member is removed after its session timeout',
      15_000,
    );
    await waitUntil(
      () => Array.from({ length: 10 }, (_, i) => `s-${i}`).every((v) => seen.has(v)),
      'the healthy member consumes every partition',
      15_000,
    );
    const group = kit.broker.group('h');
    expect(group?.members.map((m) => m.assignment?.flatMap((a) => a.partitions).sort())).toEqual([[0, 1]]);
    expect(new Set([...seen.values()].map((by) => by[0]))).toEqual(new Set(['healthy']));
    release();
    await healthy.disconnect();
  });

  it('admin fetchOffsets, describeGroups and listGroups show the group', async () => {
    kit = await GroupTestKit.start();
    const admin = await kit.admin();
    await admin.createTopics({ topics: [{ topic: 'seen', numPartitions: 2 }] });
    const producer = await kit.producer();
    await producer.send({ topic: 'seen', messages: messages('x', 6, 2) });
    const seen = new Map<string, string[]>();
    const consumer = await runConsumer('only', 'audit', 'seen', seen);
    await waitUntil(
      () => kit.broker.group('audit')?.offsets.filter((o) => o.lag === 0n).length === 2,
      'the consumer commits both partitions',
      15_000,
    );

    const offsets = await admin.fetchOffsets({ groupId: 'audit', topics: ['seen'] });
    expect(offsets).toEqual([
      {
        topic: 'seen',
        partitions: expect.arrayContaining([
          { partition: 0, offset: '3', metadata: null },
          { partition: 1, offset: '3', metadata: null },
        ]),
      },
    ]);
    const { groups } = await admin.describeGroups(['audit']);
    expect(groups).toMatchObject([
      { groupId: 'audit', state: 'Stable', protocolType: 'consumer', protocol: 'RoundRobinAssigner', errorCode: 0 },
    ]);
    expect(groups[0]?.members).toHaveLength(1);
    expect(groups[0]?.members[0]).toMatchObject({ clientId: 'kq-group-test', clientHost: '/127.0.0.1' });
    expect((await admin.listGroups()).groups).toEqual([{ groupId: 'audit', protocolType: 'consumer' }]);
    await consumer.disconnect();
  });

  it('a group of 10 members settles although the broker has only 2 request handlers', async () => {
    kit = await GroupTestKit.start({ config: { 'num.io.threads': 2 } });
    const admin = await kit.admin();
    await admin.createTopics({ topics: [{ topic: 'wide', numPartitions: 10 }] });
    const seen = new Map<string, string[]>();
    for (let i = 0; i < 10; i++) await runConsumer(`c${i}`, 'wide-group', 'wide', seen);
    await waitUntil(
      () => kit.broker.group('wide-group')?.state === 'Stable' && kit.broker.group('wide-group')?.members.length === 10,
      'all 10 members share the group',
      30_000,
    );
    const owned = kit.broker.group('wide-group')?.members.map((m) => m.assignment?.flatMap((a) => a.partitions).length);
    expect(owned).toEqual(Array.from({ length: 10 }, () => 1));
  });
});
