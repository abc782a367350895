import { afterEach, describe, expect, it } from 'vitest';
import { idempotentBatchOf, initProducerId, produce } from '../../../src/broker/client/request-builders.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { ReplicatedBrokers } from '../support/replicated-brokers.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

let cluster: ReplicatedBrokers | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

describe('idempotent producer across a leader change (in-process brokers, controller double)', () => {
  it('the new leader rebuilt the producer state from replication: a batch retried to it gets its original offset', async () => {
    cluster = await ReplicatedBrokers.start(3, { 'replica.fetch.wait.max.ms': 50 });
    cluster.controller.createTopic('orders', [[1, 2, 3]], { 'min.insync.replicas': '2' });
    const leader = await cluster.client(1);
    const { producerId } = await leader.request(ApiKey.InitProducerId, 4, initProducerId());
    const batch = (seq: number) => idempotentBatchOf([`v${seq}`], { producerId, baseSequence: seq });
    for (let seq = 0; seq < 4; seq++) {
      const r = await leader.request(ApiKey.Produce, 8, produce('orders', batch(seq), { acks: -1 }));
      expect(r.responses[0]?.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: BigInt(seq) });
    }
    // The acknowledgement of seq 3 was lost; the leader dies; broker 2 takes over with leader epoch 1.
    await cluster.stopBroker(1);
    cluster.controller.fenceBroker(1);
    await waitUntil(
      () => cluster!.controller.image.partition('orders', 0)?.leader === 2,
      'broker 2 leads orders-0',
      15_000,
    );
    const newLeader = await cluster.client(2);
    await waitUntil(
      () => cluster!.broker(2).log('orders', 0).logEndOffset === 4n,
      'broker 2 holds all four batches',
      15_000,
    );
    const retry = await newLeader.request(ApiKey.Produce, 8, produce('orders', batch(3), { acks: -1 }));
    expect(retry.responses[0]?.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 3n });
    const next = await newLeader.request(ApiKey.Produce, 8, produce('orders', batch(4), { acks: -1 }));
    expect(next.responses[0]?.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 4n });
    expect(cluster.broker(2).log('orders', 0).logEndOffset).toBe(5n);
  });
});
