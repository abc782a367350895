/**
 * RecordBatch (magic 2): a header view over the bytes of one batch, plus validation and iteration over a
 * record set (the bytes of a Produce partition, a Fetch response, or a whole log segment).
 *
 *   RecordBatch =>
 *     baseOffset int64            @0   \
 *     batchLength int32           @8    } not covered by the CRC: the broker rewrites baseOffset and
 *     partitionLeaderEpoch int32  @12  /  partitionLeaderEpoch in place and the stored bytes stay valid
 *     magic int8                  @16
 *     crc uint32                  @17  CRC-32C of bytes 21..end
 *     attributes int16            @21  bits 0-2 codec, 3 timestamp type, 4 transactional, 5 control
 *     lastOffsetDelta int32       @23
 *     baseTimestamp int64         @27
 *     maxTimestamp int64          @35
 *     producerId int64            @43
 *     producerEpoch int16         @51
 *     baseSequence int32          @53
 *     recordCount int32           @57
 *     records                     @61
 *
 * Kafka's equivalent is DefaultRecordBatch. The view never copies: it reads (and the two setters write)
 * the Buffer it was given, so whoever owns that Buffer owns the batch.
 */
import { crc32c } from './crc32c.js';
import { incrementSequence } from './producer-sequence.js';
import { InvalidRecordBatchError } from './storage-errors.js';

export const MAGIC_V2 = 2;
/** baseOffset + batchLength: the bytes in front of what `batchLength` counts. */
export const LOG_OVERHEAD = 12;
/** Size of a batch header; a batch with no records is exactly this long. */
export const RECORD_BATCH_OVERHEAD = 61;
export const NO_TIMESTAMP = -1;
export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;

const BASE_OFFSET = 0;
const LENGTH = 8;
const PARTITION_LEADER_EPOCH = 12;
const MAGIC = 16;
const CRC = 17;
const ATTRIBUTES = 21;
const LAST_OFFSET_DELTA = 23;
const BASE_TIMESTAMP = 27;
const MAX_TIMESTAMP = 35;
const PRODUCER_ID = 43;
const PRODUCER_EPOCH = 51;
const BASE_SEQUENCE = 53;
const RECORD_COUNT = 57;

const MIN_RECORD_BYTES = 7;

const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_MASK = 0x08;
const TRANSACTIONAL_MASK = 0x10;
const CONTROL_MASK = 0x20;

export const CompressionCodec = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionName = keyof typeof CompressionCodec;
export type TimestampType = 'CreateTime' | 'LogAppendTime';

export function compressionName(codec: number): CompressionName | undefined {
  const entry = Object.entries(CompressionCodec).find(([, id]) => id === codec);
  return entry?.[0] as CompressionName | undefined;
}

export class RecordBatch {
  /** `buffer` starts at the batch; only the header (61 bytes) is needed for the header getters. */
  constructor(readonly buffer: Buffer) {
    if (buffer.length < RECORD_BATCH_OVERHEAD) {
      throw new RangeError(`a record batch header needs ${RECORD_BATCH_OVERHEAD} bytes, got ${buffer.length}`);
    }
  }

  get baseOffset(): bigint {
    return this.buffer.readBigInt64BE(BASE_OFFSET);
  }
  get batchLength(): number {
    return this.buffer.readInt32BE(LENGTH);
  }
  /** Total bytes of the batch on the wire and on disk. */
  get sizeInBytes(): number {
    return LOG_OVERHEAD + this.batchLength;
  }
  get partitionLeaderEpoch(): number {
    return this.buffer.readInt32BE(PARTITION_LEADER_EPOCH);
  }
  get magic(): number {
    return this.buffer.readInt8(MAGIC);
  }
  get crc(): number {
    return this.buffer.readUInt32BE(CRC);
  }
  get attributes(): number {
    return this.buffer.readInt16BE(ATTRIBUTES);
  }
  get compressionCodec(): number {
    return this.attributes & COMPRESSION_MASK;
  }
  get timestampType(): TimestampType {
    return this.attributes & TIMESTAMP_TYPE_MASK ? 'LogAppendTime' : 'CreateTime';
  }
  get isTransactional(): boolean {
    return (this.attributes & TRANSACTIONAL_MASK) !== 0;
  }
  get isControl(): boolean {
    return (this.attributes & CONTROL_MASK) !== 0;
  }
  get lastOffsetDelta(): number {
    return this.buffer.readInt32BE(LAST_OFFSET_DELTA);
  }
  /** Milliseconds; NO_TIMESTAMP (-1) when unknown. int64 on the wire, exact as a number up to 2^53. */
  get baseTimestamp(): number {
    return Number(this.buffer.readBigInt64BE(BASE_TIMESTAMP));
  }
  get maxTimestamp(): number {
    return Number(this.buffer.readBigInt64BE(MAX_TIMESTAMP));
  }
  get producerId(): bigint {
    return this.buffer.readBigInt64BE(PRODUCER_ID);
  }
  get producerEpoch(): number {
    return this.buffer.readInt16BE(PRODUCER_EPOCH);
  }
  get baseSequence(): number {
    return this.buffer.readInt32BE(BASE_SEQUENCE);
  }
  /** The sequence of the batch's last record (wrapping at Int32 max), or NO_SEQUENCE without a producer id. */
  get lastSequence(): number {
    const base = this.baseSequence;
    return base === NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(base, this.lastOffsetDelta);
  }
  /** Written by an idempotent (or transactional) producer: Kafka's `hasProducerId`. */
  get hasProducerId(): boolean {
    return this.producerId > NO_PRODUCER_ID;
  }
  get recordCount(): number {
    return this.buffer.readInt32BE(RECORD_COUNT);
  }
  get lastOffset(): bigint {
    return this.baseOffset + BigInt(this.lastOffsetDelta);
  }
  get nextOffset(): bigint {
    return this.lastOffset + 1n;
  }

