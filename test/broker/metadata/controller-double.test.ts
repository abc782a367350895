import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import type { MetadataDelta } from '../../../src/broker/metadata/metadata-delta.js';
import { ControllerDouble } from '../support/controller-double.js';

/** The double must behave like Kafka's controller where broker tests depend on it; these pin that down. */
describe('ControllerDouble (test support)', () => {
  const cluster = () => {
    const controller = new ControllerDouble();
    for (const id of [1, 2, 3]) controller.registerBroker(id);
    const topicId = controller.createTopic('orders', [[1, 2, 3]]);
    return { controller, topicId };
  };

  it('commits an AlterPartition with the current epochs and bumps the partition epoch', async () => {
    const { controller, topicId } = cluster();
    const result = await controller.alterPartitionManager(1).submit({
      topicId,
      topic: 'orders',
      partition: 0,
      proposed: { leader: 1, leaderEpoch: 0, isr: [1, 2], partitionEpoch: 0 },
    });
    expect(result).toEqual({
      errorCode: 0,
      leaderAndIsr: { leader: 1, leaderEpoch: 0, isr: [1, 2], partitionEpoch: 1 },
    });
    expect(controller.image.partition('orders', 0)?.isr).toEqual([1, 2]);
  });

  it('refuses a stale partition epoch, a stale leader epoch and a non-leader, changing nothing', async () => {
    const { controller, topicId } = cluster();
    const submit = (from: number, leaderEpoch: number, partitionEpoch: number) =>
      controller.alterPartitionManager(from).submit({
        topicId,
        topic: 'orders',
        partition: 0,
        proposed: { leader: from, leaderEpoch, isr: [1], partitionEpoch },
      });
    expect((await submit(1, 0, 7)).errorCode).toBe(ErrorCode.INVALID_UPDATE_VERSION);
    expect((await submit(1, 3, 0)).errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    expect((await submit(2, 0, 0)).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(controller.image.partition('orders', 0)?.partitionEpoch).toBe(0);
  });

  it('elects the first live ISR replica in assignment order when the leader is fenced', () => {
    const { controller } = cluster();
    const seen: MetadataDelta[] = [];
    controller.installPublisher({ name: 'spy', onMetadataUpdate: (delta) => seen.push(delta) });
    controller.fenceBroker(1);
    expect(controller.image.partition('orders', 0)).toMatchObject({ leader: 2, leaderEpoch: 1, isr: [2, 3] });
    expect(
      seen
        .at(-1)
        ?.localChanges(2)
        .leaders.map((c) => c.current.leaderEpoch),
    ).toEqual([1]);
  });
});
