import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { batchOf, fetch, produce } from '../../../src/broker/client/request-builders.js';
import type { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { ReplicatedBrokers } from '../support/replicated-brokers.js';
import { waitUntil, withTimeout } from '../../../src/broker/utils/wait-until.js';

/**
 * A leader that was frozen (SIGSTOP, a long GC pause) or cut off wakes up still believing it leads: its metadata
 * has not caught up with the election that replaced it. These tests hold one broker's metadata in the controller
 * double (its RPCs still reach the controller, as a thawed node's do) and check Kafka's fencing rules on it.
 */
let cluster: ReplicatedBrokers | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

function send(client: RawKafkaClient, values: string[], acks: number, timeoutMs: number) {
  const request = { ...produce('orders', batchOf(values), { acks }), timeoutMs };
  return client
    .request(ApiKey.Produce, 8, request, timeoutMs + 30_000)
    .then((response) => response.responses[0]!.partitions[0]!);
}

function state(c: ReplicatedBrokers, id: number) {
  const p = c.broker(id).partition('orders', 0)!;
  return { leader: p.leaderId, epoch: p.leaderEpoch, isr: [...p.isr], hw: p.highWatermark, leo: p.logEndOffset };
}

function logValues(c: ReplicatedBrokers, id: number): string[] {
  const log = c.broker(id).log('orders', 0);
  const records = log.read(log.logStartOffset, 1 << 30, { minOneBatch: true }).records;
  return [...records.toString('latin1').matchAll(/(committed|zombie|successor)-\d/g)].map((m) => m[0]);
}

describe('a deposed leader that has not heard of its successor (Kafka’s fencing by leader epoch)', () => {
  it('cannot acknowledge acks=all even with a follower still fetching from it; answers NOT_LEADER_OR_FOLLOWER once it learns, and truncates', async () => {
    cluster = await ReplicatedBrokers.start(3, {
      'replica.fetch.wait.max.ms': 50,
      'replica.fetch.backoff.ms': 50,
      'replica.lag.time.max.ms': 300,
    });
    const c = cluster;
    c.controller.createTopic('orders', [[1, 2, 3]], { 'min.insync.replicas': '2' });
    const client1 = await c.client(1);
    expect((await send(client1, ['committed-0'], -1, 10_000)).errorCode).toBe(ErrorCode.NONE);
    await waitUntil(
      () => [2, 3].every((id) => state(c, id).hw === 1n),
      'both followers have the committed record and its high watermark',
      30_000,
    );

    // Broker 1 (the leader) and broker 3 stop hearing metadata; the controller fences 1 and elects 2 at epoch 1.
    // Broker 3 keeps following broker 1 at epoch 0: a follower fetching from a deposed leader.
    c.controller.holdMetadata(1);
    c.controller.holdMetadata(3);
    c.controller.fenceBroker(1);
    expect(state(c, 2)).toMatchObject({ leader: 2, epoch: 1, isr: [2, 3] });
    expect(state(c, 1)).toMatchObject({ leader: 1, epoch: 0 });

    // The zombie takes an acks=all write: it appends it, and broker 3 (still at epoch 0) fetches it.
    const zombie = send(client1, ['zombie-1'], -1, 120_000);
    let zombieAnswer: number | undefined;
    zombie.then(
      (r) => (zombieAnswer = r.errorCode),
      () => undefined, // a failed test closes the connection under it; the assertions below report that
    );
    await waitUntil(
      () => state(c, 3).leo === 2n,
      'broker 3, still following the deposed leader, fetches the zombie write',
      30_000,
    );
    // Broker 2 no longer fetches from broker 1, so the maximal ISR [1, 2, 3] can never all hold offset 1; the
    // zombie tries to shrink its ISR to [1, 3] through AlterPartition, and the controller refuses (its leader
    // epoch 0 is fenced): an ISR change counts only once the controller committed it (KIP-497).
    await waitUntil(
      () => c.controller.alterPartitions.some((a) => a.from === 1 && a.result.errorCode !== ErrorCode.NONE),
      'the deposed leader’s ISR shrink to be refused by the controller',
      30_000,
    );
    expect(c.controller.alterPartitions.filter((a) => a.from === 1 && a.result.errorCode === ErrorCode.NONE)).toEqual(
      [],
    );
    expect(state(c, 1)).toMatchObject({ leader: 1, epoch: 0, isr: [1, 2, 3], hw: 1n, leo: 2n });
    expect(zombieAnswer).toBeUndefined();

    // KIP-320 on Fetch: the new leader fences a fetcher at the old epoch; the deposed leader does not know the new one.
    const client2 = await c.client(2);
    const stale = await client2.request(ApiKey.Fetch, 12, fetch('orders', 0n, { currentLeaderEpoch: 0 }), 30_000);
    expect(stale.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.FENCED_LEADER_EPOCH);
    // (Another connection: broker 1 reads nothing more from client1's while the zombie produce is parked there.)
    const ahead = await (
      await c.client(1)
    ).request(ApiKey.Fetch, 12, fetch('orders', 0n, { currentLeaderEpoch: 1 }), 30_000);
    expect(ahead.responses[0]!.partitions[0]!.errorCode).toBe(ErrorCode.UNKNOWN_LEADER_EPOCH);

    // Broker 3 hears of the election: it truncates the zombie write (OffsetsForLeaderEpoch: epoch 0 ends at 1 on
    // the new leader), follows broker 2 and is in its ISR (again: broker 2 may have shrunk it away meanwhile).
    c.controller.releaseMetadata(3);
    await waitUntil(
      () => state(c, 2).isr.join() === '2,3' && state(c, 3).leo === 1n && state(c, 3).leader === 2,
      'broker 3 to follow broker 2, without the zombie write, in its ISR',
      30_000,
      {
        detail: () =>
          JSON.stringify(
            [2, 3].map((id) => state(c, id)),
            (_, v: unknown) => String(v),
          ),
      },
    );
    // The successor gives offset 1 to a write of its own, acknowledged by the ISR [2, 3].
    const successor = await withTimeout(
      send(client2, ['successor-1'], -1, 120_000),
      'the successor’s acks=all write to be acknowledged',
      30_000,
    );
    expect(successor).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: 1n });
    expect(zombieAnswer).toBeUndefined();

    // The zombie learns: its parked produce is answered at once, long before its 120 s timeout, with
    // NOT_LEADER_OR_FOLLOWER (Kafka's DelayedProduce on leadership loss); it truncates its write and follows.
    c.controller.releaseMetadata(1);
    const answer = await withTimeout(zombie, 'the deposed leader to answer its parked produce', 30_000);
    expect(answer.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    await waitUntil(
      () => [1, 3].every((id) => logValues(c, id).join() === 'committed-0,successor-1'),
      'brokers 1 and 3 to drop the zombie write and hold the successor’s',
      30_000,
      { detail: () => JSON.stringify([1, 2, 3].map((id) => logValues(c, id))) },
    );
    expect(logValues(c, 2)).toEqual(['committed-0', 'successor-1']);
  }, 120_000);
});
