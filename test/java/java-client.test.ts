import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../src/broker/client/raw-kafka-client.js';
import { fetch } from '../../src/broker/client/request-builders.js';
import { ApiKey } from '../../src/broker/protocol/api-keys.js';
import { KafkaBroker } from '../../src/broker/server/kafka-broker.js';
import { JavaClient } from './run-java.js';

/**
 * The Java reference client (kafka-clients of the Kafka version kq pins) against kq's broker, at the client's
 * defaults: acks=all with enable.idempotence=true (so InitProducerId and sequence numbers), the classic group
 * protocol (group.protocol=classic is the 4.x consumer default), and the admin client.
 */
let broker: KafkaBroker;
let java: JavaClient;
beforeAll(async () => {
  java = JavaClient.compile();
  broker = await KafkaBroker.start({ host: '127.0.0.1', port: 0 });
}, 180_000);
afterAll(async () => {
  await broker?.close();
});

/** The producer id and base sequence of the first batch of a partition, read back over the wire. */
async function firstBatchIdentity(topic: string): Promise<{ producerId: bigint; baseSequence: number }> {
  const client = await RawKafkaClient.connect(broker.port);
  try {
    const response = await client.request(ApiKey.Fetch, 11, fetch(topic, 0n));
    const records = response.responses[0]!.partitions[0]!.records!;
    // record batch v2 header: producerId at byte 43, producerEpoch at 51, baseSequence at 53
    return { producerId: records.readBigInt64BE(43), baseSequence: records.readInt32BE(53) };
  } finally {
    client.close();
  }
}

describe(`Java kafka-clients against kq's broker`, () => {
  it('the default producer (acks=all, idempotence on) writes 100 keyed records, acknowledged in order, as an idempotent producer', async () => {
    const result = await java.run([broker.bootstrap, 'produce', 'java-orders', '100']);
    expect(result).toMatchObject({ acks: 'all (default)', idempotence: 'true (default)' });
    expect(result.partitions).toEqual({ '0': Array.from({ length: 100 }, (_, i) => i) });
    expect(broker.log('java-orders', 0).logEndOffset).toBe(100n);
    const identity = await firstBatchIdentity('java-orders');
    expect(identity.producerId).toBeGreaterThanOrEqual(0n); // an id from InitProducerId, not -1
    expect(identity.baseSequence).toBe(0);
  }, 120_000);

  it('a consumer in a group (classic protocol) reads all 100, commits them, and a restart of the group resumes after the commit', async () => {
    const first = await java.run([broker.bootstrap, 'consume', 'java-orders', 'java-group', '100']);
    expect(first).toMatchObject({ records: 100, distinct: 100, assigned: 1, committedTotal: 100 });
    expect(first.generation).toBeGreaterThanOrEqual(1);
    const again = await java.run([broker.bootstrap, 'consume', 'java-orders', 'java-group', '0']);
    expect(again).toMatchObject({ records: 0, committedTotal: 100 });
  }, 180_000);

  it('the admin client creates, describes, lists, lists offsets, deletes records, describes the group and deletes the topic', async () => {
    const result = await java.run([broker.bootstrap, 'admin', 'java-admin', 'java-group']);
    expect(result).toEqual({
      partitions: 3,
      createAgain: 'TopicExistsException',
      listed: true,
      latestTotal: 6,
      earliestTotal: 1,
      group: { state: 'Empty', type: 'Classic', members: 0 },
      describeDeleted: 'UnknownTopicOrPartitionException',
    });
    expect(broker.topics()).not.toContain('java-admin');
  }, 120_000);
});
