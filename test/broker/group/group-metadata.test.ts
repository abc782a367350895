import { describe, expect, test } from 'vitest';
import { partitionForGroup } from '../../../src/broker/group/group-metadata-manager.js';
import {
  GroupMetadata,
  IllegalGroupStateTransitionError,
  type GroupState,
} from '../../../src/broker/group/group-metadata.js';
import {
  decodeGroupMetadataValue,
  decodeOffsetCommitValue,
  decodeOffsetsTopicKey,
  encodeGroupMetadataKey,
  encodeGroupMetadataValue,
  encodeOffsetCommitKey,
  encodeOffsetCommitValue,
} from '../../../src/broker/group/offsets-topic-records.js';

describe('partitionForGroup', () => {
  test.each([
    // Java String.hashCode values: "hello" 99162322; "Aa" and "BB" collide at 2112;
    // "polygenelubricants" hashes to Integer.MIN_VALUE, which Kafka's Utils.abs maps to 0.
    { groupId: 'hello', partitions: 50, expected: 99162322 % 50 },
    { groupId: 'Aa', partitions: 50, expected: 2112 % 50 },
    { groupId: 'BB', partitions: 50, expected: 2112 % 50 },
    { groupId: 'polygenelubricants', partitions: 50, expected: 0 },
    { groupId: '', partitions: 7, expected: 0 },
    // Negative hash codes are made positive: "my-group" is -1906497762 in Java.
    { groupId: 'my-group', partitions: 50, expected: 1906497762 % 50 },
    { groupId: 'zzzzzzzzzz', partitions: 50, expected: 1580979136 % 50 },
  ])('$groupId → partition $expected of $partitions', ({ groupId, partitions, expected }) => {
    expect(partitionForGroup(groupId, partitions)).toBe(expected);
  });
});

describe('__consumer_offsets records', () => {
  test('an offset commit key and value round-trip', () => {
    expect(decodeOffsetsTopicKey(encodeOffsetCommitKey('g', 'orders', 7))).toEqual({
      kind: 'offset',
      group: 'g',
      topic: 'orders',
      partition: 7,
    });
    const value = { offset: 123456789012n, leaderEpoch: 4, metadata: 'm', commitTimestamp: 1_700_000_000_123 };
    expect(decodeOffsetCommitValue(encodeOffsetCommitValue(value))).toEqual(value);
  });

  test('a group metadata key and value round-trip', () => {
    expect(decodeOffsetsTopicKey(encodeGroupMetadataKey('g'))).toEqual({ kind: 'group', group: 'g' });
    const stored = {
      protocolType: 'consumer',
      generationId: 3,
      protocolName: 'range',
      leaderId: 'm1',
      currentStateTimestamp: 42,
      members: [
        {
          memberId: 'm1',
          groupInstanceId: null,
          clientId: 'c',
          clientHost: '/h',
          rebalanceTimeoutMs: 1,
          sessionTimeoutMs: 2,
          subscription: Buffer.from([1]),
          assignment: Buffer.from([2, 3]),
        },
      ],
    };
    expect(decodeGroupMetadataValue(encodeGroupMetadataValue(stored))).toEqual(stored);
  });

  test('the offset commit key has Kafka’s layout: version 1, group, topic, partition', () => {
    expect(encodeOffsetCommitKey('g', 't', 2).toString('hex')).toBe(
      '0001' + '0001' + '67' + '0001' + '74' + '00000002',
    );
  });
});

describe('GroupMetadata state machine', () => {
  const transitions: Array<[GroupState, GroupState, boolean]> = [
    ['Empty', 'PreparingRebalance', true],
    ['Empty', 'Stable', false],
    ['PreparingRebalance', 'CompletingRebalance', true],
    ['PreparingRebalance', 'Empty', true],
    ['CompletingRebalance', 'Stable', true],
    ['CompletingRebalance', 'PreparingRebalance', true],
    ['Stable', 'PreparingRebalance', true],
    ['Stable', 'CompletingRebalance', false],
    ['Dead', 'PreparingRebalance', false],
    ['Stable', 'Dead', true],
  ];
  test.each(transitions)('%s → %s allowed: %s', (from, to, allowed) => {
    const group = new GroupMetadata('g', from, 0);
    if (allowed) {
      group.transitionTo(to, 5);
      expect(group.state).toBe(to);
      expect(group.currentStateTimestamp).toBe(5);
    } else {
      expect(() => group.transitionTo(to, 5)).toThrow(IllegalGroupStateTransitionError);
      expect(group.state).toBe(from);
    }
  });
});
