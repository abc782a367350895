import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { ReplicatedBrokers } from '../support/replicated-brokers.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

let cluster: ReplicatedBrokers | undefined;
let producer: Producer | undefined;
afterEach(async () => {
  await producer?.disconnect();
  producer = undefined;
  await cluster?.close();
  cluster = undefined;
});

/** The values stored in one replica's log of orders-0, in offset order, below its high watermark. */
function committedValues(c: ReplicatedBrokers, id: number): string[] {
  const log = c.broker(id).log('orders', 0);
  const { records } = log.read(log.logStartOffset, 1 << 30, { minOneBatch: true, maxOffset: log.highWatermark });
  return [...batchesIn(records)].flatMap((b) => decodeRecords(b).map((r) => r.value?.toString() ?? ''));
}

describe('kafkajs through a leader failure (in-process brokers, controller double)', () => {
  it('keeps producing with acks=all, RF=3, min.insync.replicas=2: every acknowledged record is stored once, in order, on every survivor', async () => {
    cluster = await ReplicatedBrokers.start(3, { 'replica.fetch.wait.max.ms': 50 });
    cluster.controller.createTopic('orders', [[1, 2, 3]], { 'min.insync.replicas': '2' });
    const bootstrap = [1, 2, 3].map((id) => cluster!.broker(id).bootstrap);
    const kafka = new Kafka({
      clientId: 'failover',
      brokers: bootstrap,
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 50, retries: 20 },
    });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    const acked: string[] = [];
    for (let i = 0; i < 200; i++) {
      if (i === 80) {
        // The leader goes away and the controller fences it: broker 2 (first live ISR replica) takes over.
        await cluster.stopBroker(1);
        cluster.controller.fenceBroker(1);
      }
      const value = `v${i}`;
      await producer.send({ topic: 'orders', acks: -1, timeout: 5000, messages: [{ value }] });
      acked.push(value);
    }
    expect(cluster.controller.image.partition('orders', 0)).toMatchObject({ leader: 2, leaderEpoch: 1 });
    const c = cluster;
    await waitUntil(
      () => committedValues(c, 3).length >= acked.length,
      'broker 3 learns the final high watermark',
      15_000,
    );
    for (const id of [2, 3]) expect(committedValues(cluster, id)).toEqual(acked);
  });
});
