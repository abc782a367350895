/**
 * The three fixed-offset fields at the start of every Kafka request header, read without decoding the rest:
 *
 *   Request Header => api_key INT16, api_version INT16, correlation_id INT32, client_id NULLABLE_STRING, ...
 *
 * The network layer reads them only to name a request in logs and counters. Decoding the header and body, and
 * deciding whether the api key and version are supported, is the API layer's job (`KafkaApis`).
 */
export interface PeekedRequestHeader {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
}

/** Bytes a frame needs before the fixed-offset fields can be read. */
export const MIN_REQUEST_FRAME_BYTES = 8;

/** Reads api_key, api_version and correlation_id; `undefined` if the frame is too short to hold them. */
export function peekRequestHeader(frame: Buffer): PeekedRequestHeader | undefined {
  if (frame.length < MIN_REQUEST_FRAME_BYTES) return undefined;
  return {
    apiKey: frame.readInt16BE(0),
    apiVersion: frame.readInt16BE(2),
    correlationId: frame.readInt32BE(4),
  };
}
