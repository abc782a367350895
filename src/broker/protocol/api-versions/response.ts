import { API_KEYS } from '../api-keys.js';
import { ErrorCode } from '../error-codes.js';
import { MessageCodec } from '../schema/message-codec.js';

// ApiVersions Response (Version: 0) => error_code [api_keys]
//   error_code => INT16
//   api_keys => api_key min_version max_version
//     api_key => INT16
//     min_version => INT16
//     max_version => INT16
//
// ApiVersions Response (Version: 1-2) => error_code [api_keys] throttle_time_ms
//   error_code => INT16
//   api_keys => api_key min_version max_version
//     api_key => INT16
//     min_version => INT16
//     max_version => INT16
//   throttle_time_ms => INT32
//
// ApiVersions Response (Version: 3-4) => error_code [api_keys] throttle_time_ms _tagged_fields
//   error_code => INT16
//   api_keys => api_key min_version max_version _tagged_fields
//     api_key => INT16
//     min_version => INT16
//     max_version => INT16
//   throttle_time_ms => INT32
//   supported_features (tag 0) => name min_version max_version _tagged_fields
//     name => COMPACT_STRING
//     min_version => INT16
//     max_version => INT16
//   finalized_features_epoch => INT64 (tag 1)
//   finalized_features (tag 2) => name max_version_level min_version_level _tagged_fields
//     name => COMPACT_STRING
//     max_version_level => INT16
//     min_version_level => INT16
//   zk_migration_ready => BOOLEAN (tag 3)
//
// v1 added throttle_time_ms. The body is built from api-keys.ts, so what the broker advertises
// can never drift from the table. Since KIP-511 the list is filled in even when error_code is
// UNSUPPORTED_VERSION, which is how a client learns which ApiVersions version to retry with.

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionsResponseKey[];
  throttleTimeMs: number;
  /** Tagged (v3+). kq has no feature flags (KIP-584) to advertise: empty. */
  supportedFeatures?: ApiVersionsFeature[];
  finalizedFeaturesEpoch?: bigint;
  finalizedFeatures?: ApiVersionsFinalizedFeature[];
  zkMigrationReady?: boolean;
}

export interface ApiVersionsFeature {
  name: string;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsFinalizedFeature {
  name: string;
  maxVersionLevel: number;
  minVersionLevel: number;
}

export interface ApiVersionsResponseKey {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export const apiVersionsResponseCodec = new MessageCodec<ApiVersionsResponse>({
  name: 'ApiVersionsResponse',
  apiKey: 18,
  versions: '0-4',
  flexibleVersions: '3+',
  flexibleHeaderVersions: 'none',
  fields: [
    { name: 'errorCode', type: 'int16', versions: '0+' },
    {
      name: 'apiKeys',
      type: '[]',
      versions: '0+',
      fields: [
        { name: 'apiKey', type: 'int16', versions: '0+' },
        { name: 'minVersion', type: 'int16', versions: '0+' },
        { name: 'maxVersion', type: 'int16', versions: '0+' },
      ],
    },
    { name: 'throttleTimeMs', type: 'int32', versions: '1+' },
    {
      name: 'supportedFeatures',
      type: '[]',
      versions: '3+',
      taggedVersions: '3+',
      tag: 0,
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'minVersion', type: 'int16', versions: '3+' },
        { name: 'maxVersion', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'finalizedFeaturesEpoch', type: 'int64', versions: '3+', taggedVersions: '3+', tag: 1, default: -1n },
    {
      name: 'finalizedFeatures',
      type: '[]',
      versions: '3+',
      taggedVersions: '3+',
      tag: 2,
      fields: [
        { name: 'name', type: 'string', versions: '3+' },
        { name: 'maxVersionLevel', type: 'int16', versions: '3+' },
        { name: 'minVersionLevel', type: 'int16', versions: '3+' },
      ],
    },
    { name: 'zkMigrationReady', type: 'bool', versions: '3+', taggedVersions: '3+', tag: 3 },
  ],
});

/**
 * The broker's answer, built from the API_KEYS table. Pass ErrorCode.UNSUPPORTED_VERSION when the
 * client asked for an ApiVersions version above 4, and encode the result as version 0.
 */
export function buildApiVersionsResponse(errorCode: number = ErrorCode.NONE): ApiVersionsResponse {
  return {
    errorCode,
    apiKeys: API_KEYS.map(({ key, minVersion, maxVersion }) => ({ apiKey: key, minVersion, maxVersion })),
    throttleTimeMs: 0,
  };
}
