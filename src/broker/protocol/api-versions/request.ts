import type { ByteReader } from '../primitives/byte-reader.js';
import { MessageCodec } from '../schema/message-codec.js';

// ApiVersions Request (Version: 0-2) =>
//
// The body is empty in v0-2. v3 (flexible, with client_software_name/version) is recognised by
// the request-header decoder only, so the broker can answer it with a v0 body and UNSUPPORTED_VERSION.

/** The message has no fields in these versions. */
export type ApiVersionsRequest = Record<string, never>;

export const apiVersionsRequestCodec = new MessageCodec<ApiVersionsRequest>({
  name: 'ApiVersionsRequest',
  apiKey: 18,
  versions: '0-2',
  fields: [],
});

export function decodeApiVersionsRequest(version: number, body: Buffer | ByteReader): ApiVersionsRequest {
  return apiVersionsRequestCodec.decode(version, body);
}

export function encodeApiVersionsRequest(version: number, request: ApiVersionsRequest): Buffer {
  return apiVersionsRequestCodec.encode(version, request);
}
