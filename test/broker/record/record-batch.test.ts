import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRecordBatch, type RecordSpec } from '../../../src/broker/record/record-batch-builder.js';
import {
  batchesIn,
  MAGIC_V2,
  RECORD_BATCH_OVERHEAD,
  RecordBatch,
  readBatchAt,
  validateBatch,
  validateRecordSet,
} from '../../../src/broker/record/record-batch.js';
import { decodeRecords, UnsupportedCompressionError } from '../../../src/broker/record/record-decoder.js';
import { InvalidRecordBatchError, StorageErrorCode } from '../../../src/broker/record/storage-errors.js';
import { kafkajsBatch, kafkajsDecode, KafkajsCompression } from './kafkajs-codec.js';

const T0 = 1_700_000_000_000;

function sampleBatch(): Buffer {
  return buildRecordBatch({
    records: [
      { key: 'k0', value: 'v0', timestamp: T0, headers: [{ key: 'h', value: Buffer.from('x') }] },
      { key: null, value: 'v1', timestamp: T0 + 5 },
      { key: 'k2', value: null, timestamp: T0 + 2 },
    ],
  });
}

describe('RecordBatch header view', () => {
  it('reads every header field of a built batch', () => {
    const bytes = sampleBatch();
    const batch = new RecordBatch(bytes);
    expect({
      baseOffset: batch.baseOffset,
      sizeInBytes: batch.sizeInBytes,
      partitionLeaderEpoch: batch.partitionLeaderEpoch,
      magic: batch.magic,
      compressionCodec: batch.compressionCodec,
      timestampType: batch.timestampType,
      isTransactional: batch.isTransactional,
      isControl: batch.isControl,
      lastOffsetDelta: batch.lastOffsetDelta,
      baseTimestamp: batch.baseTimestamp,
      maxTimestamp: batch.maxTimestamp,
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      recordCount: batch.recordCount,
      lastOffset: batch.lastOffset,
    }).toEqual({
      baseOffset: 0n,
      sizeInBytes: bytes.length,
      partitionLeaderEpoch: -1,
      magic: MAGIC_V2,
      compressionCodec: 0,
      timestampType: 'CreateTime',
      isTransactional: false,
      isControl: false,
      lastOffsetDelta: 2,
      baseTimestamp: T0,
      maxTimestamp: T0 + 5,
      producerId: -1n,
      producerEpoch: -1,
      baseSequence: -1,
      recordCount: 3,
      lastOffset: 2n,
    });
  });

  it('keeps the CRC valid after rewriting baseOffset and partitionLeaderEpoch in place', () => {
    const bytes = sampleBatch();
    const batch = new RecordBatch(bytes);
    batch.setBaseOffset(123_456_789_012n);
    batch.setPartitionLeaderEpoch(7);
    expect(validateBatch(bytes)).toBeNull();
    expect(batch.baseOffset).toBe(123_456_789_012n);
    expect(batch.partitionLeaderEpoch).toBe(7);
    expect(batch.lastOffset).toBe(123_456_789_014n);
  });
});

