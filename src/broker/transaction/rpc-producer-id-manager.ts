import type { AllocateProducerIdsRequest } from '../protocol/allocate-producer-ids/request.js';
import type { AllocateProducerIdsResponse } from '../protocol/allocate-producer-ids/response.js';
import { ErrorCode, errorInfo } from '../protocol/error-codes.js';
import type { ProducerIdGenerator } from './producer-id-manager.js';

/** A block is prefetched once fewer than this share of its ids is left (Kafka's RPCProducerIdManager: 10%). */
const PREFETCH_THRESHOLD = 0.1;

export interface RPCProducerIdManagerOptions {
  readonly brokerId: number;
  /** This broker's current broker epoch (the controller refuses a stale one). */
  readonly brokerEpoch: () => bigint;
  /** The active controller, wherever it runs (the broker's ControllerApis). */
  readonly controller: {
    allocateProducerIds(request: AllocateProducerIdsRequest): Promise<AllocateProducerIdsResponse>;
  };
  /** How long an InitProducerId may wait for a block before it is answered COORDINATOR_LOAD_IN_PROGRESS. */
  readonly timeoutMs: number;
  readonly retryBackoffMs?: number;
}

/** No block could be had in time: InitProducerId answers COORDINATOR_LOAD_IN_PROGRESS, which clients retry. */
export class ProducerIdsUnavailableError extends Error {
  override readonly name = 'ProducerIdsUnavailableError';
}

interface Block {
  next: bigint;
  /** One past the block's last id. */
  readonly end: bigint;
  readonly size: number;
}

/**
 * Producer ids for InitProducerId in a replicated cluster (Kafka's `RPCProducerIdManager`, KIP-730): ids come in
 * blocks from the active controller (AllocateProducerIds), which records each block in the metadata log, so two
 * brokers never hand out the same id and a restarted broker never reuses one. The next block is fetched while a
 * tenth of the current one is left, so producers rarely wait; when none is at hand, `generateProducerId` waits for
 * it (up to `timeoutMs`) instead of failing at once.
 *
 * Event-loop thread only; owned by the broker's TransactionCoordinator.
 */
export class RPCProducerIdManager implements ProducerIdGenerator {
  private current: Block | undefined;
  private prefetched: Block | undefined;
  private fetching: Promise<void> | undefined;

  constructor(private readonly options: RPCProducerIdManagerOptions) {}

  generateProducerId(): bigint | Promise<bigint> {
    const id = this.take();
    if (id !== undefined) return id;
    return this.waitForBlock().then(() => {
      const next = this.take();
      if (next === undefined) throw new ProducerIdsUnavailableError('the block just fetched was used up; retry');
      return next;
    });
  }

  private take(): bigint | undefined {
    if (this.current && this.current.next >= this.current.end) this.current = undefined;
    if (!this.current && this.prefetched) {
      this.current = this.prefetched;
      this.prefetched = undefined;
    }
    const block = this.current;
    if (!block) return undefined;
    const id = block.next++;
    if (!this.prefetched && Number(block.end - block.next) < block.size * PREFETCH_THRESHOLD)
      void this.fetch().catch(() => undefined);
    return id;
  }

  private async waitForBlock(): Promise<void> {
    const deadline = Date.now() + this.options.timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      try {
        await this.fetch();
        return;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
        await new Promise((resolve) => setTimeout(resolve, this.options.retryBackoffMs ?? 100));
      }
    }
    throw new ProducerIdsUnavailableError(
      `no producer id block from the controller within ${this.options.timeoutMs} ms (${last})`,
    );
  }

  /** One AllocateProducerIds; concurrent callers share it. */
  private fetch(): Promise<void> {
    this.fetching ??= (async () => {
      try {
        const response = await this.options.controller.allocateProducerIds({
          brokerId: this.options.brokerId,
          brokerEpoch: this.options.brokerEpoch(),
        });
        if (response.errorCode !== ErrorCode.NONE)
          throw new Error(`AllocateProducerIds answered ${errorInfo(response.errorCode).name}`);
        const block = {
          next: response.producerIdStart,
          end: response.producerIdStart + BigInt(response.producerIdLen),
          size: response.producerIdLen,
        };
        if (!this.current || this.current.next >= this.current.end) this.current = block;
        else this.prefetched = block;
      } finally {
        this.fetching = undefined;
      }
    })();
    return this.fetching;
  }
}
