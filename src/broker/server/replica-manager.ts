import { Partition } from '../cluster/partition.js';
import type { FetchIsolation } from '../cluster/partition.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { InvalidRecordBatchError, OffsetOutOfRangeError, ProducerStateError } from '../record/storage-errors.js';
import { DelayedFetch } from './delayed-fetch.js';
import { DelayedOperationPurgatory } from './delayed-operation-purgatory.js';
import type { LogManager } from './log-manager.js';

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface ProducePartitionResult extends TopicPartition {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  /** Offset given to the first record; -1 on error. */
  readonly baseOffset: bigint;
  /** -1: the topic uses CreateTime (kq does not rewrite timestamps). */
  readonly logAppendTimeMs: bigint;
  readonly logStartOffset: bigint;
}

export interface FetchPartitionRequest extends TopicPartition {
  readonly fetchOffset: bigint;
  readonly partitionMaxBytes: number;
}

export interface FetchParams {
  readonly maxWaitMs: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly isolation: FetchIsolation;
  readonly partitions: readonly FetchPartitionRequest[];
}

export interface FetchPartitionResult extends TopicPartition {
  readonly errorCode: number;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  /** Stored batches exactly as appended (possibly starting below fetchOffset); null on error. */
  readonly records: Buffer | null;
}

const NO_OFFSET = -1n;

/**
 * The partitions this broker leads and the two data paths through them (Kafka's `ReplicaManager`):
 * `appendRecords` for Produce and `fetchMessages` for Fetch, with the fetch purgatory that parks long polls
 * (`DelayedFetch`) until min_bytes arrive or max_wait_ms passes. Every append wakes the fetches watching
 * that partition.
 *
 * acks: with one replica, acks=1 and acks=-1 are both satisfied when the leader's append returns (the HW
 * moves with it), so no DelayedProduce is needed yet; with followers, acks=-1 would park in a produce
 * purgatory until the ISR caught up. acks=0 is the API layer's business (it sends no response).
 *
 * Concurrency: event-loop thread only; `appendRecords` is synchronous, so appends to one partition never
 * interleave. Owns the Partition objects and the purgatory; logs belong to LogManager.
 */
export class ReplicaManager {
  private readonly partitions = new Map<string, Partition>();
  private readonly fetchPurgatory = new DelayedOperationPurgatory<DelayedFetch>('Fetch');

  constructor(
    readonly localBrokerId: number,
    private readonly logManager: LogManager,
    /** Producer ids InitProducerId handed out; batches carrying any other are refused (UNKNOWN_PRODUCER_ID). */
    private readonly isProducerIdIssued?: (producerId: bigint) => boolean,
  ) {}

  /** The partition if this broker leads it (creating the Partition object on first use). */
  getPartition(topic: string, partition: number): Partition | undefined {
    const key = partitionKey(topic, partition);
    const existing = this.partitions.get(key);
    if (existing) return existing;
    const log = this.logManager.log(topic, partition);
    if (!log) return undefined;
    const created = new Partition(topic, partition, this.localBrokerId, log);
    this.partitions.set(key, created);
    return created;
  }

  /** Forgets a topic's partitions before its logs are deleted; their waiting fetches complete now. */
  stopPartitions(topic: string): void {
    for (const [key, partition] of this.partitions) {
      if (partition.topic !== topic) continue;
      this.partitions.delete(key);
      this.fetchPurgatory.checkAndComplete(key);
    }
  }

  /** Appends each partition's record set; one partition's failure does not affect the others. */
  appendRecords(entries: ReadonlyArray<TopicPartition & { records: Buffer | null }>): ProducePartitionResult[] {
    return entries.map((entry) => {
      const result = this.appendToPartition(entry);
      if (result.errorCode === ErrorCode.NONE)
        this.fetchPurgatory.checkAndComplete(partitionKey(entry.topic, entry.partition));
      return result;
    });
  }

  private appendToPartition(entry: TopicPartition & { records: Buffer | null }): ProducePartitionResult {
    const failed = (errorCode: number, errorMessage: string, logStartOffset = NO_OFFSET): ProducePartitionResult => ({
      topic: entry.topic,
      partition: entry.partition,
      errorCode,
      errorMessage,
      baseOffset: NO_OFFSET,
      logAppendTimeMs: NO_OFFSET,
      logStartOffset,
    });
    const partition = this.getPartition(entry.topic, entry.partition);
    if (!partition) {
      return failed(
        ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
        `This broker does not host ${entry.topic}-${entry.partition}.`,
      );
    }
    if (entry.records === null || entry.records.length === 0) {
      return failed(
        ErrorCode.INVALID_RECORD,
        'The produce request carried no record batch for this partition.',
        partition.logStartOffset,
      );
    }
    try {
      const info = partition.appendRecordsToLeader(entry.records, this.isProducerIdIssued);
      return {
        topic: entry.topic,
        partition: entry.partition,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        baseOffset: info.baseOffset,
        logAppendTimeMs: NO_OFFSET,
        logStartOffset: partition.logStartOffset,
      };
    } catch (error) {
      if (error instanceof InvalidRecordBatchError || error instanceof ProducerStateError)
        return failed(error.code, error.message, partition.logStartOffset);
      throw error;
    }
  }

