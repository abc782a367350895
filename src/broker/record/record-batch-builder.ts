/**
 * Encodes an uncompressed magic-2 RecordBatch, for tests and demos (real producers bring their own bytes).
 *
 *   Record =>
 *     length varint, attributes int8, timestampDelta varlong, offsetDelta varint,
 *     keyLength varint (-1 = null), key bytes, valueLength varint (-1 = null), value bytes,
 *     headerCount varint, [headerKeyLength varint, headerKey utf8, headerValueLength varint, headerValue bytes]
 */
import {
  CompressionCodec,
  LOG_OVERHEAD,
  MAGIC_V2,
  NO_PRODUCER_ID,
  RECORD_BATCH_OVERHEAD,
  writeChecksum,
} from './record-batch.js';
import { writeVarint, writeVarlong } from './varint.js';

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface RecordSpec {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: RecordHeader[];
  /** Create time in ms; defaults to the batch's `now`. */
  timestamp?: number;
}

export interface RecordBatchSpec {
  records: RecordSpec[];
  /** Producers send 0; the broker assigns the real offset on append. */
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
  /** Only 'none' is encoded here; compressed batches come from real clients. */
  compression?: 'none';
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
  transactional?: boolean;
  /** A control batch (transaction markers, KRaft's leader-change record): written by the broker, never a client. */
  control?: boolean;
  /** Default for records without a timestamp. */
  now?: number;
}

export function buildRecordBatch(spec: RecordBatchSpec): Buffer {
  if (spec.records.length === 0) throw new RangeError('a record batch needs at least one record');
  const now = spec.now ?? Date.now();
  const timestamps = spec.records.map((r) => r.timestamp ?? now);
  const baseTimestamp = timestamps[0] as number;
  const maxTimestamp = Math.max(...timestamps);

  const body: number[] = [];
  spec.records.forEach((record, i) => {
    const fields: number[] = [];
    fields.push(0); // record attributes: unused in magic 2
    writeVarlong(BigInt((timestamps[i] as number) - baseTimestamp), fields);
    writeVarint(i, fields);
    writeNullableBytes(toBytes(record.key ?? null), fields);
    writeNullableBytes(toBytes(record.value), fields);
    const headers = record.headers ?? [];
    writeVarint(headers.length, fields);
    for (const header of headers) {
      writeNullableBytes(Buffer.from(header.key, 'utf8'), fields);
      writeNullableBytes(header.value, fields);
    }
    writeVarint(fields.length, body);
    for (const b of fields) body.push(b);
  });

  const size = RECORD_BATCH_OVERHEAD + body.length;
  const batch = Buffer.alloc(size);
  batch.writeBigInt64BE(spec.baseOffset ?? 0n, 0);
  batch.writeInt32BE(size - LOG_OVERHEAD, 8);
  batch.writeInt32BE(spec.partitionLeaderEpoch ?? -1, 12);
  batch.writeInt8(MAGIC_V2, 16);
  batch.writeInt16BE(CompressionCodec.none | (spec.transactional ? 0x10 : 0) | (spec.control ? 0x20 : 0), 21);
  batch.writeInt32BE(spec.records.length - 1, 23);
  batch.writeBigInt64BE(BigInt(baseTimestamp), 27);
  batch.writeBigInt64BE(BigInt(maxTimestamp), 35);
  batch.writeBigInt64BE(spec.producerId ?? NO_PRODUCER_ID, 43);
  batch.writeInt16BE(spec.producerEpoch ?? -1, 51);
  batch.writeInt32BE(spec.baseSequence ?? -1, 53);
  batch.writeInt32BE(spec.records.length, 57);
  Buffer.from(body).copy(batch, RECORD_BATCH_OVERHEAD);
  writeChecksum(batch);
  return batch;
}

function toBytes(data: Buffer | string | null): Buffer | null {
  if (data === null) return null;
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

function writeNullableBytes(bytes: Buffer | null, out: number[]): void {
  if (bytes === null) {
    writeVarint(-1, out);
    return;
  }
  writeVarint(bytes.length, out);
  for (const b of bytes) out.push(b);
}
