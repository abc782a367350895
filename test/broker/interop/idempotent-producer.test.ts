import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import {
  createTopics,
  fetch,
  idempotentBatchOf,
  initProducerId,
  produce,
} from '../../../src/broker/client/request-builders.js';
import type { ProducerBatchSpec } from '../../../src/broker/client/request-builders.js';
import { decodeResponseFrame } from '../../../src/broker/protocol/frames.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { batchesIn } from '../../../src/broker/record/record-batch.js';
import { decodeRecords } from '../../../src/broker/record/record-decoder.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';

let broker: KafkaBroker;
let client: RawKafkaClient;
const TOPIC = 'idem';

beforeEach(async () => {
  broker = await KafkaBroker.start();
  client = await RawKafkaClient.connect(broker.port);
  await client.request(ApiKey.CreateTopics, 4, createTopics([{ name: TOPIC }]));
});

afterEach(async () => {
  client.close();
  await broker.close();
});

async function newProducerId(): Promise<bigint> {
  const response = await client.request(ApiKey.InitProducerId, 1, initProducerId());
  expect(response).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
  return response.producerId;
}

async function send(values: string[], producer: ProducerBatchSpec) {
  const response = await client.request(ApiKey.Produce, 8, produce(TOPIC, idempotentBatchOf(values, producer)));
  return response.responses[0]?.partitions[0];
}

async function stored(): Promise<string[]> {
  const response = await client.request(ApiKey.Fetch, 11, fetch(TOPIC, 0n));
  const records = response.responses[0]?.partitions[0]?.records ?? Buffer.alloc(0);
  return [...batchesIn(records)].flatMap((b) => decodeRecords(b).map((r) => r.value?.toString() ?? ''));
}

describe('InitProducerId', () => {
  it('hands out a new, increasing producer id at epoch 0 to every idempotent producer', async () => {
    const ids = [await newProducerId(), await newProducerId(), await newProducerId()];
    expect(ids[1]).toBe((ids[0] as bigint) + 1n);
    expect(ids[2]).toBe((ids[1] as bigint) + 1n);
  });

  it.each([0, 1, 2, 3, 4, 5])('answers v%i (v2+ flexible, v3+ carrying the current id and epoch)', async (version) => {
    const current = { ...initProducerId(), producerId: version >= 3 ? 5n : -1n, producerEpoch: version >= 3 ? 2 : -1 };
    const first = await client.request(ApiKey.InitProducerId, version, current);
    const second = await client.request(ApiKey.InitProducerId, version, current);
    // An idempotent producer always gets a fresh id at epoch 0, whatever id it says it had (as Kafka does).
    expect(first).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
    expect(second.producerId).toBe(first.producerId + 1n);
  });

  it('refuses a producer id without an epoch (or the reverse) with INVALID_REQUEST', async () => {
    const response = await client.request(ApiKey.InitProducerId, 3, { ...initProducerId(), producerId: 5n });
    expect(response).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, producerId: -1n, producerEpoch: -1 });
  });

  it('answers a transactional id NOT_COORDINATOR (no transaction coordinator) and an empty one INVALID_REQUEST', async () => {
    const refused = { producerId: -1n, producerEpoch: -1 };
    expect(await client.request(ApiKey.InitProducerId, 1, initProducerId('payments-tx'))).toMatchObject({
      errorCode: ErrorCode.NOT_COORDINATOR,
      ...refused,
    });
    expect(await client.request(ApiKey.InitProducerId, 0, initProducerId(''))).toMatchObject({
      errorCode: ErrorCode.INVALID_REQUEST,
      ...refused,
    });
  });
});