  /**
   * Reads every requested partition; if fewer than min_bytes were found and max_wait_ms > 0, waits in the
   * purgatory for appends and reads again when woken (or at the deadline). Returns the results directly when
   * no wait is needed, so the caller can tell an answered fetch from a parked one (which frees its handler).
   */
  fetchMessages(params: FetchParams): FetchPartitionResult[] | Promise<FetchPartitionResult[]> {
    const first = this.readFromLocalLog(params);
    const bytesFound = first.reduce((sum, r) => sum + (r.records?.length ?? 0), 0);
    const anyError = first.some((r) => r.errorCode !== ErrorCode.NONE);
    // Answered now: the results themselves. Parked: a promise the DelayedFetch settles.
    if (params.maxWaitMs <= 0 || params.partitions.length === 0 || bytesFound >= params.minBytes || anyError) {
      return first;
    }
    return new Promise((resolve) => {
      const watched = params.partitions.flatMap(({ topic, partition }) => {
        const p = this.getPartition(topic, partition);
        return p ? [{ partition: p, bytesAppendedMark: p.bytesAppended }] : [];
      });
      const delayed = new DelayedFetch(
        params.maxWaitMs,
        params.minBytes,
        bytesFound,
        watched,
        (p) => this.partitions.get(partitionKey(p.topic, p.partitionIndex)) !== p,
        () => resolve(this.readFromLocalLog(params)),
      );
      this.fetchPurgatory.tryCompleteElseWatch(
        delayed,
        params.partitions.map((p) => partitionKey(p.topic, p.partition)),
      );
    });
  }

  /**
   * DeleteRecords: moves the partition's log start offset up to `offset` (-1: the high watermark) and deletes
   * the segments wholly below it. Consumers below the new start get OFFSET_OUT_OF_RANGE.
   */
  deleteRecords(topic: string, partition: number, offset: bigint): { errorCode: number; lowWatermark: bigint } {
    const p = this.getPartition(topic, partition);
    if (!p) return { errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, lowWatermark: NO_OFFSET };
    const target = offset === -1n ? p.highWatermark : offset;
    if (target < 0n || target > p.highWatermark)
      return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: p.logStartOffset };
    return { errorCode: ErrorCode.NONE, lowWatermark: p.log.deleteRecordsBefore(target) };
  }

  /** Fetches waiting in the purgatory right now (for introspection and tests). */
  get delayedFetches(): number {
    return this.fetchPurgatory.delayed;
  }

  /** Answers every parked fetch now; called at shutdown so long polls do not hold the close up. */
  shutdown(): void {
    this.fetchPurgatory.shutdown();
  }

  /**
   * One read pass. The response-wide max_bytes is shared in request order; the first partition with data may
   * exceed its limits by one whole batch (Kafka's minOneMessage), so a batch larger than max_bytes can never
   * stall a consumer.
   */
  private readFromLocalLog(params: FetchParams): FetchPartitionResult[] {
    let remaining = params.maxBytes;
    let minOneBatch = true;
    return params.partitions.map((request) => {
      const partition = this.getPartition(request.topic, request.partition);
      const base = { topic: request.topic, partition: request.partition };
      if (!partition) {
        return {
          ...base,
          errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
          highWatermark: NO_OFFSET,
          logStartOffset: NO_OFFSET,
          records: null,
        };
      }
      const answer = (errorCode: number, records: Buffer | null): FetchPartitionResult => ({
        ...base,
        errorCode,
        highWatermark: partition.highWatermark,
        logStartOffset: partition.logStartOffset,
        records,
      });
      if (request.fetchOffset < partition.logStartOffset || request.fetchOffset > partition.logEndOffset) {
        return answer(ErrorCode.OFFSET_OUT_OF_RANGE, null);
      }
      const limit = Math.max(0, Math.min(request.partitionMaxBytes, remaining));
      try {
        const { records } = partition.readRecords(request.fetchOffset, limit, minOneBatch, params.isolation);
        if (records.length > 0) minOneBatch = false;
        remaining = Math.max(0, remaining - records.length);
        return answer(ErrorCode.NONE, records);
      } catch (error) {
        if (error instanceof OffsetOutOfRangeError) return answer(ErrorCode.OFFSET_OUT_OF_RANGE, null);
        throw error;
      }
    });
  }
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}
