import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../src/broker/protocol/primitives/byte-reader.js';
import { ByteWriter } from '../../../src/broker/protocol/primitives/byte-writer.js';
import { ProtocolDecodeError, ProtocolEncodeError } from '../../../src/broker/protocol/protocol-errors.js';

describe('ByteWriter and ByteReader', () => {
  it('round-trip every primitive at its extremes, big-endian', () => {
    const w = new ByteWriter(1); // start tiny to force several growths
    w.writeInt8(-128)
      .writeInt8(127)
      .writeInt16(-32768)
      .writeInt16(32767)
      .writeInt32(-2147483648)
      .writeInt32(2147483647);
    w.writeUInt32(0xffffffff)
      .writeInt64(-(2n ** 63n))
      .writeInt64(2n ** 63n - 1n)
      .writeBoolean(true)
      .writeBoolean(false);
    w.writeString('')
      .writeString('héllo ✓')
      .writeNullableString(null)
      .writeBytes(Buffer.from([1, 2]))
      .writeNullableBytes(null);
    w.writeArray([1, 2, 3], (iw, v) => iw.writeInt32(v)).writeNullableArray(null, (iw, v: number) => iw.writeInt32(v));
    const r = new ByteReader(w.toBuffer());
    expect([r.readInt8(), r.readInt8(), r.readInt16(), r.readInt16(), r.readInt32(), r.readInt32()]).toEqual([
      -128, 127, -32768, 32767, -2147483648, 2147483647,
    ]);
    expect([r.readUInt32(), r.readInt64(), r.readInt64(), r.readBoolean(), r.readBoolean()]).toEqual([
      0xffffffff,
      -(2n ** 63n),
      2n ** 63n - 1n,
      true,
      false,
    ]);
    expect([r.readString(), r.readString(), r.readNullableString(), r.readBytes(), r.readNullableBytes()]).toEqual([
      '',
      'héllo ✓',
      null,
      Buffer.from([1, 2]),
      null,
    ]);
    expect(r.readArray((ir) => ir.readInt32())).toEqual([1, 2, 3]);
    expect(r.readNullableArray((ir) => ir.readInt32())).toBeNull();
    expect(() => r.expectEnd('test')).not.toThrow();
  });

  it('writes an int32 in network byte order', () => {
    expect(new ByteWriter().writeInt32(0x01020304).toBuffer()).toEqual(Buffer.from([1, 2, 3, 4]));
  });

  it('round-trips varints, zig-zag varints and varlongs (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        (u, s, l) => {
          const r = new ByteReader(new ByteWriter().writeUVarint(u).writeVarint(s).writeVarlong(l).toBuffer());
          return r.readUVarint() === u && r.readVarint() === s && r.readVarlong() === l && r.remaining === 0;
        },
      ),
    );
  });

  it('encodes zig-zag varints like the RecordBatch spec (-1 -> 01, 1 -> 02, 300 -> d8 04)', () => {
    expect(new ByteWriter().writeVarint(-1).writeVarint(1).writeVarint(300).toBuffer().toString('hex')).toBe(
      '0102d804',
    );
  });

  it('references large blobs instead of copying them, and still joins to the same bytes', () => {
    const big = Buffer.alloc(64 * 1024, 7);
    const w = new ByteWriter().writeInt32(1).writeBytes(big).writeInt16(2);
    const chunks = w.toChunks();
    expect(chunks).toContain(big);
    expect(w.length).toBe(4 + 4 + big.length + 2);
    expect(w.toBuffer()).toEqual(
      Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from([0, 1, 0, 0]), big, Buffer.from([0, 2])]),
    );
  });

  it('refuses a string longer than the int16 length allows', () => {
    expect(() => new ByteWriter().writeString('x'.repeat(40000))).toThrow(ProtocolEncodeError);
  });

  it('returns zero-copy views for bytes', () => {
    const frame = Buffer.from([0, 0, 0, 2, 9, 9]);
    const view = new ByteReader(frame).readBytes();
    frame[4] = 1;
    expect(view[0]).toBe(1);
  });
});

describe('ByteReader bounds', () => {
  it.each([
    ['int8', (r: ByteReader) => r.readInt8(), 0],
    ['int16', (r: ByteReader) => r.readInt16(), 1],
    ['int32', (r: ByteReader) => r.readInt32(), 3],
    ['int64', (r: ByteReader) => r.readInt64(), 7],
    ['uint32', (r: ByteReader) => r.readUInt32(), 2],
    ['a varint cut mid-way', (r: ByteReader) => r.readUVarint(), 1],
  ] as const)('reading %s past the end is a ProtocolDecodeError', (_, read, available) => {
    const bytes = Buffer.alloc(available, 0x80);
    expect(() => read(new ByteReader(bytes))).toThrow(ProtocolDecodeError);
  });

  it('refuses a varint longer than five bytes', () => {
    expect(() => new ByteReader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01])).readUVarint()).toThrow(
      ProtocolDecodeError,
    );
  });

  it('honours a window inside a larger buffer', () => {
    const r = new ByteReader(Buffer.from([1, 2, 3, 4, 5, 6]), 2, 4);
    expect(r.readInt16()).toBe(0x0304);
    expect(() => r.readInt8()).toThrow(ProtocolDecodeError);
  });

  it('reports the offset of the bad length in the error', () => {
    const r = new ByteReader(Buffer.from([0, 0, 0x7f, 0xff]));
    r.readInt16();
    expect(() => r.readString()).toThrow(/at byte 2/);
  });
});
