/**
 * The errors the storage layer reports, each tied to the Kafka protocol error code KafkaApis sends back.
 *
 * The numbers are Kafka's (clients/src/main/java/org/apache/kafka/common/protocol/Errors.java). This is a
 * deliberately minimal local table: the canonical one lives in src/broker/protocol/error-codes.ts, and the
 * two are meant to be unified there. Nothing here is retriable: resending the same bytes fails the same way
 * (OFFSET_OUT_OF_RANGE is fixed by the consumer resetting its position, not by retrying).
 */
export const StorageErrorCode = {
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  MESSAGE_TOO_LARGE: 10,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  INVALID_PRODUCER_EPOCH: 47,
  INVALID_TXN_STATE: 48,
  UNKNOWN_PRODUCER_ID: 59,
  INVALID_RECORD: 87,
} as const;

export type StorageErrorName = keyof typeof StorageErrorCode;

/** Base class: a stable protocol `code` plus its Kafka name, so callers never compare raw numbers. */
export abstract class StorageError extends Error {
  abstract readonly errorName: StorageErrorName;
  readonly retriable = false;

  get code(): number {
    return StorageErrorCode[this.errorName];
  }
}

export type InvalidBatchErrorName = 'CORRUPT_MESSAGE' | 'MESSAGE_TOO_LARGE' | 'INVALID_RECORD';

/**
 * A record batch that must not be stored. Returned (not thrown) by validation so a Produce handler can
 * map it to the partition's error code while the other partitions of the request still succeed.
 */
export class InvalidRecordBatchError extends StorageError {
  override readonly name = 'InvalidRecordBatchError';

  constructor(
    readonly errorName: InvalidBatchErrorName,
    message: string,
    /** Byte position of the offending batch inside the record set or segment file. */
    readonly position: number,
  ) {
    super(message);
  }
}

/** A fetch or lookup asked for an offset the log does not hold (deleted by retention, or not yet written). */
export class OffsetOutOfRangeError extends StorageError {
  override readonly name = 'OffsetOutOfRangeError';
  readonly errorName = 'OFFSET_OUT_OF_RANGE' as const;

  constructor(
    readonly requestedOffset: bigint,
    readonly logStartOffset: bigint,
    readonly logEndOffset: bigint,
    readonly partition: string,
    message?: string,
  ) {
    super(
      message ??
        `Offset ${requestedOffset} is out of range for ${partition}: it holds offsets ${logStartOffset} to ` +
          `${logEndOffset - 1n} (log end offset ${logEndOffset}). Reset the consumer position ` +
          `(auto.offset.reset earliest/latest) or fetch from the log start offset.`,
    );
  }
}

export type ProducerStateErrorName =
  'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH' | 'INVALID_TXN_STATE' | 'UNKNOWN_PRODUCER_ID';

/**
 * A batch an idempotent producer may not append now: a gap or reordering in its sequence numbers, a fenced
 * (older) epoch, or a producer id the broker never issued (Kafka's OutOfOrderSequenceException,
 * InvalidProducerEpochException, InvalidTxnStateException, UnknownProducerIdException). Nothing of the record
 * set is appended; the producer decides whether to retry (the Java client retries 45 and 59 after bumping its
 * epoch, and treats 47 as fatal for the batch).
 */
export class ProducerStateError extends StorageError {
  override readonly name = 'ProducerStateError';

  constructor(
    readonly errorName: ProducerStateErrorName,
    message: string,
    readonly producerId: bigint,
  ) {
    super(message);
  }
}
