import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { RPCProducerIdManager } from '../../../src/broker/transaction/rpc-producer-id-manager.js';
import { ControllerQuorum } from '../support/controller-quorum.js';

describe('QuorumController: AllocateProducerIds (KIP-730)', () => {
  it('hands each broker the next block of 1000 ids, recorded in the metadata log, and a new active controller continues after the last block', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    await q.registerAndUnfence([1, 2, 3]);
    const epoch = (id: number) => q.active.cluster.registration(id)!.epoch;
    const first = await q.active.allocateProducerIds({ brokerId: 2, brokerEpoch: epoch(2) });
    const second = await q.active.allocateProducerIds({ brokerId: 3, brokerEpoch: epoch(3) });
    expect(first).toMatchObject({ errorCode: ErrorCode.NONE, producerIdStart: 0n, producerIdLen: 1000 });
    expect(second).toMatchObject({ errorCode: ErrorCode.NONE, producerIdStart: 1000n, producerIdLen: 1000 });
    await q.elect(2);
    const third = await q.active.allocateProducerIds({ brokerId: 1, brokerEpoch: epoch(1) });
    expect(third).toMatchObject({ errorCode: ErrorCode.NONE, producerIdStart: 2000n });
  });

  it('refuses a broker whose epoch is not its current registration (STALE_BROKER_EPOCH), and answers NOT_CONTROLLER when not active', async () => {
    const q = new ControllerQuorum();
    await q.elect(1);
    await q.registerAndUnfence([1, 2]);
    const stale = await q.active.allocateProducerIds({ brokerId: 2, brokerEpoch: 12345n });
    expect(stale.errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
    const unknown = await q.active.allocateProducerIds({ brokerId: 9, brokerEpoch: 1n });
    expect(unknown.errorCode).toBe(ErrorCode.STALE_BROKER_EPOCH);
    const follower = await q.controller(2).allocateProducerIds({ brokerId: 2, brokerEpoch: 1n });
    expect(follower.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
    // A refused request claims nothing: the next block still starts at 0.
    const ok = await q.active.allocateProducerIds({
      brokerId: 2,
      brokerEpoch: q.active.cluster.registration(2)!.epoch,
    });
    expect(ok.producerIdStart).toBe(0n);
  });
});

describe('RPCProducerIdManager', () => {
  it('hands out its block in order, fetches the next one before the block runs out, and waits for a block when it has none', async () => {
    const asked: number[] = [];
    let next = 0n;
    const manager = new RPCProducerIdManager({
      brokerId: 1,
      brokerEpoch: () => 5n,
      timeoutMs: 1000,
      controller: {
        allocateProducerIds: (request) => {
          asked.push(request.brokerId);
          const producerIdStart = next;
          next += 10n;
          return Promise.resolve({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerIdStart, producerIdLen: 10 });
        },
      },
    });
    const firstAnswer = manager.generateProducerId();
    expect(firstAnswer).toBeInstanceOf(Promise);
    const ids = [await firstAnswer];
    for (let i = 0; i < 9; i++) ids.push(await manager.generateProducerId());
    expect(ids).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
    // Fewer than a tenth of the block left: the next block was asked for before anyone needed it, so the next id
    // is there at once.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(asked).toEqual([1, 1]);
    expect(manager.generateProducerId()).toBe(10n);
  });

  it('answers with an error when no controller gives a block in time', async () => {
    const manager = new RPCProducerIdManager({
      brokerId: 1,
      brokerEpoch: () => 5n,
      timeoutMs: 200,
      retryBackoffMs: 20,
      controller: {
        allocateProducerIds: () =>
          Promise.resolve({
            throttleTimeMs: 0,
            errorCode: ErrorCode.NOT_CONTROLLER,
            producerIdStart: -1n,
            producerIdLen: 0,
          }),
      },
    });
    await expect(manager.generateProducerId()).rejects.toThrow(/NOT_CONTROLLER/);
  });
});
