import { ALTER_CONFIGS_RESOURCE_RESPONSE_FIELDS } from '../alter-configs/response.js';
import type { AlterConfigsResourceResponse } from '../alter-configs/response.js';
import { MessageCodec } from '../schema/message-codec.js';

// IncrementalAlterConfigs Response (Version: 0) => throttle_time_ms [responses]
//   throttle_time_ms => INT32
//   responses => error_code error_message resource_type resource_name
//     error_code => INT16
//     error_message => NULLABLE_STRING
//     resource_type => INT8
//     resource_name => STRING
//
// IncrementalAlterConfigs Response (Version: 1) => throttle_time_ms [responses] _tagged_fields
//   throttle_time_ms => INT32
//   responses => error_code error_message resource_type resource_name _tagged_fields
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     resource_type => INT8
//     resource_name => COMPACT_STRING

export interface IncrementalAlterConfigsResponse {
  throttleTimeMs: number;
  responses: AlterConfigsResourceResponse[];
}

export const incrementalAlterConfigsResponseCodec = new MessageCodec<IncrementalAlterConfigsResponse>({
  name: 'IncrementalAlterConfigsResponse',
  apiKey: 44,
  versions: '0-1',
  flexibleVersions: '1+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    { name: 'responses', type: '[]', versions: '0+', fields: ALTER_CONFIGS_RESOURCE_RESPONSE_FIELDS },
  ],
});
