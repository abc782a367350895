import { API_KEYS } from '../api-keys.js';
import { ErrorCode } from '../error-codes.js';
import type { ByteReader } from '../primitives/byte-reader.js';
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
// v1 added throttle_time_ms. The body is built from api-keys.ts, so what the broker advertises
// can never drift from the table. Since KIP-511 the list is filled in even when error_code is
// UNSUPPORTED_VERSION, which is how a client learns which ApiVersions version to retry with.

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionsResponseKey[];
  throttleTimeMs: number;
}

export interface ApiVersionsResponseKey {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export const apiVersionsResponseCodec = new MessageCodec<ApiVersionsResponse>({
  name: 'ApiVersionsResponse',
  apiKey: 18,
  versions: '0-2',
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
  ],
});

/**
 * The broker's answer, built from the API_KEYS table. Pass ErrorCode.UNSUPPORTED_VERSION when the
 * client asked for an ApiVersions version above 2, and encode the result as version 0.
 */
export function buildApiVersionsResponse(errorCode: number = ErrorCode.NONE): ApiVersionsResponse {
  return {
    errorCode,
    apiKeys: API_KEYS.map(({ key, minVersion, maxVersion }) => ({ apiKey: key, minVersion, maxVersion })),
    throttleTimeMs: 0,
  };
}

export function decodeApiVersionsResponse(version: number, body: Buffer | ByteReader): ApiVersionsResponse {
  return apiVersionsResponseCodec.decode(version, body);
}

export function encodeApiVersionsResponse(version: number, response: ApiVersionsResponse): Buffer {
  return apiVersionsResponseCodec.encode(version, response);
}
