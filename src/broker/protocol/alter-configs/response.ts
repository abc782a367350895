import { MessageCodec } from '../schema/message-codec.js';

// AlterConfigs Response (Version: 0-1) => throttle_time_ms [responses]
//   throttle_time_ms => INT32
//   responses => error_code error_message resource_type resource_name
//     error_code => INT16
//     error_message => NULLABLE_STRING
//     resource_type => INT8
//     resource_name => STRING
//
// AlterConfigs Response (Version: 2) => throttle_time_ms [responses] _tagged_fields
//   throttle_time_ms => INT32
//   responses => error_code error_message resource_type resource_name _tagged_fields
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     resource_type => INT8
//     resource_name => COMPACT_STRING
//
// IncrementalAlterConfigs answers with the same shape (its own codec, incremental-alter-configs/response.ts).

export interface AlterConfigsResponse {
  throttleTimeMs: number;
  responses: AlterConfigsResourceResponse[];
}

export interface AlterConfigsResourceResponse {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
}

/** The fields of one resource's answer, shared with IncrementalAlterConfigs (Kafka's JSON specs repeat them). */
export const ALTER_CONFIGS_RESOURCE_RESPONSE_FIELDS = [
  { name: 'errorCode', type: 'int16', versions: '0+' },
  { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
  { name: 'resourceType', type: 'int8', versions: '0+' },
  { name: 'resourceName', type: 'string', versions: '0+' },
] as const;

export const alterConfigsResponseCodec = new MessageCodec<AlterConfigsResponse>({
  name: 'AlterConfigsResponse',
  apiKey: 33,
  versions: '0-2',
  flexibleVersions: '2+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'responses', type: '[]', versions: '0+', fields: ALTER_CONFIGS_RESOURCE_RESPONSE_FIELDS },
  ],
});
