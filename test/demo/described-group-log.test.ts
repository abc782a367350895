import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GroupEvent } from '../../src/broker/group/group-events.js';
import { KafkaBroker } from '../../src/broker/server/kafka-broker.js';
import { waitUntilTopicServed } from '../../src/broker/client/topic-readiness.js';
import { DescribedGroupLog, isGeneration, partitionsByMember } from '../../src/demo/described-group-log.js';
import { FAST_GROUP_CONFIG } from '../../src/demo/group-demo-cluster.js';

// A real group on kq's broker, formed by kafkajs consumers, observed only through FindCoordinator + DescribeGroups.
let broker: KafkaBroker;
let kafka: Kafka;
const consumers: Consumer[] = [];
const logs: DescribedGroupLog[] = [];
beforeAll(async () => {
  broker = await KafkaBroker.start({ host: '127.0.0.1', port: 0, config: FAST_GROUP_CONFIG });
  kafka = new Kafka({ brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: false, topics: [{ topic: 't', numPartitions: 2 }] });
  await admin.disconnect();
  await waitUntilTopicServed(broker.bootstrap, ['t']);
});
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close();
  for (const consumer of consumers.splice(0)) await consumer.disconnect();
});
afterAll(() => broker.close());

async function member(groupId: string, clientId: string): Promise<Consumer> {
  const consumer = new Kafka({ brokers: [broker.bootstrap], clientId, logLevel: logLevel.NOTHING }).consumer({
    groupId,
    sessionTimeout: 6000,
    heartbeatInterval: 100,
    maxWaitTimeInMs: 100,
  });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: 't', fromBeginning: true });
  await consumer.run({ eachMessage: async () => undefined });
  return consumer;
}

describe('DescribedGroupLog', () => {
  it('sees each stable assignment as a generation, and a member that leaves as gone', async () => {
    const log = DescribedGroupLog.observe(broker.bootstrap, 'observed');
    logs.push(log);
    await member('observed', 'a');
    const one = await log.waitFor(isGeneration(1), 0, 10_000, 'a generation with 1 member');
    expect(one.assignment.map((a) => a.clientId)).toEqual(['a']);
    expect([...partitionsByMember(one, 't').values()]).toEqual([[0, 1]]);

    const b = await member('observed', 'b');
    const two = await log.waitFor(isGeneration(2), log.mark, 10_000, 'a generation with 2 members');
    expect(two.generationId).toBeGreaterThan(one.generationId);
    expect([...partitionsByMember(two, 't').values()].map((ps) => ps.length)).toEqual([1, 1]);
    const bId = two.assignment.find((a) => a.clientId === 'b')!.memberId;

    const mark = log.mark;
    await b.disconnect();
    const gone = await log.waitFor((e) => e.type === 'member-gone', mark, 10_000, 'b gone');
    expect(gone).toMatchObject({ type: 'member-gone', memberId: bId, clientId: 'b' });
    const after = await log.waitFor(isGeneration(1), mark, 10_000, 'a generation with 1 member again');
    expect([...partitionsByMember(after, 't').values()]).toEqual([[0, 1]]);
  }, 30_000);

  it('times out naming the group and the step that never happened', async () => {
    const log = DescribedGroupLog.observe(broker.bootstrap, 'never-formed');
    logs.push(log);
    await expect(log.waitFor(isGeneration(3), 0, 200, 'a generation with 3 members')).rejects.toThrow(
      /group never-formed: a generation with 3 members/,
    );
  });
});

const generation = (groupId: string, generationId: number, members: Array<[string, number[]]>): GroupEvent => ({
  type: 'generation-completed',
  groupId,
  generationId,
  protocolName: 'range',
  leaderId: members[0]?.[0] ?? null,
  assignment: members.map(([memberId, partitions]) => ({
    memberId,
    clientId: memberId,
    partitions: [{ topic: 't', partitions }],
  })),
  at: Date.now(),
});

describe('partitionsByMember', () => {
  it('lists each member’s partitions of the topic, sorted, with idle members empty', () => {
    const event = generation('g', 3, [
      ['a', [2, 0]],
      ['b', []],
    ]);
    if (event.type !== 'generation-completed') throw new Error('fixture');
    expect(partitionsByMember(event, 't')).toEqual(
      new Map([
        ['a', [0, 2]],
        ['b', []],
      ]),
    );
    expect(partitionsByMember(event, 'other')).toEqual(
      new Map([
        ['a', []],
        ['b', []],
      ]),
    );
  });
});
