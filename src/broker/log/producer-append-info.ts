import { incrementSequence, inSequence } from '../record/producer-sequence.js';
import { NO_PRODUCER_EPOCH, NO_SEQUENCE, type RecordBatch } from '../record/record-batch.js';
import { ProducerStateError } from '../record/storage-errors.js';
import type { ProducerStateEntry } from './producer-state-entry.js';

/**
 * Where an append comes from (Kafka's AppendOrigin): a client's Produce gets every check; batches copied from a
 * leader (REPLICATION) or replayed from the log on recovery were checked when first appended, so only their
 * epochs and sequences are recorded.
 */
export type AppendOrigin = 'CLIENT' | 'REPLICATION';

/**
 * Validates the batches one producer id appends in one record set, then carries the resulting state to the
 * ProducerStateManager (Kafka's `ProducerAppendInfo`). It starts from the producer's entry after its last
 * successful append and checks each batch against the state the previous one left:
 *
 *   epoch lower than the current one        INVALID_PRODUCER_EPOCH (47): a zombie from before a bump
 *   negative epoch                          INVALID_PRODUCER_EPOCH (47): no InitProducerId hands one out
 *   new (higher) epoch, first sequence ≠ 0  OUT_OF_ORDER_SEQUENCE_NUMBER (45)
 *   same epoch, not lastSeq + 1             OUT_OF_ORDER_SEQUENCE_NUMBER (45): a gap or a reordering
 *   no state at all for the id              any sequence is accepted (KIP-360: the state may have been
 *                                           removed with the log by retention or DeleteRecords)
 *
 * Used once per append, on the event-loop thread; it never touches the manager's map until `update`.
 */
export class ProducerAppendInfo {
  private readonly updatedEntry: ProducerStateEntry;

  constructor(
    readonly partition: string,
    readonly producerId: bigint,
    private readonly currentEntry: ProducerStateEntry,
    private readonly origin: AppendOrigin,
  ) {
    this.updatedEntry = currentEntry.withoutBatches();
  }

  append(batch: RecordBatch): void {
    const firstOffset = batch.baseOffset;
    if (batch.isTransactional && this.origin === 'CLIENT') {
      throw new ProducerStateError(
        'INVALID_TXN_STATE',
        `Transactional batch from producer ${this.producerId} at offset ${firstOffset} in ${this.partition}: ` +
          'kq has no transaction coordinator, so no transaction is ongoing. Produce without transactions.',
        this.producerId,
      );
    }
    this.checkProducerEpoch(batch.producerEpoch, firstOffset);
    if (this.origin === 'CLIENT') this.checkSequence(batch.producerEpoch, batch.baseSequence, firstOffset);
    this.updatedEntry.addBatch(
      batch.producerEpoch,
      batch.lastSequence,
      batch.lastOffset,
      batch.lastOffsetDelta,
      batch.maxTimestamp,
    );
  }

  /** The producer's state once this append is in the log. */
  toEntry(): ProducerStateEntry {
    return this.updatedEntry;
  }

  private checkProducerEpoch(producerEpoch: number, offset: bigint): void {
    if (this.origin === 'REPLICATION') return;
    // InitProducerId hands out epoch 0 and clients only ever bump it, so a negative epoch was never issued.
    if (producerEpoch < 0) {
      throw new ProducerStateError(
        'INVALID_PRODUCER_EPOCH',
        `Producer ${this.producerId} sent epoch ${producerEpoch} at offset ${offset} in ${this.partition}; ` +
          'epochs start at 0 (from InitProducerId).',
        this.producerId,
      );
    }
    if (producerEpoch >= this.updatedEntry.producerEpoch) return;
    throw new ProducerStateError(
      'INVALID_PRODUCER_EPOCH',
      `Epoch of producer ${this.producerId} at offset ${offset} in ${this.partition} is ${producerEpoch}, ` +
        `which is smaller than the last seen epoch ${this.updatedEntry.producerEpoch}: a newer instance of this ` +
        'producer has taken over.',
      this.producerId,
    );
  }

  private checkSequence(producerEpoch: number, firstSeq: number, offset: bigint): void {
    const outOfOrder = (why: string) =>
      new ProducerStateError(
        'OUT_OF_ORDER_SEQUENCE_NUMBER',
        `Out of order sequence number for producer ${this.producerId} at offset ${offset} in ${this.partition}: ${why}`,
        this.producerId,
      );
    if (producerEpoch !== this.updatedEntry.producerEpoch) {
      // A bumped epoch restarts the sequence at 0, unless this is the first batch we ever see of the id.
      if (firstSeq !== 0 && this.updatedEntry.producerEpoch !== NO_PRODUCER_EPOCH) {
        throw outOfOrder(
          `sequence ${firstSeq} opens epoch ${producerEpoch} (current epoch ${this.updatedEntry.producerEpoch}); ` +
            'a new epoch must start at sequence 0',
        );
      }
      return;
    }
    let currentLastSeq: number;
    if (!this.updatedEntry.isEmpty) currentLastSeq = this.updatedEntry.lastSeq;
    else if (producerEpoch === this.currentEntry.producerEpoch) currentLastSeq = this.currentEntry.lastSeq;
    else currentLastSeq = NO_SEQUENCE;
    if (this.currentEntry.producerEpoch === NO_PRODUCER_EPOCH || inSequence(currentLastSeq, firstSeq)) return;
    throw outOfOrder(
      `${firstSeq} (incoming sequence), ${currentLastSeq} (current end sequence); expected ${incrementSequence(currentLastSeq, 1)}`,
    );
  }
}
