/**
 * The shared machinery of OffsetIndex and TimeIndex (Kafka: AbstractIndex): a file of fixed-size entries
 * sorted by key, searched by binary search for the largest entry whose key is <= a target.
 *
 * Kafka preallocates index files and mmaps them (F11: mmap is used for indexes only, never for the log).
 * Node has no mmap, so this keeps the entries in memory and appends each new entry to the file with a
 * write; the file is exactly `entries * entrySize` bytes and is only read back when a segment is opened.
 * Owned by one LogSegment; single-threaded, synchronous, so no locking (Kafka guards its mmap with a lock).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  fstatSync,
  openSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs';

export const MAX_RELATIVE_OFFSET = 0x7fffffff;

export class IndexOffsetOverflowError extends RangeError {
  override readonly name = 'IndexOffsetOverflowError';
}

export abstract class AbstractIndex<Entry> {
  protected readonly items: Entry[] = [];
  private fd: number;
  /** Why the file as loaded cannot be trusted (a partial entry, keys out of order), or null. */
  private loadProblem: string | null = null;

  protected constructor(
    readonly file: string,
    readonly baseOffset: bigint,
    private readonly entrySize: number,
  ) {
    // 'a+': every write lands at the end of the file, which is the only place entries are written.
    this.fd = openSync(file, 'a+');
    const size = fstatSync(this.fd).size;
    if (size % entrySize !== 0) this.loadProblem = `${file} is ${size} bytes, not a multiple of ${entrySize}`;
    const bytes = Buffer.alloc(size - (size % entrySize));
    if (bytes.length > 0) readSync(this.fd, bytes, 0, bytes.length, 0);
    for (let at = 0; at < bytes.length; at += entrySize) this.items.push(this.decode(bytes, at));
  }

  protected abstract decode(bytes: Buffer, at: number): Entry;
  protected abstract encode(entry: Entry): Buffer;
  /** The search key of an entry (relative offset for OffsetIndex, timestamp for TimeIndex). */
  protected abstract keyOf(entry: Entry): number;
  /** The entry's other column (file position for OffsetIndex, relative offset for TimeIndex). */
  protected abstract valueOf(entry: Entry): number;
  /** What `valueOf` is called in a sanity-check message. */
  protected abstract readonly valueName: string;

  get entries(): number {
    return this.items.length;
  }

  get sizeInBytes(): number {
    return this.items.length * this.entrySize;
  }

  /**
   * Null when the index is usable; otherwise what is wrong with it: a partial entry, keys that do not strictly
   * increase, or a value column that goes back (both columns follow the log, which only grows). A broken index
   * is never repaired in place: the segment rebuilds it from the log, as Kafka does after CorruptIndexException.
   */
  sanityCheck(): string | null {
    if (this.loadProblem) return this.loadProblem;
    for (let i = 1; i < this.items.length; i++) {
      const entry = this.items[i] as Entry;
      const previous = this.items[i - 1] as Entry;
      if (this.keyOf(entry) <= this.keyOf(previous)) {
        return `${this.file}: entry ${i} is not greater than entry ${i - 1}`;
      }
      if (this.valueOf(entry) < this.valueOf(previous)) {
        return `${this.file}: entry ${i} has a smaller ${this.valueName} than entry ${i - 1}`;
      }
    }
    return null;
  }

  /** Slot of the largest entry with key <= target, or -1 when every key is larger (or there are none). */
  protected largestLowerBoundSlot(target: number): number {
    let lo = 0;
    let hi = this.items.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keyOf(this.items[mid] as Entry) <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  protected appendEntry(entry: Entry): void {
    this.items.push(entry);
    writeSync(this.fd, this.encode(entry));
  }

  protected truncateToEntries(count: number): void {
    if (count >= this.items.length && this.loadProblem === null) return;
    this.items.length = Math.min(count, this.items.length);
    ftruncateSync(this.fd, this.items.length * this.entrySize);
    this.loadProblem = null;
  }

  /** Relative offset for the file; throws when the offset cannot be stored in an int32. */
  protected relativeOffset(offset: bigint): number {
    const relative = offset - this.baseOffset;
    if (relative < 0n || relative > BigInt(MAX_RELATIVE_OFFSET)) {
      throw new IndexOffsetOverflowError(`offset ${offset} does not fit an index with base offset ${this.baseOffset}`);
    }
    return Number(relative);
  }

  reset(): void {
    this.truncateToEntries(0);
  }

  flush(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  deleteIfExists(): void {
    this.close();
    if (existsSync(this.file)) rmSync(this.file);
  }
}
