import { join } from 'node:path';
import { UnifiedLog } from '../log/unified-log.js';
import { MetadataRecordBatchCodec } from './metadata-record-batch.js';
import type { RecordSerde } from './raft-client.js';
import {
  batchLastOffset,
  checkAppend,
  type LeaderAppend,
  type LogBatch,
  type OffsetAndEpoch,
  type ReplicatedLog,
} from './replicated-log.js';

/** The metadata topic and its one partition (Kafka's `__cluster_metadata-0`). */
export const METADATA_TOPIC = '__cluster_metadata';
export const METADATA_PARTITION = 0;
/** Kafka's fixed id for `__cluster_metadata` (`Uuid.METADATA_TOPIC_ID`, AAAAAAAAAAAAAAAAAAAAAQ). */
export const METADATA_TOPIC_ID = 'AAAAAAAAAAAAAAAAAAAAAQ';

/** Read this much per batch-read from the UnifiedLog; a metadata batch is small. */
const READ_BYTES = 1 << 20;

/**
 * The metadata log on disk (Kafka's `KafkaMetadataLog`): a UnifiedLog in `<data-dir>/__cluster_metadata-0/`,
 * one record batch per Raft batch (see MetadataRecordBatchCodec), the leader epoch of each batch in the
 * UnifiedLog's `leader-epoch-checkpoint`, and every append fsynced before it returns: Raft counts an entry on a
 * voter once that voter's next Fetch acknowledges it, and an acknowledged entry must survive a crash.
 *
 * Opening it runs the UnifiedLog's recovery (a torn tail batch is cut, the epoch cache rebuilt from the batches
 * after the recovery point). Owned by one KafkaRaftClient, like every ReplicatedLog; nothing else may write the
 * directory.
 */
export class KafkaMetadataLog<T> implements ReplicatedLog {
  readonly #log: UnifiedLog;
  readonly #codec: MetadataRecordBatchCodec<T>;

  private constructor(log: UnifiedLog, serde: RecordSerde<T>) {
    this.#log = log;
    this.#codec = new MetadataRecordBatchCodec(serde);
  }

  /** Opens (or creates) `<dataDir>/__cluster_metadata-0`. */
  static open<T>(dataDir: string, serde: RecordSerde<T>): KafkaMetadataLog<T> {
    const dir = join(dataDir, UnifiedLog.dirName(METADATA_TOPIC, METADATA_PARTITION));
    return new KafkaMetadataLog(UnifiedLog.open(dir), serde);
  }

  get dir(): string {
    return this.#log.dir;
  }

  get endOffset(): number {
    return Number(this.#log.logEndOffset);
  }

  get lastFetchedEpoch(): number {
    return this.#log.leaderEpochCache.latestEpoch() ?? 0;
  }

  appendAsLeader(epoch: number, records: readonly unknown[], append: LeaderAppend): LogBatch {
    const batch: LogBatch = {
      baseOffset: this.endOffset,
      epoch,
      appendTimestamp: append.timestamp,
      control: append.control ?? false,
      records: [...records],
    };
    this.appendAsFollower([batch]);
    return batch;
  }

  appendAsFollower(batches: readonly LogBatch[]): void {
    if (batches.length === 0) return;
    let expected = this.endOffset;
    let lastEpoch = this.lastFetchedEpoch;
    for (const batch of batches) {
      checkAppend({ endOffset: expected, lastFetchedEpoch: lastEpoch } as ReplicatedLog, batch);
      expected = batchLastOffset(batch) + 1;
      lastEpoch = batch.epoch;
    }
    // Offsets and epochs are the Raft layer's, already set in each batch: the UnifiedLog takes them as they are
    // (its leader append would check a producer's rules, which forbid control batches).
    this.#log.appendAsFollower(this.#codec.encodeAll(batches));
    this.#log.flush();
  }

  read(fromOffset: number, maxBatches: number): LogBatch[] {
    if (fromOffset >= this.endOffset) return [];
    const from = Math.max(fromOffset, Number(this.#log.logStartOffset));
    return this.#codec.decode(this.#log.read(BigInt(from), READ_BYTES).records).slice(0, maxBatches);
  }

  /** The raw batches, for a Fetch response or a test comparing two voters' bytes. */
  readBytes(fromOffset: number): Buffer {
    if (fromOffset >= this.endOffset) return Buffer.alloc(0);
    return this.#log.read(BigInt(fromOffset), READ_BYTES).records;
  }

  truncateTo(offset: number): void {
    if (this.#log.truncateTo(BigInt(offset))) this.#log.flush();
  }

  endOffsetForEpoch(epoch: number): OffsetAndEpoch {
    const cache = this.#log.leaderEpochCache;
    const entries = cache.epochEntries();
    const first = entries[0];
    const latest = entries.at(-1);
    if (!first || !latest || epoch < first.epoch) return { epoch: 0, offset: 0 };
    if (epoch >= latest.epoch) return { epoch: latest.epoch, offset: this.endOffset };
    const found = cache.endOffsetFor(epoch, this.#log.logEndOffset);
    return { epoch: found.epoch, offset: Number(found.startOffset) };
  }

  flush(): void {
    this.#log.flush();
  }

  close(): void {
    this.#log.close();
  }
}