  /** Rewrites baseOffset in place. Outside the CRC, so the stored batch stays valid. */
  setBaseOffset(offset: bigint): void {
    this.buffer.writeBigInt64BE(offset, BASE_OFFSET);
  }

  /** Rewrites partitionLeaderEpoch in place. Outside the CRC, so the stored batch stays valid. */
  setPartitionLeaderEpoch(epoch: number): void {
    this.buffer.writeInt32BE(epoch, PARTITION_LEADER_EPOCH);
  }

  /** CRC-32C of bytes 21..end; needs the whole batch in `buffer`. */
  computeChecksum(): number {
    return crc32c(this.buffer, ATTRIBUTES, this.sizeInBytes);
  }

  /** The record bytes after the header (still compressed if the codec is not none). */
  get recordsBytes(): Buffer {
    return this.buffer.subarray(RECORD_BATCH_OVERHEAD, this.sizeInBytes);
  }
}

/** Writes the CRC of a fully built batch; used by encoders, never on stored bytes. */
export function writeChecksum(batch: Buffer): void {
  batch.writeUInt32BE(crc32c(batch, ATTRIBUTES, batch.length), CRC);
}

export interface BatchCheckOptions {
  /** message.max.bytes: the largest batch accepted (Kafka default 1048588). */
  maxMessageBytes?: number;
  /**
   * Also apply the rules for batches arriving from a producer (checkProducerRules). Off for stored or
   * replicated batches, whose base offsets are already assigned.
   */
  fromProducer?: boolean;
}

/**
 * Reads the batch starting at `position` of `bytes`, checking framing, size, magic and CRC in Kafka's
 * order (size before CRC, as UnifiedLog.analyzeAndValidateRecords does). Returns the error instead of
 * throwing: both the Produce path and crash recovery treat an invalid batch as an answer, not a bug.
 */
export function readBatchAt(
  bytes: Buffer,
  position: number,
  options: BatchCheckOptions = {},
): RecordBatch | InvalidRecordBatchError {
  const remaining = bytes.length - position;
  if (remaining < LOG_OVERHEAD) {
    return corrupt(`only ${remaining} bytes left where a record batch header needs ${RECORD_BATCH_OVERHEAD}`, position);
  }
  const batchLength = bytes.readInt32BE(position + LENGTH);
  const size = LOG_OVERHEAD + batchLength;
  if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
    return corrupt(
      `batch length ${batchLength} is smaller than the ${RECORD_BATCH_OVERHEAD - LOG_OVERHEAD}-byte minimum`,
      position,
    );
  }
  if (size > remaining) {
    return corrupt(`batch declares ${size} bytes but only ${remaining} remain (truncated or torn write)`, position);
  }
  if (options.maxMessageBytes !== undefined && size > options.maxMessageBytes) {
    return new InvalidRecordBatchError(
      'MESSAGE_TOO_LARGE',
      `Record batch of ${size} bytes exceeds message.max.bytes (${options.maxMessageBytes}). ` +
        `Send smaller batches (producer batch.size / max.request.size) or raise the topic's max.message.bytes.`,
      position,
    );
  }
  const batch = new RecordBatch(bytes.subarray(position, position + size));
  if (batch.magic !== MAGIC_V2) {
    return corrupt(`magic byte is ${batch.magic}; only magic 2 (Kafka 0.11+ record batches) is stored`, position);
  }
  const computed = batch.computeChecksum();
  if (computed !== batch.crc) {
    return corrupt(
      `CRC-32C mismatch: batch says 0x${hex(batch.crc)}, bytes 21..${size} give 0x${hex(computed)} ` +
        `(damaged in transit or on disk; the producer should resend)`,
      position,
    );
  }
  return batch;
}

