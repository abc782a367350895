import { apiCodecFor } from './api-registry.js';
import { ByteReader } from './primitives/byte-reader.js';
import type { ByteWriter } from './primitives/byte-writer.js';
import { MessageCodec } from './schema/message-codec.js';

// Request Header (Version: 1) => request_api_key request_api_version correlation_id client_id
//   request_api_key => INT16
//   request_api_version => INT16
//   correlation_id => INT32
//   client_id => NULLABLE_STRING
//
// Request Header (Version: 2) => request_api_key request_api_version correlation_id client_id _tagged_fields
//   request_api_key => INT16
//   request_api_version => INT16
//   correlation_id => INT32
//   client_id => NULLABLE_STRING
//
// Response Header (Version: 0) => correlation_id
//   correlation_id => INT32
//
// Response Header (Version: 1) => correlation_id _tagged_fields
//   correlation_id => INT32
//
// Kafka's RequestHeader.json and ResponseHeader.json as tables. A request uses header v2 when its
// API's request schema is flexible at that version, a response v1 when its schema's header is
// flexible (never for ApiVersions, whose response header stays v0 so any client can read the error).
// client_id stays a non-compact string in v2 (its own `flexibleVersions: none`): an old broker must
// read the header of an ApiVersions request of any version to answer it.

export interface RequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  /** True when the header is v2 (the API's request is flexible at this version). */
  readonly flexible: boolean;
}

export interface DecodedRequestHeader {
  readonly header: RequestHeader;
  /** Offset in the frame where the request body starts. */
  readonly bodyOffset: number;
}

interface RequestHeaderData {
  requestApiKey: number;
  requestApiVersion: number;
  correlationId: number;
  clientId: string | null;
}

const requestHeaderCodec = new MessageCodec<RequestHeaderData>({
  name: 'RequestHeader',
  apiKey: -1,
  versions: '1-2',
  flexibleVersions: '2+',
  fields: [
    { name: 'requestApiKey', type: 'int16', versions: '0+' },
    { name: 'requestApiVersion', type: 'int16', versions: '0+' },
    { name: 'correlationId', type: 'int32', versions: '0+' },
    { name: 'clientId', type: 'string', versions: '1+', nullableVersions: '1+', flexibleVersions: 'none' },
  ],
});

const responseHeaderCodec = new MessageCodec<{ correlationId: number }>({
  name: 'ResponseHeader',
  apiKey: -1,
  versions: '0-1',
  flexibleVersions: '1+',
  fields: [{ name: 'correlationId', type: 'int32', versions: '0+' }],
});

/** Whether a request of this API and version uses header v2 (unknown APIs are read as v1). */
export function isFlexibleRequest(apiKey: number, apiVersion: number): boolean {
  return apiCodecFor(apiKey)?.request.isFlexible(apiVersion) ?? false;
}

/** Whether the response to this API and version carries header v1. */
export function isFlexibleResponseHeader(apiKey: number, apiVersion: number): boolean {
  return apiCodecFor(apiKey)?.response.hasFlexibleHeader(apiVersion) ?? false;
}

/** Decodes the header at the start of a frame (size prefix already removed). */
export function decodeRequestHeader(frame: Buffer | ByteReader): DecodedRequestHeader {
  const reader = frame instanceof ByteReader ? frame : new ByteReader(frame);
  // Which header version follows depends on the api key and version it starts with.
  const flexible = isFlexibleRequest(reader.peekInt16(0), reader.peekInt16(2));
  const data = requestHeaderCodec.read(flexible ? 2 : 1, reader);
  const bodyOffset = reader.offset;
  return {
    header: {
      apiKey: data.requestApiKey,
      apiVersion: data.requestApiVersion,
      correlationId: data.correlationId,
      clientId: data.clientId,
      flexible,
    },
    bodyOffset,
  };
}

/** Client side: writes header v1, or v2 when the API's request is flexible at this version. */
export function writeRequestHeader(
  writer: ByteWriter,
  header: Pick<RequestHeader, 'apiKey' | 'apiVersion' | 'correlationId' | 'clientId'>,
): void {
  requestHeaderCodec.write(
    isFlexibleRequest(header.apiKey, header.apiVersion) ? 2 : 1,
    {
      requestApiKey: header.apiKey,
      requestApiVersion: header.apiVersion,
      correlationId: header.correlationId,
      clientId: header.clientId,
    },
    writer,
  );
}

/** Broker side: response header v0, or v1 (an empty tagged-field section) when `flexible`. */
export function writeResponseHeader(writer: ByteWriter, correlationId: number, flexible = false): void {
  responseHeaderCodec.write(flexible ? 1 : 0, { correlationId }, writer);
}

/** Client side: reads the response header (v1 when `flexible`) and returns the correlation id. */
export function readResponseHeader(reader: ByteReader, flexible = false): number {
  return responseHeaderCodec.read(flexible ? 1 : 0, reader).correlationId;
}
