/**
 * OffsetIndex: maps offsets to byte positions in a segment's .log file, sparsely.
 *
 * On disk (Kafka's format): 8-byte entries, `relativeOffset int32` (offset - segment base offset) and
 * `position int32` (byte position of a batch in the .log file), big-endian, sorted by offset. An entry
 * (O, P) says "the batch whose last offset is O starts at byte P". LogSegment adds one entry only after
 * more than `index.interval.bytes` (default 4096) of log have been appended since the previous one, so
 * the index stays small enough to keep in memory and a lookup is a binary search followed by a short
 * forward scan of batch headers in the .log file.
 *
 * See AbstractIndex for why entries live in memory instead of an mmap. Owned by one LogSegment.
 */
import { AbstractIndex } from './abstract-index.js';

export interface OffsetPosition {
  offset: bigint;
  position: number;
}

interface OffsetEntry {
  relativeOffset: number;
  position: number;
}

export class InvalidOffsetError extends Error {
  override readonly name = 'InvalidOffsetError';
}

export class OffsetIndex extends AbstractIndex<OffsetEntry> {
  static readonly ENTRY_SIZE = 8;

  constructor(file: string, baseOffset: bigint) {
    super(file, baseOffset, OffsetIndex.ENTRY_SIZE);
  }

  protected decode(bytes: Buffer, at: number): OffsetEntry {
    return { relativeOffset: bytes.readInt32BE(at), position: bytes.readInt32BE(at + 4) };
  }

  protected encode(entry: OffsetEntry): Buffer {
    const bytes = Buffer.alloc(OffsetIndex.ENTRY_SIZE);
    bytes.writeInt32BE(entry.relativeOffset, 0);
    bytes.writeInt32BE(entry.position, 4);
    return bytes;
  }

  protected keyOf(entry: OffsetEntry): number {
    return entry.relativeOffset;
  }

  protected valueOf(entry: OffsetEntry): number {
    return entry.position;
  }

  protected readonly valueName = 'file position';

  /** Adds (offset, position); offsets must increase, as they do in the log. */
  append(offset: bigint, position: number): void {
    const relativeOffset = this.relativeOffset(offset);
    const last = this.items.at(-1);
    if (last && relativeOffset <= last.relativeOffset) {
      throw new InvalidOffsetError(
        `cannot index offset ${offset} after offset ${this.baseOffset + BigInt(last.relativeOffset)} in ${this.file}`,
      );
    }
    this.appendEntry({ relativeOffset, position });
  }

  /** Slot of the largest entry with offset <= target, or -1 if none. */
  slotFor(targetOffset: bigint): number {
    const relative = targetOffset - this.baseOffset;
    if (relative < 0n) return -1;
    return this.largestLowerBoundSlot(relative > 0x7fffffffn ? 0x7fffffff : Number(relative));
  }

  /**
   * The largest indexed offset <= target and its position; (baseOffset, 0) when no entry qualifies,
   * i.e. "scan from the start of the segment".
   */
  lookup(targetOffset: bigint): OffsetPosition {
    const slot = this.slotFor(targetOffset);
    return slot < 0 ? { offset: this.baseOffset, position: 0 } : this.entry(slot);
  }

  entry(slot: number): OffsetPosition {
    const item = this.items[slot];
    if (!item) throw new RangeError(`slot ${slot} is outside ${this.file}, which has ${this.entries} entries`);
    return { offset: this.baseOffset + BigInt(item.relativeOffset), position: item.position };
  }

  /** The last entry, or (baseOffset, 0) for an empty index. */
  get lastEntry(): OffsetPosition {
    return this.items.length === 0 ? { offset: this.baseOffset, position: 0 } : this.entry(this.items.length - 1);
  }

  /** Removes every entry whose offset is >= `offset`. */
  truncateTo(offset: bigint): void {
    const slot = this.slotFor(offset);
    if (slot < 0) return this.truncateToEntries(0);
    const exact = this.entry(slot).offset === offset;
    this.truncateToEntries(exact ? slot : slot + 1);
  }
}
