import { describe, expect, it } from 'vitest';
import { apiVersionsRequestCodec } from '../../../src/broker/protocol/api-versions/request.js';
import { apiVersionsResponseCodec } from '../../../src/broker/protocol/api-versions/response.js';
import { ByteReader } from '../../../src/broker/protocol/primitives/byte-reader.js';
import { ByteWriter } from '../../../src/broker/protocol/primitives/byte-writer.js';
import { ProtocolDecodeError, ProtocolEncodeError } from '../../../src/broker/protocol/protocol-errors.js';
import { decodeRequestHeader, writeRequestHeader } from '../../../src/broker/protocol/request-header.js';
import { MessageCodec, UNKNOWN_TAGGED_FIELDS, ZERO_UUID } from '../../../src/broker/protocol/schema/message-codec.js';
import { uvarint, i16, i32, i64, wire, thrown } from '../support/wire-bytes.js';

// KIP-482 flexible versions: compact lengths (unsigned varint of length + 1, 0 = null) and a
// tagged-field section closing every struct. Expected bytes are written by hand, one field per
// helper call, from Kafka's ApiVersionsRequest.json / ApiVersionsResponse.json.

const cstr = (s: string | null): Buffer =>
  s === null ? uvarint(0) : Buffer.concat([uvarint(Buffer.byteLength(s) + 1), Buffer.from(s)]);
/** A compact array header (count + 1) followed by its already-encoded elements. */
const carr = (...items: Buffer[]): Buffer => Buffer.concat([uvarint(items.length + 1), ...items]);
/** A tagged-field section: count, then tag, size, bytes for each [tag, bytes]. */
const tags = (...fields: [number, Buffer][]): Buffer =>
  Buffer.concat([
    uvarint(fields.length),
    ...fields.flatMap(([tag, bytes]) => [uvarint(tag), uvarint(bytes.length), bytes]),
  ]);

const noFeatures = { supportedFeatures: [], finalizedFeatures: [], zkMigrationReady: false };

