import { describe, expect, it } from 'vitest';
import { initProducerIdRequestCodec } from '../../../src/broker/protocol/init-producer-id/request.js';
import { initProducerIdResponseCodec } from '../../../src/broker/protocol/init-producer-id/response.js';
import { uvarint, i16, i32, i64, wire } from '../support/wire-bytes.js';

const str = (s: string | null): Buffer =>
  s === null ? i16(-1) : Buffer.concat([i16(Buffer.byteLength(s)), Buffer.from(s)]);
const cstr = (s: string | null): Buffer =>
  s === null ? uvarint(0) : Buffer.concat([uvarint(Buffer.byteLength(s) + 1), Buffer.from(s)]);
const noTags = uvarint(0);

const idempotent = { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 };
const granted = { throttleTimeMs: 0, errorCode: 0, producerId: 1000n, producerEpoch: 0 };

// Field by field from clients/src/main/resources/common/message/InitProducerId{Request,Response}.json.
const requests: Array<[string, number, object, Buffer]> = [
  ['v0-1: nullable string, int32', 1, idempotent, wire(str(null), i32(60_000))],
  ['v2: compact nullable string, tagged fields', 2, idempotent, wire(cstr(null), i32(60_000), noTags)],
  [
    'v3-5: + producer_id, producer_epoch (what the Java producer sends)',
    5,
    idempotent,
    wire(cstr(null), i32(60_000), i64(-1n), i16(-1), noTags),
  ],
  [
    'v4 with a transactional id and a current id/epoch',
    4,
    { transactionalId: 'tx', transactionTimeoutMs: 1000, producerId: 7n, producerEpoch: 3 },
    wire(cstr('tx'), i32(1000), i64(7n), i16(3), noTags),
  ],
];

const responses: Array<[string, number, object, Buffer]> = [
  ['v0-1', 0, granted, wire(i32(0), i16(0), i64(1000n), i16(0))],
  ['v2-5: the same fields, then tagged fields', 5, granted, wire(i32(0), i16(0), i64(1000n), i16(0), noTags)],
];

describe('InitProducerId golden bytes, v0-5', () => {
  it.each(requests)('request %s', (_, version, value, bytes) => {
    expect(initProducerIdRequestCodec.encode(version, value as never)).toEqual(bytes);
    expect(initProducerIdRequestCodec.decode(version, bytes)).toEqual(value);
  });

  it('a v0-2 request decodes producer_id/epoch as their defaults (-1): no id to resume', () => {
    expect(initProducerIdRequestCodec.decode(2, wire(cstr('tx'), i32(5), noTags))).toMatchObject({
      producerId: -1n,
      producerEpoch: -1,
    });
  });

  it.each(responses)('response %s', (_, version, value, bytes) => {
    expect(initProducerIdResponseCodec.encode(version, value as never)).toEqual(bytes);
    expect(initProducerIdResponseCodec.decode(version, bytes)).toEqual(value);
  });
});
