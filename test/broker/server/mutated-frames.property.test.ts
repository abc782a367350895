import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';
import { KafkaBroker } from '../../../src/broker/server/kafka-broker.js';
import { RawKafkaClient } from '../../../src/broker/client/raw-kafka-client.js';
import { metadata } from '../../../src/broker/client/request-builders.js';
import { EDGE_INT32, EDGE_UVARINTS, mutate, seedFrames } from '../support/seed-frames.js';
import { sendAndHalfClose } from '../support/send-frame.js';
import type { Mutation } from '../support/seed-frames.js';

const FRAMES_PER_RUN = 100;
const RUNS = 100; // 10,000 mutated frames in all
const PARALLEL = 25;
const seeds = seedFrames();

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('int32' as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(...EDGE_INT32), fc.integer()),
  }),
  fc.record({
    kind: fc.constant('int16' as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(-1, 0, 0x7fff, 99), fc.integer({ min: -32768, max: 32767 })),
  }),
  fc.record({
    kind: fc.constant('append' as const),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant('varint' as const), at: fc.nat(), bytes: fc.constantFrom(...EDGE_UVARINTS) }),
);

/** One frame: a seed, some mutations, and whether to fix the size prefix afterwards (to reach the decoders). */
const frameArb = fc
  .record({
    seed: fc.nat({ max: seeds.length - 1 }),
    mutations: fc.array(mutationArb, { maxLength: 4 }),
    fixSize: fc.boolean(),
  })
  .map(({ seed, mutations, fixSize }) => {
    const frame = mutate(seeds[seed]!, mutations);
    if (fixSize && frame.length >= 4) frame.writeInt32BE(frame.length - 4, 0);
    return frame;
  });

/**
 * Sends each frame on its own connection, PARALLEL at a time. One connection per frame, because the broker
 * rightly closes a connection at its first bad frame: pipelined behind it, later frames would never be read.
 */
async function blast(port: number, frames: Buffer[]): Promise<void> {
  for (let i = 0; i < frames.length; i += PARALLEL) {
    await Promise.all(frames.slice(i, i + PARALLEL).map((frame) => sendAndHalfClose(port, frame)));
  }
}

describe('the broker under mutated frames', () => {
  let broker: KafkaBroker;
  let control: RawKafkaClient;

  beforeAll(async () => {
    broker = await KafkaBroker.start({ config: { 'socket.request.max.bytes': 1_000_000 } });
    control = await RawKafkaClient.connect(broker.port);
  });

  afterAll(async () => {
    control.close();
    await broker.close();
  });

  it(`keeps serving after ${FRAMES_PER_RUN * RUNS} mutated frames of valid requests`, async () => {
    let frames = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frameArb, { minLength: FRAMES_PER_RUN, maxLength: FRAMES_PER_RUN }), async (batch) => {
        frames += batch.length;
        await blast(broker.port, batch);
        // The control connection, open throughout, is still answered after every batch.
        const response = await control.request(ApiKey.ApiVersions, 2, {});
        return response.errorCode === ErrorCode.NONE;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(frames).toBeGreaterThanOrEqual(10_000);
    const metrics = broker.metrics();
    // Most frames must have reached KafkaApis, not just been refused by the framer (measured: ~7,700 of 10,000).
    expect(metrics.requestQueue.totalRequests - RUNS).toBeGreaterThan(5_000);
    const fresh = await RawKafkaClient.connect(broker.port);
    try {
      const answer = await fresh.request(ApiKey.Metadata, 8, metadata(null));
      expect(answer.brokers[0]?.port).toBe(broker.port);
    } finally {
      fresh.close();
    }
  }, 180_000);
});
