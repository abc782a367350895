import { readFileSync } from 'node:fs';
import { CAPTURED_FRAMES_FILE } from '../../fixtures/captured-frames.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { encodeRequestFrame } from '../../../src/broker/protocol/frames.js';
import {
  batchOf,
  createTopics,
  fetch,
  listOffsets,
  metadata,
  produce,
} from '../../../src/broker/client/request-builders.js';

/**
 * Valid request frames (with their size prefix) to mutate: every request captured from real clients in
 * test/fixtures/kafka-frames.jsonl, plus frames built with kq's codec for each served API. Shared by
 * the property test and `npm run fuzz`.
 */
export function seedFrames(fixtures = CAPTURED_FRAMES_FILE): Buffer[] {
  const seeds: Buffer[] = [];
  try {
    for (const line of readFileSync(fixtures, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const frame = JSON.parse(line) as { dir: string; hex: string };
      if (frame.dir !== 'request') continue;
      const body = Buffer.from(frame.hex, 'hex');
      const size = Buffer.alloc(4);
      size.writeInt32BE(body.length, 0);
      seeds.push(Buffer.concat([size, body]));
    }
  } catch {
    // The fixtures are optional (a checkout outside the workspace); the codec-built frames suffice.
  }
  const header = (apiVersion: number) => ({ apiVersion, correlationId: 1, clientId: 'fuzz' });
  seeds.push(
    encodeRequestFrame(ApiKey.ApiVersions, header(2), {}),
    encodeRequestFrame(ApiKey.ApiVersions, header(3), { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1' }),
    encodeRequestFrame(ApiKey.Metadata, header(8), metadata(['fuzz'])),
    encodeRequestFrame(ApiKey.Metadata, header(0), metadata([])),
    encodeRequestFrame(ApiKey.Produce, header(8), produce('fuzz', batchOf(['a', 'b', 'c'], 'key'))),
    encodeRequestFrame(ApiKey.Produce, header(3), produce('fuzz', batchOf(['d']), { acks: 0 })),
    encodeRequestFrame(ApiKey.Fetch, header(11), fetch('fuzz', 0n)),
    encodeRequestFrame(ApiKey.Fetch, header(4), fetch('fuzz', 0n, { maxBytes: 100 })),
    encodeRequestFrame(ApiKey.ListOffsets, header(5), listOffsets('fuzz', -1n)),
    encodeRequestFrame(
      ApiKey.CreateTopics,
      header(4),
      createTopics([{ name: 'fuzz2', numPartitions: 2, configs: { 'internal.segment.bytes': '4096' } }]),
    ),
    encodeRequestFrame(ApiKey.DeleteTopics, header(3), { topicNames: ['fuzz2'], timeoutMs: 1000 }),
    encodeRequestFrame(ApiKey.CreatePartitions, header(1), {
      topics: [{ name: 'fuzz', count: 2, assignments: null }],
      timeoutMs: 1000,
      validateOnly: true,
    }),
    encodeRequestFrame(ApiKey.FindCoordinator, header(2), { key: 'group', keyType: 0 }),
  );
  return seeds;
}

export type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'int32'; at: number; value: number }
  | { kind: 'int16'; at: number; value: number }
  | { kind: 'append'; bytes: number[] }
  /** Overwrites bytes with an unsigned varint (compact lengths, tag counts and sizes of flexible versions). */
  | { kind: 'varint'; at: number; bytes: readonly number[] };

/** Applies mutations to a copy of `frame`; positions are taken modulo the current length. */
export function mutate(frame: Buffer, mutations: readonly Mutation[]): Buffer {
  let out = Buffer.from(frame);
  for (const m of mutations) {
    if (out.length === 0 && m.kind !== 'append') continue;
    switch (m.kind) {
      case 'flip':
        out.writeUInt8(out.readUInt8(m.at % out.length) ^ (m.xor & 0xff || 1), m.at % out.length);
        break;
      case 'truncate':
        out = out.subarray(0, m.at % out.length);
        break;
      case 'int32':
        if (out.length >= 4) out.writeInt32BE(m.value | 0, m.at % (out.length - 3));
        break;
      case 'int16':
        if (out.length >= 2) out.writeInt16BE(((m.value & 0xffff) << 16) >> 16, m.at % (out.length - 1));
        break;
      case 'append':
        out = Buffer.concat([out, Buffer.from(m.bytes)]);
        break;
      case 'varint': {
        const at = m.at % out.length;
        Buffer.from(m.bytes).copy(out, at, 0, Math.min(m.bytes.length, out.length - at));
        break;
      }
    }
  }
  return out;
}

/** Interesting int32 values for lengths and sizes: null, negative, huge, off-by-one. */
export const EDGE_INT32 = [-1, -2, 0, 1, 0x7fffffff, -0x80000000, 0xffff, 100_000_000, 104_857_601];

/**
 * Interesting unsigned varints: 0 (null / empty), 1, a 2-byte 128, the 32-bit maximum, a 5-byte
 * value above 32 bits, a 6-byte overlong one, and a continuation byte with nothing after it.
 */
export const EDGE_UVARINTS: readonly (readonly number[])[] = [
  [0x00],
  [0x01],
  [0x80, 0x01],
  [0xff, 0xff, 0xff, 0xff, 0x0f],
  [0xff, 0xff, 0xff, 0xff, 0x7f],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
  [0x80],
];
