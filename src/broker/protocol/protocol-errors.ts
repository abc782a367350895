/**
 * Errors raised by the codec. Both carry a stable `code` so the network layer can decide what to do
 * (Kafka's SocketServer closes the connection on either) without matching on message text.
 */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code: 'PROTOCOL_DECODE_ERROR' | 'UNSUPPORTED_API_VERSION' | 'PROTOCOL_ENCODE_ERROR',
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The bytes do not form a valid message: truncated, a negative or oversized length, trailing garbage.
 * Thrown before anything is allocated for the bad length, so a hostile frame cannot exhaust memory.
 */
export class ProtocolDecodeError extends ProtocolError {
  constructor(
    message: string,
    /** Byte offset in the buffer being decoded where the problem was found. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`, 'PROTOCOL_DECODE_ERROR');
  }
}

/** A message value cannot be written: a string longer than int16 allows, a missing required field. */
export class ProtocolEncodeError extends ProtocolError {
  constructor(message: string) {
    super(message, 'PROTOCOL_ENCODE_ERROR');
  }
}

/** The codec has no schema for this (api key, version); callers must check the advertised range first. */
export class UnsupportedApiVersionError extends ProtocolError {
  constructor(
    readonly apiName: string,
    readonly apiVersion: number,
    readonly minVersion: number,
    readonly maxVersion: number,
  ) {
    super(
      `${apiName} version ${apiVersion} is not supported; this codec handles versions ${minVersion}-${maxVersion}`,
      'UNSUPPORTED_API_VERSION',
    );
  }
}