describe('validateBatch', () => {
  it('accepts batches from our encoder and from kafkajs, plain and gzip', async () => {
    const messages = [
      { key: 'a', value: 'one', timestamp: T0, headers: { trace: 'x' } },
      { key: null, value: 'two', timestamp: T0 + 1 },
    ];
    for (const bytes of [
      sampleBatch(),
      await kafkajsBatch(messages),
      await kafkajsBatch(messages, KafkajsCompression.gzip),
    ]) {
      expect(validateBatch(bytes, { maxMessageBytes: 1_048_588, fromProducer: true })).toBeNull();
    }
  });

  type Damage = { name: string; damage: (b: Buffer) => Buffer; code: keyof typeof StorageErrorCode; options?: object };
  const damages: Damage[] = [
    { name: 'a flipped bit in a record', damage: (b) => flip(b, b.length - 3), code: 'CORRUPT_MESSAGE' },
    {
      name: 'a flipped bit in the attributes (CRC-covered header)',
      damage: (b) => flip(b, 22),
      code: 'CORRUPT_MESSAGE',
    },
    { name: 'a stored CRC that does not match', damage: (b) => flip(b, 18), code: 'CORRUPT_MESSAGE' },
    { name: 'magic byte 1', damage: (b) => set8(b, 16, 1), code: 'CORRUPT_MESSAGE' },
    { name: 'a missing last byte', damage: (b) => b.subarray(0, b.length - 1), code: 'CORRUPT_MESSAGE' },
    { name: 'an extra trailing byte', damage: (b) => Buffer.concat([b, Buffer.from([0])]), code: 'CORRUPT_MESSAGE' },
    { name: 'a length below the header size', damage: (b) => set32(b, 8, 10), code: 'CORRUPT_MESSAGE' },
    { name: 'a negative length', damage: (b) => set32(b, 8, -1), code: 'CORRUPT_MESSAGE' },
    { name: 'only 5 bytes', damage: (b) => b.subarray(0, 5), code: 'CORRUPT_MESSAGE' },
    {
      name: 'a size above message.max.bytes',
      damage: (b) => b,
      code: 'MESSAGE_TOO_LARGE',
      options: { maxMessageBytes: 64 },
    },
    {
      name: 'a producer baseOffset other than 0',
      damage: (b) => set64(b, 0, 5n),
      code: 'INVALID_RECORD',
      options: { fromProducer: true },
    },
    {
      name: 'a recordCount that disagrees with lastOffsetDelta',
      damage: (b) => recrc(set32(b, 57, 2)),
      code: 'INVALID_RECORD',
      options: { fromProducer: true },
    },
    {
      name: 'an unknown compression codec',
      damage: (b) => recrc(set16(b, 21, 6)),
      code: 'INVALID_RECORD',
      options: { fromProducer: true },
    },
    {
      name: 'more records than the bytes can hold',
      damage: (b) => recrc(set32(set32(b, 57, 1000), 23, 999)),
      code: 'INVALID_RECORD',
      options: { fromProducer: true },
    },
    {
      name: 'a control batch from a producer',
      damage: (b) => recrc(set16(b, 21, 0x20)),
      code: 'INVALID_RECORD',
      options: { fromProducer: true },
    },
  ];

  it.each(damages)('rejects $name with $code', ({ damage, code, options }) => {
    const error = validateBatch(damage(sampleBatch()), options);
    expect(error).toBeInstanceOf(InvalidRecordBatchError);
    expect(error?.errorName).toBe(code);
    expect(error?.code).toBe(StorageErrorCode[code]);
  });

  it('does not apply producer rules to stored batches unless asked', () => {
    expect(validateBatch(set64(sampleBatch(), 0, 5n))).toBeNull();
  });
});

describe('record sets', () => {
  it('iterates every batch of a concatenated record set', () => {
    const a = buildRecordBatch({ records: [{ value: 'a' }] });
    const b = sampleBatch();
    const set = Buffer.concat([a, b]);
    const check = validateRecordSet(set, { fromProducer: true });
    expect('batches' in check && check.batches.map((x) => x.sizeInBytes)).toEqual([a.length, b.length]);
    expect([...batchesIn(set)].map((x) => x.recordCount)).toEqual([1, 3]);
  });

  it('rejects the whole set when any batch is bad and reports where', () => {
    const a = buildRecordBatch({ records: [{ value: 'a' }] });
    const set = Buffer.concat([a, flip(sampleBatch(), 70)]);
    const check = validateRecordSet(set);
    expect('error' in check && check.error.position).toBe(a.length);
  });

  it('stops iterating at an incomplete tail', () => {
    const a = sampleBatch();
    const set = Buffer.concat([a, a.subarray(0, 40)]);
    expect([...batchesIn(set)]).toHaveLength(1);
    expect(readBatchAt(set, a.length)).toBeInstanceOf(InvalidRecordBatchError);
  });
});

