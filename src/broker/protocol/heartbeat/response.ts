import { MessageCodec } from '../schema/message-codec.js';

// Heartbeat Response (Version: 0) => error_code
//   error_code => INT16
//
// Heartbeat Response (Version: 1-3) => throttle_time_ms error_code
//   throttle_time_ms => INT32
//   error_code => INT16
//
// Heartbeat Response (Version: 4) => throttle_time_ms error_code _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//
// v1 added throttle_time_ms. REBALANCE_IN_PROGRESS here is how members learn to rejoin.

export interface HeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
}

export const heartbeatResponseCodec = new MessageCodec<HeartbeatResponse>({
  name: 'HeartbeatResponse',
  apiKey: 12,
  versions: '0-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
});
