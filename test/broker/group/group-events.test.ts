import { expect, test } from 'vitest';
import { describeGroupEvent, type GroupEvent } from '../../../src/broker/group/group-events.js';

const at = 0;
test.each<[GroupEvent['type'], GroupEvent, string]>([
  [
    'member-joined',
    { type: 'member-joined', groupId: 'g', memberId: 'm1', clientId: 'c', at },
    'group g: member m1 (client c) joined',
  ],
  ['member-left', { type: 'member-left', groupId: 'g', memberId: 'm1', at }, 'group g: member m1 left'],
  [
    'member-removed',
    { type: 'member-removed', groupId: 'g', memberId: 'm1', reason: 'session-timeout', at },
    'group g: member m1 removed (session-timeout)',
  ],
  [
    'rebalance-started',
    { type: 'rebalance-started', groupId: 'g', generationId: 2, reason: 'member m2 joined', at },
    'group g: rebalance started after generation 2 (member m2 joined)',
  ],
  [
    'generation-completed',
    {
      type: 'generation-completed',
      groupId: 'g',
      generationId: 3,
      protocolName: 'range',
      leaderId: 'm1',
      at,
      assignment: [
        { memberId: 'm1', clientId: 'c', partitions: [{ topic: 't', partitions: [1, 0] }] },
        { memberId: 'm2', clientId: 'c', partitions: [] },
        { memberId: 'm3', clientId: 'c', partitions: null },
      ],
    },
    'group g: generation 3 completed (range, leader m1): m1 → t-0,t-1; m2 → (nothing); m3 → (opaque)',
  ],
  ['group-emptied', { type: 'group-emptied', groupId: 'g', generationId: 4, at }, 'group g: empty after generation 4'],
  [
    'offsets-committed',
    {
      type: 'offsets-committed',
      groupId: 'g',
      memberId: 'm1',
      generationId: 3,
      offsets: [{ topic: 't', partition: 0, offset: 7n }],
      at,
    },
    'group g: committed t-0@7',
  ],
  [
    'offsets-expired',
    { type: 'offsets-expired', groupId: 'g', offsets: [{ topic: 't', partition: 1 }], at },
    'group g: offsets expired for t-1',
  ],
  ['group-removed', { type: 'group-removed', groupId: 'g', at }, 'group g: removed (no members, no offsets)'],
  [
    'groups-loaded',
    { type: 'groups-loaded', groups: 2, offsets: 5, recordsRead: 9, recordsSkipped: 0, at },
    '__consumer_offsets replayed: 9 records → 2 groups, 5 committed offsets',
  ],
  [
    'groups-loaded',
    { type: 'groups-loaded', groups: 0, offsets: 0, recordsRead: 1, recordsSkipped: 1, at },
    '__consumer_offsets replayed: 1 records → 0 groups, 0 committed offsets (1 unreadable records skipped)',
  ],
])('%s is logged as "%s"', (_type, event, line) => {
  expect(describeGroupEvent(event)).toBe(line);
});