describe('record encoding', () => {
  const recordArb: fc.Arbitrary<RecordSpec> = fc.record({
    key: fc.option(fc.string(), { nil: null }),
    value: fc.option(
      fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      { nil: null },
    ),
    headers: fc.array(
      fc.record({
        key: fc.string(),
        value: fc.option(
          fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)),
          { nil: null },
        ),
      }),
      { maxLength: 3 },
    ),
    timestamp: fc.integer({ min: T0 - 1_000_000, max: T0 + 1_000_000 }),
  });

  it('decodes exactly what it encoded, and kafkajs decodes the same', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordArb, { minLength: 1, maxLength: 8 }),
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        async (specs, base) => {
          const bytes = buildRecordBatch({ records: specs, baseOffset: base });
          expect(validateBatch(bytes)).toBeNull();
          const decoded = decodeRecords(new RecordBatch(bytes));
          const expected = specs.map((s, i) => ({
            offset: base + BigInt(i),
            timestamp: s.timestamp,
            key: s.key === null || s.key === undefined ? null : Buffer.from(s.key),
            value: s.value === null ? null : Buffer.from(s.value),
            headers: s.headers,
          }));
          expect(decoded).toEqual(expected);
          const theirs = await kafkajsDecode(bytes);
          expect(theirs.records.map((r) => [r.offset, r.timestamp, r.value])).toEqual(
            expected.map((r) => [String(r.offset), String(r.timestamp), r.value]),
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('decodes the records of a kafkajs batch', async () => {
    const bytes = await kafkajsBatch([
      { key: 'a', value: 'one', timestamp: T0, headers: { trace: 'x' } },
      { key: null, value: 'two', timestamp: T0 + 9 },
    ]);
    const decoded = decodeRecords(new RecordBatch(bytes));
    expect(
      decoded.map((r) => [
        r.offset,
        r.timestamp,
        r.key?.toString() ?? null,
        r.value?.toString(),
        r.headers.map((h) => h.key),
      ]),
    ).toEqual([
      [0n, T0, 'a', 'one', ['trace']],
      [1n, T0 + 9, null, 'two', []],
    ]);
  });

  it('refuses to decode a compressed batch with a clear error', async () => {
    const bytes = await kafkajsBatch([{ key: null, value: 'z', timestamp: T0 }], KafkajsCompression.gzip);
    expect(() => decodeRecords(new RecordBatch(bytes))).toThrow(UnsupportedCompressionError);
  });

  it('reports a malformed record as INVALID_RECORD', () => {
    const bytes = sampleBatch();
    bytes.writeUInt8(0x7f, RECORD_BATCH_OVERHEAD); // first record claims 63 bytes
    expect(() => decodeRecords(new RecordBatch(bytes))).toThrow(/Malformed record/);
  });
});

function flip(b: Buffer, at: number): Buffer {
  const copy = Buffer.from(b);
  copy[at] = (copy[at] as number) ^ 0x01;
  return copy;
}
function set8(b: Buffer, at: number, v: number): Buffer {
  const c = Buffer.from(b);
  c.writeInt8(v, at);
  return c;
}
function set16(b: Buffer, at: number, v: number): Buffer {
  const c = Buffer.from(b);
  c.writeInt16BE(v, at);
  return c;
}
function set32(b: Buffer, at: number, v: number): Buffer {
  const c = Buffer.from(b);
  c.writeInt32BE(v, at);
  return c;
}
function set64(b: Buffer, at: number, v: bigint): Buffer {
  const c = Buffer.from(b);
  c.writeBigInt64BE(v, at);
  return c;
}
/** Re-seals a deliberately edited batch so only the semantic rule under test fails. */
function recrc(b: Buffer): Buffer {
  b.writeUInt32BE(new RecordBatch(b).computeChecksum(), 17);
  return b;
}