describe('flexible versions: golden bytes', () => {
  it('ApiVersions v3 request: two compact strings and an empty tagged-field section (as librdkafka sends)', () => {
    const value = { clientSoftwareName: 'librdkafka', clientSoftwareVersion: '2.0.2' };
    const bytes = wire(cstr('librdkafka'), cstr('2.0.2'), tags());
    expect(bytes.toString('hex')).toBe('0b6c696272646b61666b6106322e302e3200');
    expect(apiVersionsRequestCodec.encode(3, value)).toEqual(bytes);
    expect(apiVersionsRequestCodec.decode(3, bytes)).toEqual(value);
  });

  it('ApiVersions v3 response: compact array of structs each with tags; a known tagged field written as tag 1', () => {
    const value = {
      errorCode: 0,
      apiKeys: [
        { apiKey: 0, minVersion: 0, maxVersion: 11 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ],
      throttleTimeMs: 0,
      ...noFeatures,
      finalizedFeaturesEpoch: 7n,
    };
    const bytes = wire(
      i16(0),
      carr(wire(i16(0), i16(0), i16(11), tags()), wire(i16(18), i16(0), i16(4), tags())),
      i32(0),
      tags([1, i64(7n)]),
    );
    expect(apiVersionsResponseCodec.encode(3, value)).toEqual(bytes);
    expect(apiVersionsResponseCodec.decode(3, bytes)).toEqual(value);
  });

  it('leaves a tagged field at its default off the wire, and decodes its absence as the default', () => {
    const value = { errorCode: 0, apiKeys: [], throttleTimeMs: 0, ...noFeatures, finalizedFeaturesEpoch: -1n };
    const bytes = wire(i16(0), carr(), i32(0), tags());
    expect(apiVersionsResponseCodec.encode(4, value)).toEqual(bytes);
    expect(apiVersionsResponseCodec.decode(4, bytes)).toEqual(value);
  });

  it('writes several tagged fields in ascending tag order whatever the field order', () => {
    const value = {
      errorCode: 0,
      apiKeys: [],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: 3n,
      finalizedFeatures: [],
      zkMigrationReady: true,
    };
    expect(apiVersionsResponseCodec.encode(3, value)).toEqual(
      wire(i16(0), carr(), i32(0), tags([1, i64(3n)], [3, Buffer.from([1])])),
    );
  });
});

/** A small schema exercising every flexible type, with a struct field and a tagged struct. */
const sample = new MessageCodec<Record<string, unknown>>({
  name: 'SampleRequest',
  apiKey: 1000,
  versions: '0-1',
  flexibleVersions: '1+',
  fields: [
    { name: 'name', type: 'string', versions: '0+' },
    { name: 'note', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'topicId', type: 'uuid', versions: '1+' },
    { name: 'payload', type: 'bytes', versions: '0+', nullableVersions: '0+' },
    { name: 'ids', type: '[]int32', versions: '0+', nullableVersions: '0+' },
    {
      name: 'leader',
      type: '{}',
      versions: '1+',
      taggedVersions: '1+',
      tag: 0,
      fields: [
        { name: 'leaderId', type: 'int32', versions: '1+', default: -1 },
        { name: 'leaderEpoch', type: 'int32', versions: '1+', default: -1 },
      ],
    },
    {
      name: 'clusterId',
      type: 'string',
      versions: '1+',
      nullableVersions: '1+',
      taggedVersions: '1+',
      tag: 2,
      default: null,
    },
  ],
});

describe('flexible versions: encodings', () => {
  const uuid = 'AAECAwQFBgcICQoLDA0ODw'; // bytes 00..0f, as Kafka's Uuid.toString() prints them

  it('writes null as 0 and lengths as length + 1 for strings, bytes and arrays; uuids as 16 raw bytes', () => {
    const value = {
      name: 'ab',
      note: null,
      topicId: uuid,
      payload: null,
      ids: null,
      leader: { leaderId: -1, leaderEpoch: -1 },
      clusterId: null,
    };
    const bytes = wire(
      cstr('ab'),
      uvarint(0),
      Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'),
      uvarint(0),
      uvarint(0),
      tags(),
    );
    expect(sample.encode(1, value)).toEqual(bytes);
    expect(sample.decode(1, bytes)).toEqual(value);
  });

  it('decodes a tagged struct and a tagged string, and absent fields as their defaults', () => {
    const bytes = wire(
      cstr('n'),
      cstr('x'),
      Buffer.alloc(16),
      uvarint(3),
      Buffer.from('hi'),
      carr(i32(5)),
      tags([0, wire(i32(2), i32(9), tags())], [2, cstr('c1')]),
    );
    expect(sample.decode(1, bytes)).toEqual({
      name: 'n',
      note: 'x',
      topicId: ZERO_UUID,
      payload: Buffer.from('hi'),
      ids: [5],
      leader: { leaderId: 2, leaderEpoch: 9 },
      clusterId: 'c1',
    });
    expect(sample.encode(1, sample.decode(1, bytes))).toEqual(bytes);
  });

  it('keeps unknown tagged fields through a decode and re-encode, in tag order among the known ones', () => {
    const bytes = wire(
      cstr('n'),
      uvarint(0),
      Buffer.alloc(16),
      uvarint(0),
      uvarint(0),
      tags([1, Buffer.from('??')], [2, cstr('c')], [40, Buffer.alloc(0)]),
    );
    const decoded = sample.decode(1, bytes);
    expect(decoded[UNKNOWN_TAGGED_FIELDS as unknown as string]).toEqual([
      { tag: 1, data: Buffer.from('??') },
      { tag: 40, data: Buffer.alloc(0) },
    ]);
    expect(sample.encode(1, decoded)).toEqual(bytes);
  });

  it('keeps the same fields non-compact in the non-flexible version', () => {
    const value = { name: 'ab', note: null, payload: null, ids: [1] };
    expect(sample.encode(0, value)).toEqual(wire(i16(2), Buffer.from('ab'), i16(-1), i32(-1), i32(1), i32(1)));
  });

  it('refuses a malformed uuid string when encoding', () => {
    expect(() => sample.encode(1, { name: 'a', topicId: 'not-a-uuid' })).toThrow(ProtocolEncodeError);
  });
});

describe('flexible versions: bad input is a ProtocolDecodeError, never an allocation or a long loop', () => {
  const body = (...parts: Buffer[]): Buffer => wire(...parts);
  it.each([
    ['a varint of 6 bytes', body(Buffer.from('ffffffffff01', 'hex'))],
    ['a 5-byte varint above 32 bits', body(Buffer.from('ffffffff7f', 'hex'))],
    ['a varint cut off by the end of the frame', body(Buffer.from('ff', 'hex'))],
    ['a compact string longer than the frame', body(uvarint(1000), Buffer.from('abc'))],
    ['a compact string of 40000 bytes (over the int16 limit)', body(uvarint(40001), Buffer.alloc(40000, 97))],
    ['a null (0) non-nullable compact string', body(uvarint(0))],
    [
      'a compact array claiming 2^32-2 elements',
      body(cstr('n'), uvarint(0), Buffer.alloc(16), uvarint(0), uvarint(0xffffffff)),
    ],
    ['bytes longer than the frame', body(cstr('n'), uvarint(0), Buffer.alloc(16), uvarint(50), Buffer.from('x'))],
    [
      'a tagged-field count that cannot fit',
      body(cstr('n'), uvarint(0), Buffer.alloc(16), uvarint(0), uvarint(0), uvarint(100000)),
    ],
    [
      'a tagged field whose size runs past the frame',
      body(
        cstr('n'),
        uvarint(0),
        Buffer.alloc(16),
        uvarint(0),
        uvarint(0),
        uvarint(1),
        uvarint(9),
        uvarint(0x7fffffff),
      ),
    ],
    [
      'a duplicate tag',
      body(
        cstr('n'),
        uvarint(0),
        Buffer.alloc(16),
        uvarint(0),
        uvarint(0),
        tags([5, Buffer.from('a')], [5, Buffer.from('b')]),
      ),
    ],
    [
      'tags out of order',
      body(
        cstr('n'),
        uvarint(0),
        Buffer.alloc(16),
        uvarint(0),
        uvarint(0),
        tags([6, Buffer.from('a')], [5, Buffer.from('b')]),
      ),
    ],
    [
      'a known tagged field with bytes left over inside its size',
      body(
        cstr('n'),
        uvarint(0),
        Buffer.alloc(16),
        uvarint(0),
        uvarint(0),
        tags([2, wire(cstr('c'), Buffer.from('zz'))]),
      ),
    ],
    [
      'a known tagged field cut short inside its size',
      body(cstr('n'), uvarint(0), Buffer.alloc(16), uvarint(0), uvarint(0), tags([0, i32(1)])),
    ],
    ['a missing tagged-field section', body(cstr('n'), uvarint(0), Buffer.alloc(16), uvarint(0), uvarint(0))],
  ])('%s', (_, bytes) => {
    expect(thrown(() => sample.decode(1, bytes))).toBeInstanceOf(ProtocolDecodeError);
  });
});

describe('request header v2', () => {
  it('is chosen by the API schema (ApiVersions v3+ is flexible): client_id, then tagged fields', () => {
    const w = new ByteWriter();
    writeRequestHeader(w, { apiKey: 18, apiVersion: 3, correlationId: 9, clientId: 'c' });
    // client_id keeps its int16 length even in v2 (RequestHeader.json: flexibleVersions none).
    expect(w.toBuffer().toString('hex')).toBe('00120003000000090001' + '63' + '00');
    expect(decodeRequestHeader(w.toBuffer())).toEqual({
      header: { apiKey: 18, apiVersion: 3, correlationId: 9, clientId: 'c', flexible: true },
      bodyOffset: 12,
    });
  });

  it('fails on a v2 header whose tagged section is missing (a non-flexible header on a flexible request)', () => {
    // ApiVersions v3 with header v1: the decoder reads the first body byte (0x0b) as a tag count.
    const frame = Buffer.from('001200030000000100017a' + '0b6c696272646b61666b6106322e302e3200', 'hex');
    expect(() => {
      const { bodyOffset } = decodeRequestHeader(frame);
      apiVersionsRequestCodec.decode(3, new ByteReader(frame, bodyOffset));
    }).toThrow(ProtocolDecodeError);
  });

  it('fails on a flexible header sent for a non-flexible request (tagged bytes become trailing bytes)', () => {
    const frame = Buffer.from('00120002000000010001' + '7a' + '00', 'hex');
    expect(() => {
      const { bodyOffset } = decodeRequestHeader(frame);
      apiVersionsRequestCodec.decode(2, new ByteReader(frame, bodyOffset));
    }).toThrow(ProtocolDecodeError);
  });
});
