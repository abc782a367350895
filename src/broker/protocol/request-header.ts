import { apiKeyInfo } from './api-keys.js';
import { ByteReader } from './primitives/byte-reader.js';
import type { ByteWriter } from './primitives/byte-writer.js';

/**
 * Request Header v1 => request_api_key request_api_version correlation_id client_id
 *   request_api_key => INT16
 *   request_api_version => INT16
 *   correlation_id => INT32
 *   client_id => NULLABLE_STRING
 * Request Header v2 (flexible versions) => v1 fields + TAG_BUFFER
 *
 * kq serves only non-flexible versions, but must still read a v2 header far enough to answer
 * librdkafka's opening ApiVersions v3 with a v0 body and UNSUPPORTED_VERSION (KIP-511). The tagged
 * fields are skipped, not interpreted.
 *
 * Response Header v0 => correlation_id INT32. Every response kq sends uses v0: its own versions are
 * non-flexible, and ApiVersions responses always use v0 so a client can read the error in any version.
 */
export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** True when the header carried tagged fields (a flexible version of a known API). */
  readonly flexible: boolean;
}

export interface DecodedRequestHeader {
  readonly header: RequestHeader;
  /** Offset in the frame where the request body starts. */
  readonly bodyOffset: number;
}

/** Whether a request of this API and version uses header v2 (unknown APIs are read as v1). */
export function isFlexibleRequest(apiKey: number, apiVersion: number): boolean {
  const info = apiKeyInfo(apiKey);
  return info !== undefined && apiVersion >= info.firstFlexibleVersion;
}

/** Decodes the header at the start of a frame (size prefix already removed). */
export function decodeRequestHeader(frame: Buffer | ByteReader): DecodedRequestHeader {
  const reader = frame instanceof ByteReader ? frame : new ByteReader(frame);
  const apiKey = reader.readInt16();
  const apiVersion = reader.readInt16();
  const correlationId = reader.readInt32();
  const clientId = reader.readNullableString();
  const flexible = isFlexibleRequest(apiKey, apiVersion);
  if (flexible) skipTaggedFields(reader);
  return { header: { apiKey, apiVersion, correlationId, clientId, flexible }, bodyOffset: reader.offset };
}

function skipTaggedFields(reader: ByteReader): void {
  const count = reader.readUVarint();
  for (let i = 0; i < count; i++) {
    reader.readUVarint(); // tag
    reader.skip(reader.readUVarint());
  }
}

/** Client side: writes a v1 header (kq's codec never sends flexible requests). */
export function writeRequestHeader(
  writer: ByteWriter,
  header: Pick<RequestHeader, 'apiKey' | 'apiVersion' | 'correlationId' | 'clientId'>,
): void {
  writer
    .writeInt16(header.apiKey)
    .writeInt16(header.apiVersion)
    .writeInt32(header.correlationId)
    .writeNullableString(header.clientId);
}

export function writeResponseHeader(writer: ByteWriter, correlationId: number): void {
  writer.writeInt32(correlationId);
}

/** Client side: reads the v0 response header and returns the correlation id. */
export function readResponseHeader(reader: ByteReader): number {
  return reader.readInt32();
}
