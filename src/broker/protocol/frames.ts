import { API_CODECS } from './api-registry.js';
import type { ApiRequest, ApiResponse } from './api-registry.js';
import type { ApiKey } from './api-keys.js';
import { ByteReader } from './primitives/byte-reader.js';
import { ByteWriter } from './primitives/byte-writer.js';
import { readResponseHeader, writeRequestHeader, writeResponseHeader } from './request-header.js';

/**
 * Whole frames: `int32 size` + header + body. Broker side writes responses, client side (tests,
 * demos, the load generator) writes requests and reads responses. Splitting a TCP stream into
 * frames is the network layer's job, not this module's.
 */

function withSizePrefix(chunks: Buffer[], length: number): Buffer[] {
  const size = Buffer.allocUnsafe(4);
  size.writeInt32BE(length, 0);
  return [size, ...chunks];
}

/**
 * Broker side: a response frame as chunks, ready for `socket.write` of each (or `Buffer.concat`).
 * Large record sets are referenced, not copied.
 */
export function encodeResponseFrame<K extends ApiKey>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  response: ApiResponse<K>,
): Buffer[] {
  const writer = new ByteWriter();
  writeResponseHeader(writer, correlationId, API_CODECS[apiKey].response.hasFlexibleHeader(apiVersion));
  API_CODECS[apiKey].encodeResponse(apiVersion, response, writer);
  return withSizePrefix(writer.toChunks(), writer.length);
}

export interface RequestFrameHeader {
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
}

/** Client side: one request frame with its size prefix, as a single Buffer. */
export function encodeRequestFrame<K extends ApiKey>(
  apiKey: K,
  header: RequestFrameHeader,
  request: ApiRequest<K>,
): Buffer {
  const writer = new ByteWriter();
  writeRequestHeader(writer, { apiKey, ...header });
  writer.writeRaw(API_CODECS[apiKey].encodeRequest(header.apiVersion, request));
  return Buffer.concat(withSizePrefix(writer.toChunks(), writer.length));
}

/** Client side: a response frame without its size prefix; the caller knows the key and version it asked for. */
export function decodeResponseFrame<K extends ApiKey>(
  apiKey: K,
  apiVersion: number,
  frame: Buffer,
): { correlationId: number; response: ApiResponse<K> } {
  const reader = new ByteReader(frame);
  const correlationId = readResponseHeader(reader, API_CODECS[apiKey].response.hasFlexibleHeader(apiVersion));
  return { correlationId, response: API_CODECS[apiKey].decodeResponse(apiVersion, reader) };
}
