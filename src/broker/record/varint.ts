/**
 * Zig-zag variable-length integers (protobuf style), the encoding of every field inside a v2 record.
 * Varint covers int32 values (lengths, offset deltas); varlong covers int64 (timestamp deltas) and
 * uses bigint so a hostile 10-byte value cannot silently lose precision.
 */

export class VarintError extends RangeError {
  override readonly name = 'VarintError';
}

export function writeVarint(value: number, out: number[]): void {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** Reads a zig-zag varint at `position`; returns the value and the position after it. */
export function readVarint(bytes: Uint8Array, position: number): [value: number, next: number] {
  let raw = 0;
  let shift = 0;
  let i = position;
  for (;;) {
    if (i >= bytes.length) throw new VarintError(`varint at byte ${position} runs past the end of the record`);
    const b = bytes[i++] as number;
    raw |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new VarintError(`varint at byte ${position} is longer than 5 bytes`);
  }
  raw >>>= 0;
  return [(raw >>> 1) ^ -(raw & 1), i];
}

export function writeVarlong(value: bigint, out: number[]): void {
  let v = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

export function readVarlong(bytes: Uint8Array, position: number): [value: bigint, next: number] {
  let raw = 0n;
  let shift = 0n;
  let i = position;
  for (;;) {
    if (i >= bytes.length) throw new VarintError(`varlong at byte ${position} runs past the end of the record`);
    const b = bytes[i++] as number;
    raw |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) break;
    shift += 7n;
    if (shift > 63n) throw new VarintError(`varlong at byte ${position} is longer than 10 bytes`);
  }
  return [BigInt.asIntN(64, (raw >> 1n) ^ -(raw & 1n)), i];
}
