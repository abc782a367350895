/**
 * Record batches exactly as real clients sent them: the Produce requests captured from kcat (librdkafka
 * 2.0.2: plain, keyed, gzip, snappy, lz4, zstd) and kafkajs 2.2.4, copied from
 * test/fixtures/kafka-frames.jsonl (a copy of shared/fixtures) into ./fixtures.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UnifiedLog } from '../../../src/broker/log/unified-log.js';
import { batchesIn, compressionName, validateRecordSet } from '../../../src/broker/record/record-batch.js';
import { tempPartitionDir } from '../log/log-test-kit.js';

interface Frame {
  scenario: string;
  apiVersion: number;
  hex: string;
}

const frames: Frame[] = readFileSync(new URL('./fixtures/produce-requests.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Frame);

/**
 * The `records` of every partition in a Produce request v3-v8 (non-flexible):
 *   header: api_key int16, api_version int16, correlation_id int32, client_id nullable string
 *   body:   transactional_id nullable string, acks int16, timeout_ms int32,
 *           [topic string, [partition int32, records nullable bytes]]
 * A minimal reader for this test only; the protocol codec owns the real one.
 */
function producedRecordSets(frame: Frame): Buffer[] {
  const bytes = Buffer.from(frame.hex, 'hex');
  let p = 8;
  const skipString = () => {
    const length = bytes.readInt16BE(p);
    p += 2 + Math.max(0, length);
  };
  skipString(); // client_id
  skipString(); // transactional_id
  p += 2 + 4; // acks, timeout
  const sets: Buffer[] = [];
  const topics = bytes.readInt32BE(p);
  p += 4;
  for (let t = 0; t < topics; t++) {
    skipString();
    const partitions = bytes.readInt32BE(p);
    p += 4;
    for (let i = 0; i < partitions; i++) {
      const length = bytes.readInt32BE(p + 4);
      p += 8;
      if (length >= 0) sets.push(bytes.subarray(p, p + length));
      p += Math.max(0, length);
    }
  }
  return sets;
}

describe('batches captured from real producers', () => {
  const cases = frames.flatMap((frame, i) =>
    producedRecordSets(frame).map((records, p) => ({ name: `${frame.scenario} frame ${i} partition ${p}`, records })),
  );

  it('includes compressed batches from librdkafka', () => {
    const codecs = new Set(
      cases.flatMap((c) => [...batchesIn(c.records)].map((b) => compressionName(b.compressionCodec))),
    );
    // The kcat-produce-lz4 capture holds batches with codec none (attributes 0): librdkafka sent them
    // plain, so there is no lz4 batch to check here.
    expect([...codecs].sort()).toEqual(['gzip', 'none', 'snappy', 'zstd']);
    expect(cases.length).toBeGreaterThanOrEqual(frames.length);
  });

  it.each(cases)('accepts $name and serves it back unchanged except baseOffset and leader epoch', ({ records }) => {
    expect(validateRecordSet(records, { maxMessageBytes: 1_048_588, fromProducer: true })).toHaveProperty('batches');
    const original = Buffer.from(records);
    const log = UnifiedLog.open(tempPartitionDir());
    log.append(Buffer.from(records), { leaderEpoch: 0 });
    const appended = log.append(Buffer.from(records), { leaderEpoch: 6 });
    const served = log.read(appended.baseOffset, 1 << 20).records;
    expect(served.length).toBe(original.length);
    expect(served.subarray(16).equals(original.subarray(16))).toBe(true);
    expect(served.readBigInt64BE(0)).toBe(appended.baseOffset);
    expect(served.readInt32BE(12)).toBe(6);
    log.close();
  });
});
