/**
 * Decodes the records of an uncompressed magic-2 batch into plain objects (Kafka: DefaultRecord.readFrom).
 * The broker itself never needs this on the hot path (it stores and serves batches as bytes); it exists
 * for demos that show what a batch holds, for timestamp lookups inside a batch, and for tests.
 */
import { compressionName, type RecordBatch } from './record-batch.js';
import type { RecordHeader } from './record-batch-builder.js';
import { InvalidRecordBatchError } from './storage-errors.js';
import { readVarint, readVarlong, VarintError } from './varint.js';

export interface DecodedRecord {
  offset: bigint;
  /** Milliseconds: baseTimestamp + timestampDelta (the batch's create time). */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Thrown for compressed batches: decompression is not implemented in the storage layer. */
export class UnsupportedCompressionError extends Error {
  override readonly name = 'UnsupportedCompressionError';
}

export function decodeRecords(batch: RecordBatch): DecodedRecord[] {
  if (batch.compressionCodec !== 0) {
    throw new UnsupportedCompressionError(
      `cannot decode a ${compressionName(batch.compressionCodec) ?? 'unknown-codec'} batch: only uncompressed ` +
        `records are decoded here (the log stores compressed batches untouched)`,
    );
  }
  const bytes = batch.recordsBytes;
  const records: DecodedRecord[] = [];
  const baseOffset = batch.baseOffset;
  const baseTimestamp = batch.baseTimestamp;
  let p = 0;
  try {
    for (let i = 0; i < batch.recordCount; i++) {
      let length: number;
      [length, p] = readVarint(bytes, p);
      const end = p + length;
      if (length < 0 || end > bytes.length)
        throw new VarintError(`record ${i} declares ${length} bytes past the batch end`);
      p += 1; // attributes
      let timestampDelta: bigint;
      let offsetDelta: number;
      [timestampDelta, p] = readVarlong(bytes, p);
      [offsetDelta, p] = readVarint(bytes, p);
      let key: Buffer | null;
      let value: Buffer | null;
      [key, p] = readNullableBytes(bytes, p, end);
      [value, p] = readNullableBytes(bytes, p, end);
      let headerCount: number;
      [headerCount, p] = readVarint(bytes, p);
      if (headerCount < 0) throw new VarintError(`record ${i} has a negative header count`);
      const headers: RecordHeader[] = [];
      for (let h = 0; h < headerCount; h++) {
        let headerKey: Buffer | null;
        let headerValue: Buffer | null;
        [headerKey, p] = readNullableBytes(bytes, p, end);
        [headerValue, p] = readNullableBytes(bytes, p, end);
        if (headerKey === null) throw new VarintError(`record ${i} has a null header key`);
        headers.push({ key: headerKey.toString('utf8'), value: headerValue });
      }
      if (p !== end) throw new VarintError(`record ${i} length ${length} does not match its fields`);
      records.push({
        offset: baseOffset + BigInt(offsetDelta),
        timestamp: baseTimestamp + Number(timestampDelta),
        key,
        value,
        headers,
      });
    }
  } catch (e) {
    if (e instanceof VarintError) {
      throw new InvalidRecordBatchError(
        'INVALID_RECORD',
        `Malformed record in batch at offset ${baseOffset}: ${e.message}`,
        0,
      );
    }
    throw e;
  }
  return records;
}

function readNullableBytes(bytes: Buffer, position: number, end: number): [Buffer | null, number] {
  const [length, p] = readVarint(bytes, position);
  if (length < 0) return [null, p];
  if (p + length > end) throw new VarintError(`a ${length}-byte field at byte ${position} runs past its record`);
  return [bytes.subarray(p, p + length), p + length];
}
