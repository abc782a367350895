import { MessageCodec } from '../schema/message-codec.js';

// InitProducerId Response (Version: 0-1) => throttle_time_ms error_code producer_id producer_epoch
//   throttle_time_ms => INT32
//   error_code => INT16
//   producer_id => INT64
//   producer_epoch => INT16
//
// InitProducerId Response (Version: 2-5) => throttle_time_ms error_code producer_id producer_epoch _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   producer_id => INT64
//   producer_epoch => INT16
//
// Unchanged up to v5 apart from flexible encoding (v2+); on error the id and epoch are -1.

export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}

export const initProducerIdResponseCodec = new MessageCodec<InitProducerIdResponse>({
  name: 'InitProducerIdResponse',
  apiKey: 22,
  versions: '0-5',
  flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'producerId', type: 'int64', versions: '0+' },
    { name: 'producerEpoch', type: 'int16', versions: '0+' },
  ],
});
