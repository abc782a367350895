import { MessageCodec } from '../schema/message-codec.js';

// InitProducerId Request (Version: 0-1) => transactional_id transaction_timeout_ms
//   transactional_id => NULLABLE_STRING
//   transaction_timeout_ms => INT32
//
// InitProducerId Request (Version: 2) => transactional_id transaction_timeout_ms _tagged_fields
//   transactional_id => COMPACT_NULLABLE_STRING
//   transaction_timeout_ms => INT32
//
// InitProducerId Request (Version: 3-5) => transactional_id transaction_timeout_ms producer_id producer_epoch _tagged_fields
//   transactional_id => COMPACT_NULLABLE_STRING
//   transaction_timeout_ms => INT32
//   producer_id => INT64
//   producer_epoch => INT16
//
// v1 is the same as v0 (it marks clients that understand throttling after the response). v2 is the first
// flexible version; v3 adds producer_id and producer_epoch (KIP-360: a transactional producer resumes after
// INVALID_PRODUCER_EPOCH; an idempotent one still gets a new id); v4 (PRODUCER_FENCED) and v5
// (TRANSACTION_ABORTABLE) only add error codes of transactions, which kq never returns.

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
  versions: '0-5',
  flexibleVersions: '2+',
  fields: [
    { name: 'transactionalId', type: 'string', versions: '0+', nullableVersions: '0+' },
    { name: 'transactionTimeoutMs', type: 'int32', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '3+', default: -1n },
    { name: 'producerEpoch', type: 'int16', versions: '3+', default: -1 },
  ],
});
