/**
 * kafkajs 2.2.4's own RecordBatch encoder and decoder, loaded from its sources, so tests can prove the
 * storage layer accepts and serves the exact bytes a real client produces and consumes.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface KafkajsEncoder {
  buffer: Buffer;
}
type KafkajsRecordBatch = (spec: {
  compression?: number;
  firstTimestamp?: number;
  maxTimestamp?: number;
  lastOffsetDelta?: number;
  records: KafkajsEncoder[];
}) => Promise<KafkajsEncoder>;
type KafkajsRecord = (spec: {
  offsetDelta: number;
  timestampDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer>;
}) => KafkajsEncoder;

const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: KafkajsRecordBatch };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as KafkajsRecord;
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (decoder: unknown) => Promise<{
  firstOffset: string;
  partitionLeaderEpoch: number;
  records: {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer>;
  }[];
}>;

export const KafkajsCompression = { none: 0, gzip: 1 } as const;

export interface KafkajsMessage {
  key: string | null;
  value: string;
  timestamp: number;
  headers?: Record<string, string>;
}

/** What kafkajs' producer does in its Produce v3+ request: one RecordBatch per partition. */
export async function kafkajsBatch(messages: KafkajsMessage[], compression: 0 | 1 = 0): Promise<Buffer> {
  const first = messages[0];
  if (!first) throw new Error('kafkajsBatch needs at least one message');
  const records = messages.map((m, i) =>
    Record({
      offsetDelta: i,
      timestampDelta: m.timestamp - first.timestamp,
      key: m.key === null ? null : Buffer.from(m.key),
      value: Buffer.from(m.value),
      headers: Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
    }),
  );
  const batch = await RecordBatch({
    compression,
    firstTimestamp: first.timestamp,
    maxTimestamp: Math.max(...messages.map((m) => m.timestamp)),
    lastOffsetDelta: messages.length - 1,
    records,
  });
  return batch.buffer;
}

/** Decodes one batch the way a kafkajs consumer does after a Fetch. */
export async function kafkajsDecode(batch: Buffer) {
  return decodeBatch(new Decoder(batch));
}
