import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_CODECS, apiCodecFor } from '../../../src/broker/protocol/api-registry.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ProtocolDecodeError } from '../../../src/broker/protocol/protocol-errors.js';
import { decodeRequestHeader } from '../../../src/broker/protocol/request-header.js';
import type { MessageCodec } from '../../../src/broker/protocol/schema/message-codec.js';
import { capturedFrames } from '../../fixtures/captured-frames.js';
import { thrown } from '../support/wire-bytes.js';

// Hostile or broken input must end in ProtocolDecodeError: never a RangeError from Buffer, never
// an allocation or loop sized by a forged length.

const goldenBodies = capturedFrames()
  .filter((f) => f.dir === 'request' && (apiCodecFor(f.apiKey)?.request.supports(f.apiVersion) ?? false))
  .map((f) => {
    const frame = Buffer.from(f.hex, 'hex');
    return { apiKey: f.apiKey, version: f.apiVersion, body: frame.subarray(decodeRequestHeader(frame).bodyOffset) };
  });

// One representative body per (api, version) keeps the truncation sweep fast.
const distinct = [...new Map(goldenBodies.map((g) => [`${g.apiKey}/${g.version}`, g])).values()];

function decodeBody(apiKey: number, version: number, body: Buffer): unknown {
  return apiCodecFor(apiKey)!.request.decode(version, body);
}

describe('truncated requests', () => {
  it.each(distinct.map((g) => [`key ${g.apiKey} v${g.version}`, g] as const))(
    '%s: every strict prefix of a captured body fails with ProtocolDecodeError',
    (_, g) => {
      for (let cut = 0; cut < g.body.length; cut++) {
        expect(
          thrown(() => decodeBody(g.apiKey, g.version, g.body.subarray(0, cut))),
          `cut at ${cut}`,
        ).toBeInstanceOf(ProtocolDecodeError);
      }
    },
  );
});

describe('forged lengths', () => {
  const i32 = (v: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    return b;
  };
  const i16 = (v: number): Buffer => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    return b;
  };

  it.each([
    ['a topics array claiming 2^31-1 elements', ApiKey.DeleteTopics, 0, Buffer.concat([i32(0x7fffffff), i32(0)])],
    ['a negative array count other than -1', ApiKey.DeleteTopics, 0, Buffer.concat([i32(-5), i32(0)])],
    ['a null (-1) array where the spec forbids null', ApiKey.DeleteTopics, 0, Buffer.concat([i32(-1), i32(0)])],
    [
      'a string length of 32767 with 3 bytes left',
      ApiKey.FindCoordinator,
      0,
      Buffer.concat([i16(0x7fff), Buffer.from('abc')]),
    ],
    ['a negative string length other than -1', ApiKey.FindCoordinator, 0, i16(-2)],
    ['a null (-1) non-nullable string', ApiKey.FindCoordinator, 0, i16(-1)],
    [
      'a record set claiming 2 GiB',
      ApiKey.Produce,
      3,
      Buffer.concat([i16(-1), i16(1), i32(0), i32(1), i16(1), Buffer.from('t'), i32(1), i32(0), i32(0x7fffffff)]),
    ],
    [
      'a negative record-set length',
      ApiKey.Produce,
      3,
      Buffer.concat([i16(-1), i16(1), i32(0), i32(1), i16(1), Buffer.from('t'), i32(1), i32(0), i32(-7)]),
    ],
    ['trailing bytes after a complete message', ApiKey.ApiVersions, 2, Buffer.from([0])],
  ] as const)('%s is a ProtocolDecodeError', (_, apiKey, version, body) => {
    const error = thrown(() => decodeBody(apiKey, version, body));
    expect(error).toBeInstanceOf(ProtocolDecodeError);
    expect((error as ProtocolDecodeError).code).toBe('PROTOCOL_DECODE_ERROR');
  });
});

describe('random input (property)', () => {
  const targets = Object.values(API_CODECS).flatMap((api) => {
    const codecs: [string, MessageCodec<object>, number][] = [];
    for (let v = api.info.minVersion; v <= api.info.maxVersion; v++) {
      codecs.push([`${api.info.name} request v${v}`, api.request, v]);
      codecs.push([`${api.info.name} response v${v}`, api.response, v]);
    }
    return codecs;
  });

  it('any byte string decodes or fails with ProtocolDecodeError, for every codec and version', () => {
    fc.assert(
      fc.property(fc.constantFrom(...targets), fc.uint8Array({ maxLength: 96 }), ([, codec, version], bytes) => {
        const error = thrown(() => codec.decode(version, Buffer.from(bytes)));
        return error === undefined || error instanceof ProtocolDecodeError;
      }),
      { numRuns: 3000 },
    );
  });

  it('captured bodies with corrupted bytes decode or fail with ProtocolDecodeError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...distinct),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (golden, edits) => {
          const body = Buffer.from(golden.body);
          for (const [at, value] of edits) if (body.length > 0) body[at % body.length] = value;
          const error = thrown(() => decodeBody(golden.apiKey, golden.version, body));
          return error === undefined || error instanceof ProtocolDecodeError;
        },
      ),
      { numRuns: 2000 },
    );
  });
});
