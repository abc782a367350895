import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomically } from '../utils/atomic-file.js';

/** Ids handed to a broker at a time (Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE). */
export const PRODUCER_ID_BLOCK_SIZE = 1000n;
/** The data dir file holding the last block taken; named after the ZooKeeper znode Kafka kept it in. */
export const PRODUCER_ID_BLOCK_FILE = 'latest_producer_id_block';
/**
 * Until producer ids come from the controller (one allocator per cluster), each broker allocates from its own range
 * of 2^31 ids starting at broker id × 2^31, so two brokers of a replicated cluster never hand the same id to two
 * producers (which would make one producer's batch look like a retry of the other's on a shared partition, and be
 * acknowledged without being stored). Broker 0, the standalone default, starts at 0.
 */
export const PRODUCER_ID_RANGE_PER_BROKER = 1n << 31n;

/**
 * Where InitProducerId gets a new producer id: this file's ProducerIdManager on one broker, the controller's blocks
 * (RPCProducerIdManager) in a cluster, where an id may have to wait for the next block (a promise).
 */
export interface ProducerIdGenerator {
  generateProducerId(): bigint | Promise<bigint>;
}

/** The persisted block: ids [blockStart, blockEnd] belong to `broker`. */
interface ProducerIdBlock {
  broker: number;
  blockStart: bigint;
  blockEnd: bigint;
}

/** The block file cannot be read: the data dir is damaged, and handing out ids again could reissue old ones. */
export class ProducerIdBlockFileError extends Error {
  override readonly name = 'ProducerIdBlockFileError';
}

/**
 * Hands out producer ids for InitProducerId (Kafka's `ProducerIdManager`), in increasing order, never the same
 * one twice — not even across restarts. Like Kafka, ids are taken in blocks of 1000: before the first id of a
 * block is issued the block's end is written (fsynced, atomically renamed) to `latest_producer_id_block` in the
 * data dir, in the JSON Kafka kept in ZooKeeper (`{"version":1,"broker":0,"block_start":"0","block_end":"999"}`).
 * A restart starts the next block after the persisted one, so the unissued rest of a block is skipped, never
 * reused. Kafka's KRaft controller records the same thing as ProducerIdsRecord in the metadata log; a replicated
 * kq cluster would move it there (one allocator per cluster, not per broker).
 *
 * `isIssued` lets the log refuse a producer id this broker never handed out (UNKNOWN_PRODUCER_ID).
 *
 * Event-loop thread only: KafkaApis calls it synchronously per request.
 */
export class ProducerIdManager implements ProducerIdGenerator {
  private constructor(
    private readonly file: string,
    private readonly brokerId: number,
    /** The first id of this broker's range. */
    private readonly rangeStart: bigint,
    /** Ids from rangeStart below it have been (or may have been) issued. */
    private nextProducerId: bigint,
    /** Last id of the current block; ids up to it may be issued without touching the disk. */
    private blockEnd: bigint,
  ) {}

  static open(dataDir: string, brokerId: number): ProducerIdManager {
    const file = join(dataDir, PRODUCER_ID_BLOCK_FILE);
    const block = existsSync(file) ? readBlock(file) : undefined;
    const rangeStart = BigInt(brokerId) * PRODUCER_ID_RANGE_PER_BROKER;
    // Nothing of the persisted block may be reissued: start past its end, with no block in hand yet.
    const next = block && block.blockEnd >= rangeStart ? block.blockEnd + 1n : rangeStart;
    return new ProducerIdManager(file, brokerId, rangeStart, next, next - 1n);
  }

  generateProducerId(): bigint {
    if (this.nextProducerId > this.blockEnd) this.allocateBlock();
    return this.nextProducerId++;
  }

  /** True for an id this broker handed out (or that a previous run of it may have). */
  isIssued(producerId: bigint): boolean {
    return producerId >= this.rangeStart && producerId < this.nextProducerId;
  }

  private allocateBlock(): void {
    const blockStart = this.nextProducerId;
    if (blockStart + PRODUCER_ID_BLOCK_SIZE > this.rangeStart + PRODUCER_ID_RANGE_PER_BROKER) {
      throw new ProducerIdBlockFileError(
        `broker ${this.brokerId} has handed out all ${PRODUCER_ID_RANGE_PER_BROKER} producer ids of its range`,
      );
    }
    const blockEnd = blockStart + PRODUCER_ID_BLOCK_SIZE - 1n;
    writeBlock(this.file, { broker: this.brokerId, blockStart, blockEnd });
    this.blockEnd = blockEnd;
  }
}

function readBlock(file: string): ProducerIdBlock {
  const text = readFileSync(file, 'utf8');
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    if (json.version !== 1) throw new Error(`version ${String(json.version)}`);
    const blockStart = BigInt(json.block_start as string);
    const blockEnd = BigInt(json.block_end as string);
    if (blockStart < 0n || blockEnd < blockStart) throw new Error(`block ${blockStart}-${blockEnd}`);
    return { broker: Number(json.broker), blockStart, blockEnd };
  } catch (error) {
    throw new ProducerIdBlockFileError(
      `${file} does not hold a producer id block (${error instanceof Error ? error.message : String(error)}); ` +
        'restore it, or delete it only if no producer of this data dir must ever be told apart again',
    );
  }
}

function writeBlock(file: string, block: ProducerIdBlock): void {
  const json = JSON.stringify({
    version: 1,
    broker: block.broker,
    block_start: block.blockStart.toString(),
    block_end: block.blockEnd.toString(),
  });
  writeFileAtomically(file, json);
}