describe('idempotent produce over the wire', () => {
  it('acknowledges a retried batch with its original offset and error NONE, appending nothing', async () => {
    const producerId = await newProducerId();
    expect(await send(['a'], { producerId, baseSequence: 0 })).toMatchObject({ errorCode: 0, baseOffset: 0n });
    expect(await send(['b', 'c'], { producerId, baseSequence: 1 })).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect(await send(['d'], { producerId, baseSequence: 3 })).toMatchObject({ errorCode: 0, baseOffset: 3n });
    // The response to seq 1-2 was "lost": the producer sends the same batch again.
    expect(await send(['b', 'c'], { producerId, baseSequence: 1 })).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect(await stored()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('prevents reordering: batch n+2 before n+1 is OUT_OF_ORDER_SEQUENCE_NUMBER and not appended', async () => {
    const producerId = await newProducerId();
    await send(['n'], { producerId, baseSequence: 0 });
    expect(await send(['n+2'], { producerId, baseSequence: 2 })).toMatchObject({
      errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
      baseOffset: -1n,
    });
    expect(await send(['n+1'], { producerId, baseSequence: 1 })).toMatchObject({ errorCode: 0, baseOffset: 1n });
    expect(await send(['n+2'], { producerId, baseSequence: 2 })).toMatchObject({ errorCode: 0, baseOffset: 2n });
    expect(await stored()).toEqual(['n', 'n+1', 'n+2']);
  });

  it('refuses a producer id the broker never issued (UNKNOWN_PRODUCER_ID) and never appends it', async () => {
    const issued = await newProducerId();
    expect(await send(['forged'], { producerId: issued + 1000n, baseSequence: 0 })).toMatchObject({
      errorCode: ErrorCode.UNKNOWN_PRODUCER_ID,
    });
    expect(await send(['forged'], { producerId: issued + 1n, baseSequence: 0 })).toMatchObject({
      errorCode: ErrorCode.UNKNOWN_PRODUCER_ID,
    });
    expect(broker.log(TOPIC, 0).logEndOffset).toBe(0n);
    expect(await stored()).toEqual([]);
  });

  it('fences a stale epoch (INVALID_PRODUCER_EPOCH) and an epoch never issued, appending neither', async () => {
    const producerId = await newProducerId();
    await send(['e0'], { producerId, producerEpoch: 0, baseSequence: 0 });
    // The client bumped its epoch (as the Java producer does after an unresolved sequence): sequence restarts at 0.
    expect(await send(['e1'], { producerId, producerEpoch: 1, baseSequence: 0 })).toMatchObject({ errorCode: 0 });
    expect(await send(['zombie'], { producerId, producerEpoch: 0, baseSequence: 1 })).toMatchObject({
      errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
    });
    expect(await send(['negative'], { producerId, producerEpoch: -5, baseSequence: 1 })).toMatchObject({
      errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
    });
    expect(await stored()).toEqual(['e0', 'e1']);
  });

  it('max.in.flight 5 is why the window is 5: five pipelined batches all retried are de-duplicated, a sixth is not', async () => {
    const producerId = await newProducerId();
    const batches = Array.from({ length: 6 }, (_, i) => idempotentBatchOf([`m${i}`], { producerId, baseSequence: i }));
    // Six requests in flight at once on one connection (more than a Kafka producer allows).
    const correlationIds = batches.map((b) => client.send(ApiKey.Produce, 8, produce(TOPIC, Buffer.from(b))));
    const firstOffsets: bigint[] = [];
    for (const id of correlationIds) {
      const { correlationId, response } = decodeResponseFrame(ApiKey.Produce, 8, await client.nextFrame());
      expect(correlationId).toBe(id);
      firstOffsets.push(response.responses[0]?.partitions[0]?.baseOffset ?? -1n);
    }
    expect(firstOffsets).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    // Say every response was lost and the producer retries all its in-flight batches, oldest first. The last five
    // are remembered and answered with their first offsets; the sixth-newest has left the window.
    const answers = [];
    for (const b of batches) {
      const r = await client.request(ApiKey.Produce, 8, produce(TOPIC, Buffer.from(b)));
      answers.push(r.responses[0]?.partitions[0]);
    }
    expect(answers[0]?.errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(answers.slice(1).map((a) => [a?.errorCode, a?.baseOffset])).toEqual(
      [1n, 2n, 3n, 4n, 5n].map((o) => [ErrorCode.NONE, o]),
    );
    expect(await stored()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  });
});
