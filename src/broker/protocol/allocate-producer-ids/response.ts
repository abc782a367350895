import { MessageCodec } from '../schema/message-codec.js';

// AllocateProducerIds Response (Version: 0) => throttle_time_ms error_code producer_id_start producer_id_len _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   producer_id_start => INT64
//   producer_id_len => INT32
//
// The block the controller committed for the broker: ids [producer_id_start, producer_id_start + producer_id_len).
// From Kafka's AllocateProducerIdsResponse.json.

export interface AllocateProducerIdsResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerIdStart: bigint;
  producerIdLen: number;
}

export const allocateProducerIdsResponseCodec = new MessageCodec<AllocateProducerIdsResponse>({
  name: 'AllocateProducerIdsResponse',
  apiKey: 67,
  versions: '0',
  flexibleVersions: '0+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'producerIdStart', type: 'int64', versions: '0+' },
    { name: 'producerIdLen', type: 'int32', versions: '0+' },
  ],
});
