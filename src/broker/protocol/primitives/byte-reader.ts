import { ProtocolDecodeError } from '../protocol-errors.js';

/**
 * Bounds-checked, big-endian reads from one frame, in the Kafka protocol's primitive types.
 *
 * Every length read from the wire (string, bytes, array) is checked against the bytes that remain
 * BEFORE anything is allocated: a frame that claims a 2 GiB string fails with ProtocolDecodeError in
 * O(1). Bytes and strings are returned as views or copies of the frame; `readBytes` returns a
 * zero-copy subarray, so the caller must copy it if the frame buffer may be reused.
 *
 * Owns only a cursor; not shared between requests. One reader per frame, used by one decode call.
 */
export class ByteReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) {
      throw new RangeError(`ByteReader window ${start}..${end} is outside a buffer of ${buf.length} bytes`);
    }
    this.pos = start;
    this.end = end;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throws unless every byte was consumed: trailing bytes mean the schema and the sender disagree. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) {
      throw new ProtocolDecodeError(`${what}: ${this.end - this.pos} unexpected trailing bytes`, this.pos);
    }
  }

  /** `at` is where the field (or its length prefix) started, so the error points at the lie. */
  private need(n: number, what: string, at = this.pos): void {
    if (n > this.end - this.pos) {
      throw new ProtocolDecodeError(`truncated ${what}: needs ${n} bytes, only ${this.end - this.pos} left`, at);
    }
  }

  /** The int16 `at` bytes past the cursor, without moving it (to choose how to read what follows). */
  peekInt16(at: number): number {
    if (at < 0 || at + 2 > this.end - this.pos) {
      throw new ProtocolDecodeError(
        `truncated int16: needs ${at + 2} bytes, only ${this.end - this.pos} left`,
        this.pos,
      );
    }
    return this.buf.readInt16BE(this.pos + at);
  }

  readInt8(): number {
    this.need(1, 'int8');
    return this.buf.readInt8(this.pos++);
  }

  readBoolean(): boolean {
    return this.readInt8() !== 0;
  }

  readInt16(): number {
    this.need(2, 'int16');
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  readInt32(): number {
    this.need(4, 'int32');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  readUInt16(): number {
    this.need(2, 'uint16');
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  readUInt32(): number {
    this.need(4, 'uint32');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  readInt64(): bigint {
    this.need(8, 'int64');
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  readFloat64(): number {
    this.need(8, 'float64');
    const v = this.buf.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A 16-byte UUID as Kafka's `Uuid.toString()` prints it: 22 characters of unpadded base64url. */
  readUuid(): string {
    this.need(16, 'uuid');
    const s = this.buf.toString('base64url', this.pos, this.pos + 16);
    this.pos += 16;
    return s;
  }

  /** Unsigned LEB128 varint (tagged-field counts and sizes in flexible headers), at most 5 bytes. */
  readUVarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      this.need(1, 'varint');
      const byte = this.buf[this.pos++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffff) throw new ProtocolDecodeError('varint exceeds 32 bits', this.pos);
        return value;
      }
    }
    throw new ProtocolDecodeError('varint longer than 5 bytes', this.pos);
  }

  /** Zig-zag signed varint, the encoding RecordBatch records use for lengths and deltas. */
  readVarint(): number {
    const raw = this.readUVarint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** Zig-zag signed varlong (up to 10 bytes), for record timestamp deltas. */
  readVarlong(): bigint {
    let raw = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      this.need(1, 'varlong');
      const byte = this.buf[this.pos++] as number;
      raw |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return (raw >> 1n) ^ -(raw & 1n);
    }
    throw new ProtocolDecodeError('varlong longer than 10 bytes', this.pos);
  }

  readString(): string {
    const at = this.pos;
    const s = this.readNullableString();
    if (s === null) throw new ProtocolDecodeError('null where a non-nullable string is required', at);
    return s;
  }

  readNullableString(): string | null {
    const at = this.pos;
    const len = this.readInt16();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolDecodeError(`negative string length ${len}`, at);
    this.need(len, `string of ${len} bytes`, at);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /**
   * A compact length (KIP-482): unsigned varint of length + 1, so 0 means null and comes back as -1.
   * A length beyond the bytes left is refused here, before anything is allocated or looped over.
   */
  private readCompactLength(what: string): number {
    const at = this.pos;
    const len = this.readUVarint() - 1;
    if (len > this.end - this.pos) {
      throw new ProtocolDecodeError(`compact ${what} of ${len} cannot fit in ${this.end - this.pos} bytes`, at);
    }
    return len;
  }

  readCompactString(): string {
    const at = this.pos;
    const s = this.readCompactNullableString();
    if (s === null) throw new ProtocolDecodeError('null where a non-nullable compact string is required', at);
    return s;
  }

  readCompactNullableString(): string | null {
    const at = this.pos;
    const len = this.readCompactLength('string length');
    if (len === -1) return null;
    // Kafka caps every string at int16's maximum, compact or not.
    if (len > 0x7fff) throw new ProtocolDecodeError(`compact string of ${len} bytes exceeds 32767`, at);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** Zero-copy: the returned Buffer shares memory with the frame. */
  readCompactBytes(): Buffer {
    const at = this.pos;
    const b = this.readCompactNullableBytes();
    if (b === null) throw new ProtocolDecodeError('null where non-nullable compact bytes are required', at);
    return b;
  }

  /** Zero-copy: the returned Buffer shares memory with the frame. */
  readCompactNullableBytes(): Buffer | null {
    const len = this.readCompactLength('bytes length');
    return len === -1 ? null : this.readRaw(len);
  }

  readCompactArray<T>(readItem: (reader: ByteReader) => T): T[] {
    const at = this.pos;
    const items = this.readCompactNullableArray(readItem);
    if (items === null) throw new ProtocolDecodeError('null where a non-nullable compact array is required', at);
    return items;
  }

  /** Every element takes at least one byte, so the length check also bounds the loop (see readNullableArray). */
  readCompactNullableArray<T>(readItem: (reader: ByteReader) => T): T[] | null {
    const len = this.readCompactLength('array count');
    if (len === -1) return null;
    const items: T[] = [];
    for (let i = 0; i < len; i++) items.push(readItem(this));
    return items;
  }

  /**
   * The next `len` bytes as a reader of their own, and skips them here: a tagged field's value is
   * decoded inside its declared size, so a lie about the size cannot run into the next field.
   */
  window(len: number): ByteReader {
    this.need(len, `${len}-byte field`);
    const sub = new ByteReader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return sub;
  }

  /** Zero-copy: the returned Buffer shares memory with the frame. */
  readBytes(): Buffer {
    const at = this.pos;
    const b = this.readNullableBytes();
    if (b === null) throw new ProtocolDecodeError('null where non-nullable bytes are required', at);
    return b;
  }

  /** Zero-copy: the returned Buffer shares memory with the frame. */
  readNullableBytes(): Buffer | null {
    const at = this.pos;
    const len = this.readInt32();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolDecodeError(`negative bytes length ${len}`, at);
    this.need(len, `bytes of length ${len}`, at);
    return this.readRaw(len);
  }

  /** Exactly `len` bytes with no length prefix, zero-copy. */
  readRaw(len: number): Buffer {
    this.need(len, `${len} raw bytes`);
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  readArray<T>(readItem: (reader: ByteReader) => T): T[] {
    const at = this.pos;
    const items = this.readNullableArray(readItem);
    if (items === null) throw new ProtocolDecodeError('null where a non-nullable array is required', at);
    return items;
  }

  readNullableArray<T>(readItem: (reader: ByteReader) => T): T[] | null {
    const at = this.pos;
    const len = this.readInt32();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolDecodeError(`negative array length ${len}`, at);
    // Every element of every array in the protocol takes at least one byte, so a count above the
    // remaining bytes is a lie; refusing it here keeps a forged count from driving a huge loop.
    if (len > this.end - this.pos) {
      throw new ProtocolDecodeError(`array of ${len} elements cannot fit in ${this.end - this.pos} bytes`, at);
    }
    const items: T[] = [];
    for (let i = 0; i < len; i++) items.push(readItem(this));
    return items;
  }

  skip(n: number): void {
    this.need(n, `${n} skipped bytes`);
    this.pos += n;
  }
}
