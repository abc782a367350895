/** Builds a size-prefixed request frame: api_key, api_version, correlation_id, then `body` (no client id needed). */
export function requestFrame(
  correlationId: number,
  body: Buffer = Buffer.alloc(0),
  apiKey = 18,
  apiVersion = 0,
): Buffer {
  const frame = Buffer.alloc(4 + 8 + body.length);
  frame.writeInt32BE(8 + body.length, 0);
  frame.writeInt16BE(apiKey, 4);
  frame.writeInt16BE(apiVersion, 6);
  frame.writeInt32BE(correlationId, 8);
  body.copy(frame, 12);
  return frame;
}

/** A bare 4-byte size prefix (what a client sends first), for frames the server must refuse. */
export function sizePrefix(size: number): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(size, 0);
  return prefix;
}

/** The correlation id at the start of a response payload (response header v0). */
export function correlationIdOf(response: Buffer): number {
  return response.readInt32BE(0);
}
