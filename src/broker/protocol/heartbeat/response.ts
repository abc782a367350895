import type { ByteReader } from '../primitives/byte-reader.js';
import { MessageCodec } from '../schema/message-codec.js';

// Heartbeat Response (Version: 0) => error_code
//   error_code => INT16
//
// Heartbeat Response (Version: 1-3) => throttle_time_ms error_code
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
  versions: '0-3',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
  ],
});

export function decodeHeartbeatResponse(version: number, body: Buffer | ByteReader): HeartbeatResponse {
  return heartbeatResponseCodec.decode(version, body);
}

export function encodeHeartbeatResponse(version: number, response: HeartbeatResponse): Buffer {
  return heartbeatResponseCodec.encode(version, response);
}
