/**
 * Size-delimited framing of one connection's inbound byte stream: `int32 size` followed by `size` bytes.
 *
 * Plays the role of Kafka's `NetworkReceive`, one frame after another. TCP gives no message boundaries:
 * one `data` event may hold several pipelined requests, or a slice of one request, or the tail of one and the
 * head of the next. So chunks are only appended here, and a frame is cut out once all its bytes have arrived.
 *
 * Cost: every byte is copied at most once. A frame that lies inside one chunk is returned as a zero-copy view
 * of it; a frame spread over several chunks is copied once into a buffer of exactly its size, which
 * `allocateFrame` may supply (a reused one: see `RequestBufferPool`). (Concatenating the buffer on every `data`
 * event would copy a 100 MiB frame thousands of times.)
 *
 * The size is checked as soon as its 4 bytes are here, before anything is allocated for the payload: a size
 * below zero or above `socket.request.max.bytes` makes `nextFrame` throw `InvalidFrameError`, and the owner
 * must close the connection (the stream can no longer be framed).
 *
 * Owned by one `Processor` connection; not shared, and not re-entrant.
 */
export class NetworkReceive {
  private readonly chunks: Buffer[] = [];
  /** Offset of the first unread byte inside `chunks[0]`. */
  private headOffset = 0;
  private bufferedBytes = 0;
  /** Size of the frame being assembled, once its 4-byte prefix has been read. */
  private pendingSize: number | undefined;

  constructor(
    private readonly maxFrameBytes: number,
    /**
     * Supplies the buffer a frame spread over several chunks is joined into, given its size and api key (the
     * frame's first two bytes); `undefined` (or no allocator) means a fresh buffer.
     */
    private readonly allocateFrame?: (size: number, apiKey: number) => Buffer | undefined,
  ) {}

  /** Bytes received but not yet returned as part of a frame, including a partly read size prefix. */
  get buffered(): number {
    return this.bufferedBytes + (this.pendingSize === undefined ? 0 : SIZE_PREFIX_BYTES);
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
  }

  /**
   * The next complete frame (without its size prefix), or `undefined` if more bytes are needed.
   * @throws InvalidFrameError when the size prefix is negative or larger than the maximum.
   */
  nextFrame(): Buffer | undefined {
    if (this.pendingSize === undefined) {
      if (this.bufferedBytes < SIZE_PREFIX_BYTES) return undefined;
      const size = this.take(SIZE_PREFIX_BYTES).readInt32BE(0);
      if (size < 0 || size > this.maxFrameBytes) throw new InvalidFrameError(size, this.maxFrameBytes);
      this.pendingSize = size;
    }
    if (this.bufferedBytes < this.pendingSize) return undefined;
    const size = this.pendingSize;
    const frame = this.take(size, () =>
      this.allocateFrame && size >= API_KEY_BYTES ? this.allocateFrame(size, this.peekInt(API_KEY_BYTES)) : undefined,
    );
    this.pendingSize = undefined;
    return frame;
  }

  /**
   * Whether a whole frame (or a size prefix that will be rejected) is buffered, without taking it. The
   * Processor reads ahead while a request is in flight only until this holds, so memory stays bounded by one
   * frame and the next request is ready the moment the connection is unmuted.
   */
  hasCompleteFrame(): boolean {
    if (this.pendingSize !== undefined) return this.bufferedBytes >= this.pendingSize;
    if (this.bufferedBytes < SIZE_PREFIX_BYTES) return false;
    const size = this.peekInt(SIZE_PREFIX_BYTES);
    if (size < 0 || size > this.maxFrameBytes) return true; // nextFrame will reject it
    return this.bufferedBytes >= SIZE_PREFIX_BYTES + size;
  }

  /** The big-endian signed integer of `width` (2 or 4) bytes at the read position; they are all buffered. */
  private peekInt(width: 2 | 4): number {
    const head = this.chunks[0]!;
    const read = (bytes: Buffer, at: number) => (width === 4 ? bytes.readInt32BE(at) : bytes.readInt16BE(at));
    if (head.length - this.headOffset >= width) return read(head, this.headOffset);
    const bytes = Buffer.alloc(width);
    let filled = 0;
    for (let i = 0, offset = this.headOffset; filled < width; i++, offset = 0) {
      filled += this.chunks[i]!.copy(bytes, filled, offset, offset + width - filled);
    }
    return read(bytes, 0);
  }

  /**
   * Removes and returns the next `length` buffered bytes; the caller has checked they are all here. When they
   * span several chunks they are copied into `allocate()`'s buffer (exactly `length` bytes) or a fresh one.
   */
  private take(length: number, allocate?: () => Buffer | undefined): Buffer {
    const head = this.chunks[0];
    if (head !== undefined && head.length - this.headOffset >= length) {
      const view = head.subarray(this.headOffset, this.headOffset + length);
      this.consume(length);
      return view;
    }
    const out = allocate?.() ?? Buffer.allocUnsafe(length);
    let written = 0;
    while (written < length) {
      const chunk = this.chunks[0];
      if (chunk === undefined) throw new Error('NetworkReceive.take: fewer bytes buffered than counted');
      const n = Math.min(length - written, chunk.length - this.headOffset);
      chunk.copy(out, written, this.headOffset, this.headOffset + n);
      written += n;
      this.consume(n);
    }
    return out;
  }

  /** Advances past `length` bytes of the head chunk (never more than it holds), dropping it when used up. */
  private consume(length: number): void {
    this.headOffset += length;
    this.bufferedBytes -= length;
    const head = this.chunks[0];
    if (head !== undefined && this.headOffset === head.length) {
      this.chunks.shift();
      this.headOffset = 0;
    }
  }
}

const SIZE_PREFIX_BYTES = 4;
/** A request frame starts with its api key, an int16. */
const API_KEY_BYTES = 2;

/** A size prefix that cannot start a request frame; the connection it came from must be closed. */
export class InvalidFrameError extends Error {
  readonly code = 'INVALID_FRAME_SIZE';

  constructor(
    readonly size: number,
    readonly maxFrameBytes: number,
  ) {
    super(
      size < 0
        ? `invalid frame size ${size}: a request size cannot be negative`
        : `frame size ${size} exceeds socket.request.max.bytes (${maxFrameBytes})`,
    );
    this.name = 'InvalidFrameError';
  }
}
