/**
 * TimeIndex: maps timestamps to offsets in a segment, sparsely, so ListOffsets-by-time (and
 * offsetsForTimes) need not read the whole log.
 *
 * On disk (Kafka's format): 12-byte entries, `timestamp int64` (ms) and `relativeOffset int32`,
 * big-endian. An entry (T, O) means "the largest timestamp seen up to offset O is T": any record with a
 * timestamp above T comes after O. Timestamps in one file only increase, so the file is sorted by both.
 * Entries are added together with OffsetIndex entries, plus one final entry when the segment stops being
 * the active one (or is closed), so the last entry always holds the segment's largest timestamp.
 *
 * See AbstractIndex for why entries live in memory instead of an mmap. Owned by one LogSegment.
 */
import { NO_TIMESTAMP } from '../record/record-batch.js';
import { AbstractIndex } from './abstract-index.js';

export interface TimestampOffset {
  timestamp: number;
  offset: bigint;
}

interface TimeEntry {
  timestamp: number;
  relativeOffset: number;
}

export class TimeIndex extends AbstractIndex<TimeEntry> {
  static readonly ENTRY_SIZE = 12;

  constructor(file: string, baseOffset: bigint) {
    super(file, baseOffset, TimeIndex.ENTRY_SIZE);
  }

  protected decode(bytes: Buffer, at: number): TimeEntry {
    return { timestamp: Number(bytes.readBigInt64BE(at)), relativeOffset: bytes.readInt32BE(at + 8) };
  }

  protected encode(entry: TimeEntry): Buffer {
    const bytes = Buffer.alloc(TimeIndex.ENTRY_SIZE);
    bytes.writeBigInt64BE(BigInt(entry.timestamp), 0);
    bytes.writeInt32BE(entry.relativeOffset, 8);
    return bytes;
  }

  protected keyOf(entry: TimeEntry): number {
    return entry.timestamp;
  }

  protected valueOf(entry: TimeEntry): number {
    return entry.relativeOffset;
  }

  protected readonly valueName = 'offset';

  /**
   * Appends (timestamp, offset) only if the timestamp is larger than the last one: the index records
   * new maxima, so equal or older timestamps add nothing.
   */
  maybeAppend(timestamp: number, offset: bigint): void {
    const last = this.items.at(-1);
    if (last && timestamp <= last.timestamp) return;
    if (timestamp < 0) return; // NO_TIMESTAMP: nothing to index
    const relativeOffset = this.relativeOffset(offset);
    if (last && relativeOffset < last.relativeOffset) return;
    this.appendEntry({ timestamp, relativeOffset });
  }

  /** The entry with the largest timestamp <= target; (NO_TIMESTAMP, baseOffset) when none qualifies. */
  lookup(targetTimestamp: number): TimestampOffset {
    const slot = this.largestLowerBoundSlot(targetTimestamp);
    return slot < 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.entry(slot);
  }

  entry(slot: number): TimestampOffset {
    const item = this.items[slot];
    if (!item) throw new RangeError(`slot ${slot} is outside ${this.file}, which has ${this.entries} entries`);
    return { timestamp: item.timestamp, offset: this.baseOffset + BigInt(item.relativeOffset) };
  }

  /** The last entry, or (NO_TIMESTAMP, baseOffset) when empty. */
  get lastEntry(): TimestampOffset {
    return this.items.length === 0
      ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset }
      : this.entry(this.items.length - 1);
  }

  /** Removes every entry whose offset is >= `offset`. */
  truncateTo(offset: bigint): void {
    let keep = this.items.length;
    while (keep > 0 && this.baseOffset + BigInt((this.items[keep - 1] as TimeEntry).relativeOffset) >= offset) keep--;
    this.truncateToEntries(keep);
  }
}
