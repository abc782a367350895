import { describe, expect, it } from 'vitest';
import { MetadataDelta } from '../../../src/broker/metadata/metadata-delta.js';
import { MetadataImage } from '../../../src/broker/metadata/metadata-image.js';
import type { PartitionRegistration } from '../../../src/broker/metadata/partition-registration.js';
import { outOfSyncReplicas } from '../../../src/broker/metadata/partition-registration.js';

const reg = (over: Partial<PartitionRegistration> = {}): PartitionRegistration => ({
  topicId: 'id-orders',
  replicas: [1, 2, 3],
  isr: [1, 2, 3],
  leader: 1,
  leaderEpoch: 0,
  partitionEpoch: 0,
  ...over,
});

const withOrders = MetadataImage.EMPTY.withTopic('id-orders', 'orders')
  .withPartition(0, reg())
  .withPartition(1, reg({ replicas: [2, 3, 4], isr: [2, 3, 4], leader: 2 }));

describe('MetadataDelta.localChanges', () => {
  it('lists a new partition under its leader and as followed by the other replicas', () => {
    const delta = MetadataDelta.between(MetadataImage.EMPTY, withOrders);
    const on1 = delta.localChanges(1);
    expect(on1.leaders.map((c) => c.partition)).toEqual([0]);
    expect(on1.followers).toEqual([]);
    const on3 = delta.localChanges(3);
    expect(on3.leaders).toEqual([]);
    expect(on3.followers.map((c) => c.partition)).toEqual([0, 1]);
    expect(on3.followers[0]?.previous).toBeUndefined();
  });

  it('tells the new leader and the old one (now a follower) about an election, with both registrations', () => {
    const next = withOrders.withPartition(0, reg({ leader: 2, leaderEpoch: 1, partitionEpoch: 1 }));
    const delta = MetadataDelta.between(withOrders, next);
    expect(delta.localChanges(2).leaders.map((c) => [c.previous?.leaderEpoch, c.current.leaderEpoch])).toEqual([
      [0, 1],
    ]);
    expect(delta.localChanges(1).followers.map((c) => c.current.leader)).toEqual([2]);
    expect(delta.localChanges(4)).toEqual({ leaders: [], followers: [], deletes: [] });
  });

  it('lists an ISR-only change under the leader so it learns the committed partition epoch', () => {
    const next = withOrders.withPartition(0, reg({ isr: [1, 2], partitionEpoch: 1 }));
    const local = MetadataDelta.between(withOrders, next).localChanges(1);
    expect(local.leaders.map((c) => c.current.partitionEpoch)).toEqual([1]);
    expect(outOfSyncReplicas(local.leaders[0]!.current)).toEqual([3]);
  });

  it('deletes a replica whose topic was removed or which was reassigned away, only on brokers that held it', () => {
    const removed = MetadataDelta.between(withOrders, withOrders.withoutTopic('id-orders'));
    expect(removed.localChanges(4).deletes.map((c) => c.partition)).toEqual([1]);
    expect(removed.localChanges(1).deletes.map((c) => c.partition)).toEqual([0]);
    const moved = MetadataDelta.between(withOrders, withOrders.withPartition(0, reg({ replicas: [1, 2, 5] })));
    expect(moved.localChanges(3).deletes.map((c) => c.partition)).toEqual([0]);
    expect(moved.localChanges(5).followers.map((c) => c.partition)).toEqual([0]);
  });

  it('is empty when only the provenance moved', () => {
    const delta = MetadataDelta.between(withOrders, withOrders.withProvenance({ offset: 9n, epoch: 2 }));
    expect(delta.isEmpty).toBe(true);
  });

  it('reports brokers whose registration changed', () => {
    const broker = { id: 1, epoch: 0n, host: 'h', port: 1, rack: null, fenced: false, inControlledShutdown: false };
    const one = withOrders.withBroker(broker);
    const fenced = one.withBroker({ ...broker, fenced: true });
    expect(MetadataDelta.between(one, fenced).brokerChanges.map((b) => [b.id, b.fenced])).toEqual([[1, true]]);
    expect(fenced.activeBrokers()).toEqual([]);
  });
});

describe('MetadataImage', () => {
  it('finds topics by name and by id, and refuses a second id for one name', () => {
    expect(withOrders.topicById('id-orders')?.name).toBe('orders');
    expect(withOrders.partition('orders', 1)?.leader).toBe(2);
    expect(() => withOrders.withTopic('other-id', 'orders')).toThrow(/already exists/);
  });

  it('is not changed by building the next image from it', () => {
    const next = withOrders.withPartition(0, reg({ leader: 3 }));
    expect(withOrders.partition('orders', 0)?.leader).toBe(1);
    expect(next.partition('orders', 0)?.leader).toBe(3);
  });
});
