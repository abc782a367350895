import type { InitProducerIdRequest } from '../protocol/init-producer-id/request.js';
import type { InitProducerIdResponse } from '../protocol/init-producer-id/response.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { ProducerIdGenerator } from './producer-id-manager.js';

const NO_PRODUCER_ID = -1n;
const NO_PRODUCER_EPOCH = -1;

/**
 * The part of Kafka's `TransactionCoordinator` that idempotent producers need: InitProducerId hands out a fresh
 * producer id at epoch 0 from the ProducerIdManager. kq has no transaction coordinator (no
 * `__transaction_state`, no transactional ids), so a producer with a transactional.id is answered as Kafka answers
 * a broker that does not coordinate that id: NOT_COORDINATOR (FindCoordinator with key type 1 already answers
 * COORDINATOR_NOT_AVAILABLE, so a transactional producer never finds a coordinator and times out in
 * initTransactions rather than being told it may retry here).
 *
 * Event-loop thread only; holds no state beyond the id manager.
 */
export class TransactionCoordinator {
  constructor(private readonly producerIdManager: ProducerIdGenerator) {}

  handleInitProducerId(request: InitProducerIdRequest): InitProducerIdResponse | Promise<InitProducerIdResponse> {
    const fail = (errorCode: number): InitProducerIdResponse => ({
      throttleTimeMs: 0,
      errorCode,
      producerId: NO_PRODUCER_ID,
      producerEpoch: NO_PRODUCER_EPOCH,
    });
    // KafkaApis.handleInitProducerIdRequest: an id without an epoch (or the reverse) is malformed.
    if ((request.producerId === NO_PRODUCER_ID) !== (request.producerEpoch === NO_PRODUCER_EPOCH)) {
      return fail(ErrorCode.INVALID_REQUEST);
    }
    if (request.transactionalId !== null) {
      // TransactionCoordinator.handleInitProducerId: an empty transactional id is INVALID_REQUEST; any other
      // is looked up in __transaction_state, and a broker that does not own its partition says NOT_COORDINATOR.
      return fail(request.transactionalId === '' ? ErrorCode.INVALID_REQUEST : ErrorCode.NOT_COORDINATOR);
    }
    // Idempotent producer: always a new id at epoch 0, whatever id and epoch it had (Kafka does the same; the
    // old id's state simply ages out).
    const answer = (producerId: bigint): InitProducerIdResponse => ({
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      producerId,
      producerEpoch: 0,
    });
    const id = this.producerIdManager.generateProducerId();
    if (typeof id === 'bigint') return answer(id);
    // In a cluster the id may wait for a block from the controller; none in time is Kafka's answer for it,
    // COORDINATOR_LOAD_IN_PROGRESS, which producers retry.
    return id.then(answer, () => fail(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS));
  }
}