/** Checks that `batchBytes` holds exactly one valid batch. `null` means valid. */
export function validateBatch(batchBytes: Buffer, options: BatchCheckOptions = {}): InvalidRecordBatchError | null {
  const batch = readBatchAt(batchBytes, 0, options);
  if (batch instanceof InvalidRecordBatchError) return batch;
  if (batch.sizeInBytes !== batchBytes.length) {
    return corrupt(`batch length field says ${batch.sizeInBytes} bytes but the buffer holds ${batchBytes.length}`, 0);
  }
  return options.fromProducer ? checkProducerRules(batch, 0) : null;
}

/**
 * Rules a batch from a producer must follow beyond its framing (LogValidator.validateBatch in Kafka):
 * base offset 0 (the broker assigns offsets), a record count that matches the offset range, a known
 * codec, and no control batches (only the transaction coordinator writes those).
 */
export function checkProducerRules(batch: RecordBatch, position: number): InvalidRecordBatchError | null {
  const invalid = (why: string) =>
    new InvalidRecordBatchError('INVALID_RECORD', `Invalid record batch at byte ${position}: ${why}`, position);
  if (batch.baseOffset !== 0n) return invalid(`a producer's batch must have baseOffset 0, got ${batch.baseOffset}`);
  if (batch.lastOffsetDelta < 0) return invalid(`lastOffsetDelta ${batch.lastOffsetDelta} is negative`);
  if (batch.recordCount !== batch.lastOffsetDelta + 1) {
    return invalid(`recordCount ${batch.recordCount} does not match lastOffsetDelta ${batch.lastOffsetDelta} + 1`);
  }
  if (compressionName(batch.compressionCodec) === undefined)
    return invalid(`unknown compression codec ${batch.compressionCodec}`);
  // The cheapest record is 7 bytes (a one-byte varint per field). Without this a tiny batch claiming a
  // billion records would move the log end offset by a billion; Kafka catches it by iterating records.
  const recordBytes = batch.sizeInBytes - RECORD_BATCH_OVERHEAD;
  if (batch.compressionCodec === CompressionCodec.none && batch.recordCount * MIN_RECORD_BYTES > recordBytes) {
    return invalid(`recordCount ${batch.recordCount} cannot fit in ${recordBytes} bytes of uncompressed records`);
  }
  if (batch.isControl) return invalid('clients may not write control batches');
  // LogValidator.validateBatch: an idempotent producer numbers every batch.
  if (batch.hasProducerId && batch.baseSequence < 0)
    return invalid(`sequence number ${batch.baseSequence} is invalid for producer id ${batch.producerId}`);
  return null;
}

export type RecordSetCheck = { batches: RecordBatch[] } | { error: InvalidRecordBatchError };

/**
 * Validates every batch of a record set (a Produce partition may carry several); all-or-nothing, so one
 * bad batch rejects the set. An empty set is valid and holds no batches.
 * The returned views share memory with `records`.
 */
export function validateRecordSet(records: Buffer, options: BatchCheckOptions = {}): RecordSetCheck {
  const batches: RecordBatch[] = [];
  let position = 0;
  while (position < records.length) {
    const batch = readBatchAt(records, position, options);
    if (batch instanceof InvalidRecordBatchError) return { error: batch };
    const broken = options.fromProducer ? checkProducerRules(batch, position) : null;
    if (broken) return { error: broken };
    batches.push(batch);
    position += batch.sizeInBytes;
  }
  return { batches };
}

/**
 * Iterates the batches of trusted bytes (already validated, e.g. a Fetch response built from the log)
 * without CRC checks; stops at an incomplete tail, as Kafka's batch iterator does.
 */
export function* batchesIn(records: Buffer): Generator<RecordBatch> {
  let position = 0;
  while (records.length - position >= RECORD_BATCH_OVERHEAD) {
    const size = LOG_OVERHEAD + records.readInt32BE(position + LENGTH);
    if (size < RECORD_BATCH_OVERHEAD || position + size > records.length) return;
    yield new RecordBatch(records.subarray(position, position + size));
    position += size;
  }
}

function corrupt(why: string, position: number): InvalidRecordBatchError {
  return new InvalidRecordBatchError('CORRUPT_MESSAGE', `Corrupt record batch at byte ${position}: ${why}`, position);
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
