/**
 * Big-endian field writers for hand-written golden bytes in the protocol tests: one call per field of Kafka's
 * message spec, so an expected frame reads like the spec's grammar. Shared so each test writes only its message.
 */
import { ByteWriter } from '../../../src/broker/protocol/primitives/byte-writer.js';

export const uvarint = (v: number): Buffer => new ByteWriter().writeUVarint(v).toBuffer();
export const i8 = (v: number): Buffer => Buffer.from([v & 0xff]);
export const bool = (v: boolean): Buffer => i8(v ? 1 : 0);
export const i16 = (v: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};
export const i32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
export const i64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
};
export const wire = (...parts: Buffer[]): Buffer => Buffer.concat(parts);

/** Runs `fn` and returns what it threw, or undefined. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e;
  }
}
