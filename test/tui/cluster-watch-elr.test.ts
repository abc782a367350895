import { describe, expect, it } from 'vitest';
import type { PartitionSnapshot } from '../../src/broker/index.js';
import { frameOf, partitionLine } from '../../src/tui/cluster-watch.js';
import type { WatchNode } from '../../src/tui/cluster-watch.js';

function snapshot(p: Partial<PartitionSnapshot>): PartitionSnapshot {
  return {
    topic: 'orders',
    partition: 0,
    role: 'follower',
    leader: 1,
    leaderEpoch: 3,
    partitionEpoch: 7,
    replicas: [1, 2, 3],
    isr: [1],
    elr: [2, 3],
    outOfSync: [2, 3],
    logStartOffset: 0n,
    logEndOffset: 5n,
    highWatermark: 5n,
    followers: [],
    ...p,
  };
}

function node(id: number, partitions: PartitionSnapshot[]): WatchNode {
  return { id, state: 'running', host: '127.0.0.1', port: 9000 + id, pid: 100 + id, dataDir: '/tmp', partitions };
}

describe('the live view’s ELR column (KIP-966)', () => {
  it('shows the ELR the leader’s registration carries, in the plain line', () => {
    const frame = frameOf([node(1, [snapshot({ role: 'leader' })]), node(2, [snapshot({})])], 1000);
    expect(frame.partitions[0]?.elr).toEqual([2, 3]);
    expect(partitionLine(frame.partitions[0]!)).toBe(
      'partition orders-0 leader 1 epoch 3 isr [1] elr [2,3] leo/hw 1:5/5 2:5/5 3:-',
    );
  });

  it('shows the ELR of an offline partition from the freshest replica (empty ISR, leader -1)', () => {
    const offline = snapshot({ role: 'offline', leader: -1, leaderEpoch: 4, isr: [], elr: [1, 2] });
    const frame = frameOf([node(2, [offline]), node(3, [snapshot({ leaderEpoch: 2, elr: [] })])], 1000);
    expect(partitionLine(frame.partitions[0]!)).toContain('leader -1 epoch 4 isr [] elr [1,2]');
  });

  it('shows an empty ELR as [] (ELR off, or the ISR at min.insync.replicas)', () => {
    const frame = frameOf([node(1, [snapshot({ role: 'leader', isr: [1, 2, 3], elr: [] })])], 1000);
    expect(partitionLine(frame.partitions[0]!)).toContain('isr [1,2,3] elr []');
  });
});
