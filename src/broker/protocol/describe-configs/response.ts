import { MessageCodec } from '../schema/message-codec.js';

// DescribeConfigs Response (Version: 1-2) => throttle_time_ms [results]
//   throttle_time_ms => INT32
//   results => error_code error_message resource_type resource_name [configs]
//     error_code => INT16
//     error_message => NULLABLE_STRING
//     resource_type => INT8
//     resource_name => STRING
//     configs => name value read_only config_source is_sensitive [synonyms]
//       name => STRING
//       value => NULLABLE_STRING
//       read_only => BOOLEAN
//       config_source => INT8
//       is_sensitive => BOOLEAN
//       synonyms => name value source
//         name => STRING
//         value => NULLABLE_STRING
//         source => INT8
//
// DescribeConfigs Response (Version: 3) => throttle_time_ms [results]
//   throttle_time_ms => INT32
//   results => error_code error_message resource_type resource_name [configs]
//     error_code => INT16
//     error_message => NULLABLE_STRING
//     resource_type => INT8
//     resource_name => STRING
//     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation
//       name => STRING
//       value => NULLABLE_STRING
//       read_only => BOOLEAN
//       config_source => INT8
//       is_sensitive => BOOLEAN
//       synonyms => name value source
//         name => STRING
//         value => NULLABLE_STRING
//         source => INT8
//       config_type => INT8
//       documentation => NULLABLE_STRING
//
// DescribeConfigs Response (Version: 4) => throttle_time_ms [results] _tagged_fields
//   throttle_time_ms => INT32
//   results => error_code error_message resource_type resource_name [configs] _tagged_fields
//     error_code => INT16
//     error_message => COMPACT_NULLABLE_STRING
//     resource_type => INT8
//     resource_name => COMPACT_STRING
//     configs => name value read_only config_source is_sensitive [synonyms] config_type documentation _tagged_fields
//       name => COMPACT_STRING
//       value => COMPACT_NULLABLE_STRING
//       read_only => BOOLEAN
//       config_source => INT8
//       is_sensitive => BOOLEAN
//       synonyms => name value source _tagged_fields
//         name => COMPACT_STRING
//         value => COMPACT_NULLABLE_STRING
//         source => INT8
//       config_type => INT8
//       documentation => COMPACT_NULLABLE_STRING
//
// v3 added config_type and documentation (KIP-569), v4 is flexible.

export interface DescribeConfigsResponse {
  throttleTimeMs: number;
  results: DescribeConfigsResult[];
}

export interface DescribeConfigsResult {
  errorCode: number;
  errorMessage: string | null;
  resourceType: number;
  resourceName: string;
  configs: DescribeConfigsResourceResult[];
}

export interface DescribeConfigsResourceResult {
  name: string;
  value: string | null;
  readOnly: boolean;
  /** Kafka's ConfigSource (see CONFIG_SOURCE in server/config-describer.ts). */
  configSource: number;
  isSensitive: boolean;
  /** With include_synonyms: where the value could come from, most specific first, the effective one first. */
  synonyms: DescribeConfigsSynonym[];
  /** v3+: Kafka's ConfigType (1 BOOLEAN, 2 STRING, 3 INT, 4 SHORT, 5 LONG, 6 DOUBLE, 7 LIST, 8 CLASS, 9 PASSWORD). */
  configType: number;
  /** v3+: the documentation, with include_documentation; null otherwise. */
  documentation: string | null;
}

export interface DescribeConfigsSynonym {
  name: string;
  value: string | null;
  source: number;
}

export const describeConfigsResponseCodec = new MessageCodec<DescribeConfigsResponse>({
  name: 'DescribeConfigsResponse',
  apiKey: 32,
  versions: '1-4',
  flexibleVersions: '4+',
  fields: [
    { name: 'throttleTimeMs', type: 'int32', versions: '0+' },
    {
      name: 'results',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'errorCode', type: 'int16', versions: '0+' },
        { name: 'errorMessage', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
        { name: 'resourceType', type: 'int8', versions: '0+' },
        { name: 'resourceName', type: 'string', versions: '0+' },
        {
          name: 'configs',
          type: '[]',
          versions: '0+',
          fields: [
            { name: 'name', type: 'string', versions: '0+' },
            { name: 'value', type: 'string', versions: '0+', nullableVersions: '0+', default: null },
            { name: 'readOnly', type: 'bool', versions: '0+' },
            { name: 'configSource', type: 'int8', versions: '1+', default: -1 },
            { name: 'isSensitive', type: 'bool', versions: '0+' },
            {
              name: 'synonyms',
              type: '[]',
              versions: '1+',
              fields: [
                { name: 'name', type: 'string', versions: '1+' },
                { name: 'value', type: 'string', versions: '1+', nullableVersions: '0+', default: null },
                { name: 'source', type: 'int8', versions: '1+' },
              ],
            },
            { name: 'configType', type: 'int8', versions: '3+', default: 0 },
            { name: 'documentation', type: 'string', versions: '3+', nullableVersions: '0+', default: null },
          ],
        },
      ],
    },
  ],
});
