import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupEvent } from '../../src/broker/group/group-events.js';
import { KafkaBroker } from '../../src/broker/server/kafka-broker.js';
import { GroupEventLog, isGeneration, partitionsByMember } from '../../src/demo/group-event-log.js';

// The log only listens to the broker's 'group' events, so the tests emit them directly.
let broker: KafkaBroker;
beforeAll(async () => {
  broker = await KafkaBroker.start({ host: '127.0.0.1', port: 0 });
});
afterAll(() => broker.close());

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

describe('GroupEventLog', () => {
  it('waits for a matching event emitted later, ignoring other groups', async () => {
    const log = new GroupEventLog(broker, 'g');
    try {
      const waited = log.waitFor(isGeneration(2), log.mark, 1000, 'two members');
      broker.emit(
        'group',
        generation('other', 1, [
          ['a', [0]],
          ['b', [1]],
        ]),
      );
      broker.emit('group', generation('g', 1, [['a', [0, 1]]]));
      broker.emit(
        'group',
        generation('g', 2, [
          ['a', [0]],
          ['b', [1]],
        ]),
      );
      await expect(waited).resolves.toMatchObject({ groupId: 'g', generationId: 2 });
      expect(log.events.map((e) => ('groupId' in e ? e.groupId : null))).toEqual(['g', 'g']);
    } finally {
      log.close();
    }
  });

  it('finds an event that already happened after the mark, but not one before it', async () => {
    const log = new GroupEventLog(broker, 'h');
    try {
      broker.emit('group', generation('h', 1, [['a', [0]]]));
      const mark = log.mark;
      await expect(log.waitFor(isGeneration(1), 0, 1000, 'one member')).resolves.toMatchObject({ generationId: 1 });
      await expect(log.waitFor(isGeneration(1), mark, 20, 'a second one-member generation')).rejects.toThrow(
        'timed out after 20 ms waiting for group h: a second one-member generation',
      );
    } finally {
      log.close();
    }
  });

  it('stops recording once closed', () => {
    const log = new GroupEventLog(broker, 'k');
    log.close();
    broker.emit('group', generation('k', 1, [['a', [0]]]));
    expect(log.events).toHaveLength(0);
  });
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
