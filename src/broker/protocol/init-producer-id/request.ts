import { MessageCodec } from '../schema/message-codec.js';

// InitProducerId Request (Version: 0-1) => transactional_id transaction_timeout_ms
//   transactional_id => NULLABLE_STRING
//   transaction_timeout_ms => INT32
//
// v1 is the same as v0 (it marks clients that understand throttling after the response). v2 is the first
// flexible version; v3 adds producer_id and producer_epoch (KIP-360: resume after INVALID_PRODUCER_EPOCH);
// v4-5 only add error codes.

export interface InitProducerIdRequest {
  /** null for an idempotent producer; a transactional producer's transactional.id otherwise. */
  transactionalId: string | null;
  transactionTimeoutMs: number;
  /** v3+: the id and epoch the producer has now, or -1 / -1. */
  producerId: bigint;
  producerEpoch: number;
}

export const initProducerIdRequestCodec = new MessageCodec<InitProducerIdRequest>({
  name: 'InitProducerIdRequest',
  apiKey: 22,
  versions: '0-1',
  flexibleVersions: '2+',
  fields: [
    { name: 'transactionalId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '3+', default: -1n },
    { name: 'producerEpoch', type: 'int16', versions: '3+', default: -1 },
  ],
});
