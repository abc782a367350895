import { afterEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { batchOf, fetch, produce } from '../../../src/broker/client/request-builders.js';
import type { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { ReplicatedBrokers } from '../support/replicated-brokers.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { batchesIn, decodeRecords } from '../../../src/broker/index.js';

let cluster: ReplicatedBrokers | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
});

async function produceTo(client: RawKafkaClient, values: string[], acks: number, timeoutMs = 5000) {
  const request = { ...produce('orders', batchOf(values), { acks }), timeoutMs };
  const response = await client.request(ApiKey.Produce, 8, request, timeoutMs + 5000);
  return response.responses[0]!.partitions[0]!;
}

/** Every stored byte of a partition's log on one broker (what a byte-exact comparison compares). */
function logBytes(c: ReplicatedBrokers, id: number): Buffer {
  const log = c.broker(id).log('orders', 0);
  return log.read(log.logStartOffset, 1 << 30, { minOneBatch: true }).records;
}

function state(c: ReplicatedBrokers, id: number) {
  const p = c.broker(id).partition('orders', 0)!;
  return { leo: p.logEndOffset, hw: p.highWatermark, isr: [...p.isr], leader: p.leaderId, epoch: p.leaderEpoch };
}

describe('replication between in-process brokers (controller double)', () => {
  it('acks=all answers once every ISR member has the batch; followers copy it byte for byte and learn the HW', async () => {
    cluster = await ReplicatedBrokers.start(3, { 'replica.fetch.wait.max.ms': 50 });
    cluster.controller.createTopic('orders', [[1, 2, 3]], { 'min.insync.replicas': '2' });
    const client = await cluster.client(1);
    const result = await produceTo(client, ['a', 'b', 'c'], -1);
    expect(result.errorCode).toBe(ErrorCode.NONE);
    expect(result.baseOffset).toBe(0n);
    // The leader answered acks=all only after the HW passed the batch: both followers had fetched it.
    expect(state(cluster, 1)).toMatchObject({ leo: 3n, hw: 3n, isr: [1, 2, 3], leader: 1, epoch: 0 });
    const c = cluster;
    await waitUntil(
      () => [2, 3].every((id) => state(c, id).hw === 3n),
      'the followers learn the high watermark from a fetch response',
      15_000,
    );
    expect(logBytes(cluster, 2).equals(logBytes(cluster, 1))).toBe(true);
    expect(logBytes(cluster, 3).equals(logBytes(cluster, 1))).toBe(true);
  });

  it('refuses acks=all with NOT_ENOUGH_REPLICAS when the ISR is below min.insync.replicas, while acks=1 still works', async () => {
    cluster = await ReplicatedBrokers.start(3);
    cluster.controller.createTopic('orders', [[1, 2, 3]], { 'min.insync.replicas': '2' });
    await cluster.stopBroker(2);
    await cluster.stopBroker(3);
    cluster.controller.fenceBroker(2);
    cluster.controller.fenceBroker(3);
    expect(state(cluster, 1).isr).toEqual([1]);
    const client = await cluster.client(1);
    const refused = await produceTo(client, ['x'], -1);
    expect(refused.errorCode).toBe(ErrorCode.NOT_ENOUGH_REPLICAS);
    expect(cluster.broker(1).log('orders', 0).logEndOffset).toBe(0n);
    const accepted = await produceTo(client, ['y'], 1);
    expect(accepted.errorCode).toBe(ErrorCode.NONE);
    // Kafka ≥ 3.7 (KAFKA-15583): below min ISR the high watermark stays put, so nobody can read it yet.
    expect(state(cluster, 1)).toMatchObject({ leo: 1n, hw: 0n });
  });

  it('times out an acks=all produce with REQUEST_TIMED_OUT when an in-sync follower stops fetching', async () => {
    cluster = await ReplicatedBrokers.start(2);
    cluster.controller.createTopic('orders', [[1, 2]]);
    await cluster.stopBroker(2);
    const client = await cluster.client(1);
    const result = await produceTo(client, ['late'], -1, 300);
    expect(result.errorCode).toBe(ErrorCode.REQUEST_TIMED_OUT);
    // The batch stays in the leader's log: a timed-out acks=all produce may still be committed later.
    expect(state(cluster, 1)).toMatchObject({ leo: 1n, hw: 0n });
  });

  it('drops a follower that stopped fetching from the ISR after replica.lag.time.max.ms and takes it back once caught up', async () => {
    cluster = await ReplicatedBrokers.start(3, {
      'replica.lag.time.max.ms': 400,
      'replica.fetch.wait.max.ms': 50,
    });
    cluster.controller.createTopic('orders', [[1, 2, 3]], { 'min.insync.replicas': '2' });
    const client = await cluster.client(1);
    await cluster.stopBroker(3);
    // As in Kafka, a silent follower that already has everything stays in sync: lag needs data it lacks.
    expect((await produceTo(client, ['while-3-is-down'], 1)).errorCode).toBe(ErrorCode.NONE);
    expect(state(cluster, 1).hw).toBe(0n);
    const c = cluster;
    await waitUntil(() => state(c, 1).isr.join() === '1,2', 'the leader shrinks the ISR to [1, 2]', 10_000);
    // With 3 out of the ISR the high watermark moves on without it.
    expect(state(cluster, 1).hw).toBe(1n);
    expect((await produceTo(client, ['after-shrink'], -1)).errorCode).toBe(ErrorCode.NONE);
    expect(state(cluster, 1).hw).toBe(2n);
    await cluster.startBroker(3);
    await waitUntil(() => state(c, 1).isr.join() === '1,2,3', 'broker 3 catches up and rejoins the ISR', 10_000);
    expect(
      cluster.controller.alterPartitions.map((a) => ({ isr: a.item.proposed.isr, error: a.result.errorCode })),
    ).toEqual([
      { isr: [1, 2], error: 0 },
      { isr: [1, 2, 3], error: 0 },
    ]);
    expect(logBytes(cluster, 3).equals(logBytes(cluster, 1))).toBe(true);
  });

  it('truncates the old leader to the new leader’s epoch boundary after a leader change (divergent logs, byte-exact)', async () => {
    cluster = await ReplicatedBrokers.start(3, { 'replica.fetch.wait.max.ms': 50 });
    cluster.controller.createTopic('orders', [[1, 2, 3]]);
    const c = cluster;
    const client1 = await cluster.client(1);
    expect((await produceTo(client1, ['committed-0', 'committed-1'], -1)).errorCode).toBe(ErrorCode.NONE);
    await waitUntil(() => [2, 3].every((id) => state(c, id).hw === 2n), 'followers have the committed batch', 15_000);
    // The followers stop; the leader takes two acks=1 batches that nobody else gets.
    await cluster.stopBroker(2);
    await cluster.stopBroker(3);
    expect((await produceTo(client1, ['lost-1'], 1)).baseOffset).toBe(2n);
    expect((await produceTo(client1, ['lost-2'], 1)).baseOffset).toBe(3n);
    await cluster.stopBroker(1);
    // Broker 2 becomes leader at epoch 1 and writes different records at the same offsets.
    await cluster.startBroker(2);
    await cluster.startBroker(3);
    cluster.controller.fenceBroker(1);
    expect(state(cluster, 2)).toMatchObject({ leader: 2, epoch: 1 });
    const client2 = await cluster.client(2);
    expect((await produceTo(client2, ['new-2', 'new-3', 'new-4'], 1)).baseOffset).toBe(2n);
    await waitUntil(() => state(c, 3).leo === 5n, 'broker 3 follows the new leader', 15_000);
    // The old leader comes back as a follower: it asks OffsetsForLeaderEpoch(0), learns epoch 0 ends at 2 on the
    // leader, cuts its two unreplicated batches, and fetches the new leader's records.
    const truncations: Array<{ from: bigint; to: bigint }> = [];
    await cluster.startBroker(1);
    cluster.broker(1).on('replica', (e) => {
      if (e.kind === 'truncated') truncations.push({ from: e.from, to: e.to });
    });
    await waitUntil(() => state(c, 1).leo === 5n, 'broker 1 catches up with the new leader', 15_000);
    expect(logBytes(cluster, 1).equals(logBytes(cluster, 2))).toBe(true);
    expect(logBytes(cluster, 3).equals(logBytes(cluster, 2))).toBe(true);
    expect(cluster.broker(1).log('orders', 0).leaderEpochCache.epochEntries()).toEqual([
      { epoch: 0, startOffset: 0n },
      { epoch: 1, startOffset: 2n },
    ]);
    expect(truncations).toEqual([{ from: 4n, to: 2n }]);
  });

  it('a follower serves a consumer from Fetch v11 on (KIP-392) only below its own high watermark, and wakes a parked one when that HW moves', async () => {
    cluster = await ReplicatedBrokers.start(3, { 'replica.fetch.wait.max.ms': 50 });
    cluster.controller.createTopic('orders', [[1, 2, 3]]);
    const c = cluster;
    const leader = await cluster.client(1);
    const follower = await cluster.client(2);
    const consumerFetch = async (client: RawKafkaClient, version: number, offset: bigint, maxWaitMs = 0) => {
      const response = await client.request(ApiKey.Fetch, version, fetch('orders', offset, { maxWaitMs }), 15_000);
      const p = response.responses[0]!.partitions[0]!;
      const values = [...batchesIn(p.records ?? Buffer.alloc(0))].flatMap((b) =>
        decodeRecords(b).map((r) => r.value?.toString()),
      );
      return { errorCode: p.errorCode, highWatermark: p.highWatermark, values };
    };
    expect((await produceTo(leader, ['a', 'b'], -1)).errorCode).toBe(ErrorCode.NONE);
    await waitUntil(() => state(c, 2).hw === 2n, 'follower 2 learns the high watermark 2', 15_000);
    expect(await consumerFetch(follower, 11, 0n)).toEqual({ errorCode: 0, highWatermark: 2n, values: ['a', 'b'] });
    // before v11 a consumer had no rack and no preferred replica: only the leader serves it, as in Kafka
    expect((await consumerFetch(follower, 10, 0n)).errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);

    // A consumer parked at the follower is answered when the follower's HW passes the new record, not at max wait.
    const parked = consumerFetch(follower, 11, 2n, 60_000);
    expect((await produceTo(leader, ['c'], -1)).errorCode).toBe(ErrorCode.NONE);
    expect(await parked).toEqual({ errorCode: 0, highWatermark: 3n, values: ['c'] });

    // Broker 3 stops but stays in the ISR for replica.lag.time.max.ms: an acks=1 record reaches follower 2's log
    // and stays above the HW, so the follower does not serve it.
    await cluster.stopBroker(3);
    expect((await produceTo(leader, ['d'], 1)).errorCode).toBe(ErrorCode.NONE);
    await waitUntil(() => state(c, 2).leo === 4n, 'follower 2 fetches d', 15_000);
    expect(state(cluster, 2).hw).toBe(3n);
    expect(await consumerFetch(follower, 11, 0n)).toEqual({ errorCode: 0, highWatermark: 3n, values: ['a', 'b', 'c'] });
  });
});
