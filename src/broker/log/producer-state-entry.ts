import { NO_PRODUCER_EPOCH, NO_SEQUENCE, type RecordBatch } from '../record/record-batch.js';
import { decrementSequence } from '../record/producer-sequence.js';

/**
 * What the broker remembers of one appended batch of an idempotent producer (Kafka's `BatchMetadata`): its last
 * sequence and last offset, and how many offsets it spans, which give the first sequence and first offset.
 */
export class BatchMetadata {
  constructor(
    readonly lastSeq: number,
    readonly lastOffset: bigint,
    /** lastOffset - firstOffset, which is also lastSeq - firstSeq (modulo the Int32 wrap). */
    readonly offsetDelta: number,
    /** The batch's max timestamp. */
    readonly timestamp: number,
  ) {}

  get firstSeq(): number {
    return decrementSequence(this.lastSeq, this.offsetDelta);
  }

  get firstOffset(): bigint {
    return this.lastOffset - BigInt(this.offsetDelta);
  }
}

/**
 * The state of one producer id on one partition (Kafka's `ProducerStateEntry`): its current epoch and the metadata
 * of its last NUM_BATCHES_TO_RETAIN appended batches, oldest first. Those five are the de-duplication window: a
 * retried batch whose exact sequence range is among them is acknowledged with its original offsets and not
 * appended again. Five because the producer has at most max.in.flight.requests.per.connection = 5 batches
 * unacknowledged per partition, so a retry is always of one of the last five appended.
 *
 * Owned by a ProducerStateManager (one per partition log); a ProducerAppendInfo works on a copy and hands it back.
 */
export class ProducerStateEntry {
  static readonly NUM_BATCHES_TO_RETAIN = 5;
  private readonly batches: BatchMetadata[] = [];

  constructor(
    readonly producerId: bigint,
    private epoch: number,
    /** Kafka keeps it for transaction markers; kq writes none, so it stays -1 (still stored in snapshots). */
    readonly coordinatorEpoch: number,
    private timestamp: number,
    firstBatch?: BatchMetadata,
  ) {
    if (firstBatch) this.batches.push(firstBatch);
  }

  static empty(producerId: bigint): ProducerStateEntry {
    return new ProducerStateEntry(producerId, NO_PRODUCER_EPOCH, -1, -1);
  }

  get producerEpoch(): number {
    return this.epoch;
  }
  get lastTimestamp(): number {
    return this.timestamp;
  }
  get isEmpty(): boolean {
    return this.batches.length === 0;
  }
  get firstSeq(): number {
    return this.batches[0]?.firstSeq ?? NO_SEQUENCE;
  }
  get lastSeq(): number {
    return this.batches.at(-1)?.lastSeq ?? NO_SEQUENCE;
  }
  get lastDataOffset(): bigint {
    return this.batches.at(-1)?.lastOffset ?? -1n;
  }
  get lastOffsetDelta(): number {
    return this.batches.at(-1)?.offsetDelta ?? 0;
  }
  /** The retained batches, oldest first. */
  get batchMetadata(): readonly BatchMetadata[] {
    return this.batches;
  }

  /** A copy with the same epoch and timestamp but no batches: what an append in progress starts from. */
  withoutBatches(): ProducerStateEntry {
    return new ProducerStateEntry(this.producerId, this.epoch, this.coordinatorEpoch, this.timestamp);
  }

  addBatch(producerEpoch: number, lastSeq: number, lastOffset: bigint, offsetDelta: number, timestamp: number): void {
    this.maybeUpdateProducerEpoch(producerEpoch);
    this.addBatchMetadata(new BatchMetadata(lastSeq, lastOffset, offsetDelta, timestamp));
    this.timestamp = timestamp;
  }

  /** A new epoch starts a new sequence space, so the old epoch's batches can no longer be duplicates. */
  maybeUpdateProducerEpoch(producerEpoch: number): boolean {
    if (this.epoch === producerEpoch) return false;
    this.batches.length = 0;
    this.epoch = producerEpoch;
    return true;
  }

  /** Takes over `next`'s epoch, timestamp and batches (appended after ours, the window kept at five). */
  update(next: ProducerStateEntry): void {
    this.maybeUpdateProducerEpoch(next.epoch);
    for (const batch of next.batches) this.addBatchMetadata(batch);
    this.timestamp = next.timestamp;
  }

  /** The retained batch with exactly this batch's epoch and sequence range: the batch is a retry of it. */
  findDuplicateBatch(batch: RecordBatch): BatchMetadata | undefined {
    if (batch.producerEpoch !== this.epoch) return undefined;
    return this.batchWithSequenceRange(batch.baseSequence, batch.lastSequence);
  }

  batchWithSequenceRange(firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    return this.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
  }

  private addBatchMetadata(batch: BatchMetadata): void {
    if (this.batches.length === ProducerStateEntry.NUM_BATCHES_TO_RETAIN) this.batches.shift();
    this.batches.push(batch);
  }
}
