import { ProtocolEncodeError } from '../protocol-errors.js';

/** Byte blobs at least this large are referenced, not copied (see `writeRaw`). */
const ZERO_COPY_THRESHOLD = 4096;
const INITIAL_CAPACITY = 512;

/**
 * Growable big-endian writer for the Kafka protocol's primitive types.
 *
 * Small fields go into one scratch buffer that doubles when full (amortised O(1), no per-field
 * Buffer.concat). Large blobs, such as the record batches of a Fetch response, are not copied: the
 * scratch written so far is sealed as a chunk and the blob itself becomes the next chunk, so
 * `toChunks()` can hand stored batches to `socket.write` untouched, the analogue of Kafka's
 * sendfile read path. `toBuffer()` joins the chunks with a single copy when one Buffer is needed.
 *
 * Owned by one encode call; blobs passed to `writeRaw` must not be mutated until the output is sent.
 */
export class ByteWriter {
  private scratch: Buffer;
  private pos = 0;
  private readonly sealed: Buffer[] = [];
  private sealedLength = 0;

  constructor(initialCapacity = INITIAL_CAPACITY) {
    this.scratch = Buffer.allocUnsafe(initialCapacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.sealedLength + this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.scratch.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, this.pos + n, INITIAL_CAPACITY));
    this.scratch.copy(grown, 0, 0, this.pos);
    this.scratch = grown;
  }

  writeInt8(v: number): this {
    this.ensure(1);
    this.scratch.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  writeBoolean(v: boolean): this {
    return this.writeInt8(v ? 1 : 0);
  }

  writeInt16(v: number): this {
    this.ensure(2);
    this.scratch.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  writeInt32(v: number): this {
    this.ensure(4);
    this.scratch.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  writeUInt16(v: number): this {
    this.ensure(2);
    this.scratch.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  writeUInt32(v: number): this {
    this.ensure(4);
    this.scratch.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  writeInt64(v: bigint): this {
    this.ensure(8);
    this.scratch.writeBigInt64BE(v, this.pos);
    this.pos += 8;
    return this;
  }

  writeFloat64(v: number): this {
    this.ensure(8);
    this.scratch.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  /** A UUID in Kafka's `Uuid.toString()` form (22 characters of unpadded base64url) as its 16 bytes. */
  writeUuid(s: string): this {
    const b = Buffer.from(s, 'base64url');
    if (b.length !== 16 || b.toString('base64url') !== s) {
      throw new ProtocolEncodeError(`not a base64url UUID of 16 bytes: "${s}"`);
    }
    return this.writeRaw(b);
  }

  writeUVarint(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new ProtocolEncodeError(`unsigned varint out of range: ${v}`);
    }
    let rest = v;
    while (rest >= 0x80) {
      this.writeUInt8((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    return this.writeUInt8(rest);
  }

  writeVarint(v: number): this {
    return this.writeUVarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  writeVarlong(v: bigint): this {
    let rest = (v << 1n) ^ (v >> 63n);
    rest = BigInt.asUintN(64, rest);
    while (rest >= 0x80n) {
      this.writeUInt8(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    return this.writeUInt8(Number(rest));
  }

  private writeUInt8(v: number): this {
    this.ensure(1);
    this.scratch[this.pos++] = v;
    return this;
  }

  writeString(s: string): this {
    const len = Buffer.byteLength(s, 'utf8');
    if (len > 0x7fff) throw new ProtocolEncodeError(`string of ${len} bytes exceeds the int16 length limit`);
    this.ensure(2 + len);
    this.scratch.writeInt16BE(len, this.pos);
    this.scratch.write(s, this.pos + 2, len, 'utf8');
    this.pos += 2 + len;
    return this;
  }

  writeNullableString(s: string | null): this {
    return s === null ? this.writeInt16(-1) : this.writeString(s);
  }

  /** KIP-482 compact string: unsigned varint of length + 1, then UTF-8; null is a single 0. */
  writeCompactNullableString(s: string | null): this {
    if (s === null) return this.writeUVarint(0);
    const len = Buffer.byteLength(s, 'utf8');
    if (len > 0x7fff) throw new ProtocolEncodeError(`string of ${len} bytes exceeds the 32767-byte limit`);
    this.writeUVarint(len + 1);
    this.ensure(len);
    this.scratch.write(s, this.pos, len, 'utf8');
    this.pos += len;
    return this;
  }

  writeCompactNullableBytes(b: Buffer | null): this {
    if (b === null) return this.writeUVarint(0);
    this.writeUVarint(b.length + 1);
    return this.writeRaw(b);
  }

  writeBytes(b: Buffer): this {
    this.writeInt32(b.length);
    return this.writeRaw(b);
  }

  writeNullableBytes(b: Buffer | null): this {
    return b === null ? this.writeInt32(-1) : this.writeBytes(b);
  }

  /** Appends bytes with no length prefix; large blobs are referenced instead of copied. */
  writeRaw(b: Buffer): this {
    if (b.length >= ZERO_COPY_THRESHOLD) {
      if (this.pos > 0) {
        this.sealed.push(this.scratch.subarray(0, this.pos));
        this.sealedLength += this.pos;
        // Keep writing into the unused tail of the same allocation.
        this.scratch = this.scratch.subarray(this.pos);
        this.pos = 0;
      }
      this.sealed.push(b);
      this.sealedLength += b.length;
      return this;
    }
    this.ensure(b.length);
    b.copy(this.scratch, this.pos);
    this.pos += b.length;
    return this;
  }

  writeArray<T>(items: readonly T[], writeItem: (writer: ByteWriter, item: T) => void): this {
    this.writeInt32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  writeNullableArray<T>(items: readonly T[] | null, writeItem: (writer: ByteWriter, item: T) => void): this {
    return items === null ? this.writeInt32(-1) : this.writeArray(items, writeItem);
  }

  /** The output as a list of buffers (for socket.write / writev), without joining them. */
  toChunks(): Buffer[] {
    return this.pos > 0 ? [...this.sealed, this.scratch.subarray(0, this.pos)] : [...this.sealed];
  }

  /** The output as one Buffer. Copies once if large blobs were referenced, otherwise returns a view. */
  toBuffer(): Buffer {
    if (this.sealed.length === 0) return this.scratch.subarray(0, this.pos);
    return Buffer.concat(this.toChunks(), this.length);
  }
}
