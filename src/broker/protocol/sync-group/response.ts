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
// SyncGroup Response (Version: 4) => throttle_time_ms error_code assignment _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   assignment => COMPACT_BYTES
//
// SyncGroup Response (Version: 5) => throttle_time_ms error_code protocol_type protocol_name assignment _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   protocol_type => COMPACT_NULLABLE_STRING
//   protocol_name => COMPACT_NULLABLE_STRING
//   assignment => COMPACT_BYTES
//
// v1 added throttle_time_ms.

export interface SyncGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** v5+: the group's protocol type and name (null in errors). */
  protocolType?: string | null;
  protocolName?: string | null;
  assignment: Buffer;
}

export const syncGroupResponseCodec = new MessageCodec<SyncGroupResponse>({
  name: 'SyncGroupResponse',
  apiKey: 14,
  versions: '0-5',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    { name: 'errorCode', type: 'int16', versions: '0+' },
    { name: 'protocolType', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
    { name: 'protocolName', type: 'string', versions: '5+', nullableVersions: '5+', default: null },
    { name: 'assignment', type: 'bytes', versions: '0+' },
  ],
});
