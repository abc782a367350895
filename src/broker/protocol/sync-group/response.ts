import { MessageCodec } from '../schema/message-codec.js';

// SyncGroup Response (Version: 0) => error_code assignment
//   error_code => INT16
//   assignment => BYTES
//
// SyncGroup Response (Version: 1-3) => throttle_time_ms error_code assignment
//   throttle_time_ms => INT32
//   error_code => INT16
//   assignment => BYTES
//
// v1 added throttle_time_ms.

export interface SyncGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  assignment: Buffer;
}

export const syncGroupResponseCodec = new MessageCodec<SyncGroupResponse>({
  name: 'SyncGroupResponse',
  apiKey: 14,
  versions: '0-3',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'assignment', type: 'bytes', versions: '0+' },
  ],
});
