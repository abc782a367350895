import type { MetadataRecord, ProducerIdsRecord } from '../metadata/metadata-records.js';

/** Ids in one block handed to a broker (Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE). */
export const PRODUCER_ID_BLOCK_SIZE = 1000;

/** A block of producer ids: [firstProducerId, firstProducerId + size). */
export interface ProducerIdsBlock {
  readonly assignedBrokerId: number;
  readonly firstProducerId: bigint;
  readonly size: number;
}

/** Every producer id has been handed out (2^63 of them): Kafka answers UNKNOWN_SERVER_ERROR too. */
export class ProducerIdsExhaustedError extends Error {
  override readonly name = 'ProducerIdsExhaustedError';
}

const MAX_PRODUCER_ID = (1n << 63n) - 1n;

/**
 * The cluster's producer-id allocator (Kafka's `ProducerIdControlManager`, KIP-730): the next producer id not yet
 * given to any broker, replayed from ProducerIdsRecords by every controller. The active controller hands a broker
 * the next block of PRODUCER_ID_BLOCK_SIZE ids by writing a ProducerIdsRecord that moves the mark past it; a block is
 * the broker's once that record is committed, so no id is ever given twice, across controller failovers and whole
 * cluster restarts alike. Owned by the QuorumController.
 */
export class ProducerIdControlManager {
  private nextProducerId = 0n;

  replay(record: MetadataRecord): void {
    if (record.type === 'ProducerIdsRecord') this.nextProducerId = record.nextProducerId;
  }

  /** The next id no broker has been given. */
  get next(): bigint {
    return this.nextProducerId;
  }

  /** The next block for `brokerId` and the record that claims it (applied only by its replay, once committed). */
  generateNextProducerIdBlock(
    brokerId: number,
    brokerEpoch: bigint,
  ): { block: ProducerIdsBlock; record: ProducerIdsRecord } {
    const first = this.nextProducerId;
    if (first > MAX_PRODUCER_ID - BigInt(PRODUCER_ID_BLOCK_SIZE))
      throw new ProducerIdsExhaustedError(`every producer id up to ${MAX_PRODUCER_ID} has been handed out`);
    return {
      block: { assignedBrokerId: brokerId, firstProducerId: first, size: PRODUCER_ID_BLOCK_SIZE },
      record: {
        type: 'ProducerIdsRecord',
        brokerId,
        brokerEpoch,
        nextProducerId: first + BigInt(PRODUCER_ID_BLOCK_SIZE),
      },
    };
  }
}
