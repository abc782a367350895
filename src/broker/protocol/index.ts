/**
 * The protocol codec's public surface, for the broker's network layer, the fuzzer, demos and the
 * load generator. Per-API typed functions and types live in `<api>/request.ts` and `response.ts`.
 */
export { API_KEYS, ApiKey, apiKeyInfo, isAdvertisedVersion, MIN_SERVED_PRODUCE_VERSION } from './api-keys.js';
export type { ApiKeyInfo, ApiName } from './api-keys.js';
export { API_CODECS, apiCodecFor } from './api-registry.js';
export type { ApiCodec, ApiMessages, ApiRequest, ApiResponse } from './api-registry.js';
export { ERROR_CODES, ErrorCode, errorInfo } from './error-codes.js';
export type { ErrorInfo, ErrorName } from './error-codes.js';
export { decodeResponseFrame, encodeRequestFrame, encodeResponseFrame } from './frames.js';
export type { RequestFrameHeader } from './frames.js';
export { ByteReader } from './primitives/byte-reader.js';
export { ByteWriter } from './primitives/byte-writer.js';
export {
  ProtocolDecodeError,
  ProtocolEncodeError,
  ProtocolError,
  UnsupportedApiVersionError,
} from './protocol-errors.js';
export {
  decodeRequestHeader,
  isFlexibleRequest,
  isFlexibleResponseHeader,
  readResponseHeader,
  writeRequestHeader,
  writeResponseHeader,
} from './request-header.js';
export type { DecodedRequestHeader, RequestHeader } from './request-header.js';
export { buildApiVersionsResponse } from './api-versions/response.js';
export { MessageCodec, UNKNOWN_TAGGED_FIELDS, ZERO_UUID } from './schema/message-codec.js';
export type { UnknownTaggedField } from './schema/message-codec.js';
