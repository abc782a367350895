import { MessageCodec } from '../schema/message-codec.js';

// AllocateProducerIds Request (Version: 0) => broker_id broker_epoch _tagged_fields
//   broker_id => INT32
//   broker_epoch => INT64
//
// KIP-730: a broker asks the active controller for a block of producer ids to hand to idempotent producers, so
// that no two brokers of a cluster ever give out the same id. From Kafka's AllocateProducerIdsRequest.json.

export interface AllocateProducerIdsRequest {
  brokerId: number;
  brokerEpoch: bigint;
}

export const allocateProducerIdsRequestCodec = new MessageCodec<AllocateProducerIdsRequest>({
  name: 'AllocateProducerIdsRequest',
  apiKey: 67,
  versions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'brokerId', type: 'int32', versions: '0+' },
    { name: 'brokerEpoch', type: 'int64', versions: '0+', default: -1n },
  ],
});
