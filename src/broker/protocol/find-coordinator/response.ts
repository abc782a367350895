import { MessageCodec } from '../schema/message-codec.js';

// FindCoordinator Response (Version: 0) => error_code node_id host port
//   error_code => INT16
//   node_id => INT32
//   host => STRING
//   port => INT32
//
// FindCoordinator Response (Version: 1-2) => throttle_time_ms error_code error_message node_id host port
//   throttle_time_ms => INT32
//   error_code => INT16
//   error_message => NULLABLE_STRING
//   node_id => INT32
//   host => STRING
//   port => INT32
//
// FindCoordinator Response (Version: 3) => throttle_time_ms error_code error_message node_id host port _tagged_fields
//   throttle_time_ms => INT32
//   error_code => INT16
//   error_message => COMPACT_NULLABLE_STRING
//   node_id => INT32
//   host => COMPACT_STRING
//   port => INT32
//
// FindCoordinator Response (Version: 4-6) => throttle_time_ms [coordinators] _tagged_fields
//   throttle_time_ms => INT32
//   coordinators => key node_id host port error_code error_message _tagged_fields
//     key => COMPACT_STRING
//     node_id => INT32
//     host => COMPACT_STRING
//     port => INT32
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//
// v1 added throttle_time_ms and error_message.

export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
  /** v4+: one entry per requested key (the fields above are then unused). */
  coordinators?: Coordinator[];
}

export interface Coordinator {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

export const findCoordinatorResponseCodec = new MessageCodec<FindCoordinatorResponse>({
  name: 'FindCoordinatorResponse',
  apiKey: 10,
  versions: '0-6',
  flexibleVersions: '3+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'coordinators',
      type: '[]',
      versions: '4+',
      fields: [
        { name: 'key', type: 'string', versions: '4+' },
        { name: 'nodeId', type: 'int32', versions: '4+' },
        { name: 'host', type: 'string', versions: '4+' },
        { name: 'port', type: 'int32', versions: '4+' },
        { name: 'errorCode', type: 'int16', versions: '4+' },
        { name: 'errorMessage', type: 'string', versions: '4+', nullableVersions: '4+', default: null },
      ],
    },
    { name: 'errorCode', type: 'int16', versions: '0-3' },
    { name: 'errorMessage', type: 'string', versions: '1-3', nullableVersions: '1-3', default: null },
    { name: 'nodeId', type: 'int32', versions: '0-3' },
    { name: 'host', type: 'string', versions: '0-3' },
    { name: 'port', type: 'int32', versions: '0-3' },
  ],
});
