import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../src/broker/protocol/primitives/byte-reader.js';
import { ByteWriter } from '../../../src/broker/protocol/primitives/byte-writer.js';
import { ProtocolDecodeError } from '../../../src/broker/protocol/protocol-errors.js';
import {
  decodeRequestHeader,
  isFlexibleRequest,
  readResponseHeader,
  writeRequestHeader,
  writeResponseHeader,
} from '../../../src/broker/protocol/request-header.js';

describe('request header', () => {
  it('round-trips a v1 header with a client id', () => {
    const w = new ByteWriter();
    writeRequestHeader(w, { apiKey: 3, apiVersion: 8, correlationId: 77, clientId: 'kq' });
    w.writeInt8(42); // first body byte
    const frame = w.toBuffer();
    const { header, bodyOffset } = decodeRequestHeader(frame);
    expect(header).toEqual({ apiKey: 3, apiVersion: 8, correlationId: 77, clientId: 'kq', flexible: false });
    expect(frame[bodyOffset]).toBe(42);
  });

  it('accepts a null client id', () => {
    const frame = Buffer.from('0012000000000005ffff', 'hex');
    expect(decodeRequestHeader(frame).header.clientId).toBeNull();
  });

  it('skips the tagged fields of a flexible (v2) header so the body offset is right', () => {
    // ApiVersions v3, correlation 1, client "c", 1 tagged field: tag 0, 2 bytes "zz"; body byte 0x99.
    const frame = Buffer.from('00120003000000010001630100027a7a99', 'hex');
    const { header, bodyOffset } = decodeRequestHeader(frame);
    expect(header).toMatchObject({ apiKey: 18, apiVersion: 3, correlationId: 1, flexible: true });
    expect(frame[bodyOffset]).toBe(0x99);
  });

  it.each([
    ['ApiVersions v3', 18, 3, true],
    ['ApiVersions v2', 18, 2, false],
    ['Metadata v9', 3, 9, true],
    ['Metadata v8', 3, 8, false],
    ['an unknown API', 99, 12, false],
  ] as const)('%s flexible: %s', (_, key, version, flexible) => {
    expect(isFlexibleRequest(key, version)).toBe(flexible);
  });

  it('fails with ProtocolDecodeError on a header cut short', () => {
    expect(() => decodeRequestHeader(Buffer.from('00120000000000', 'hex'))).toThrow(ProtocolDecodeError);
    expect(() => decodeRequestHeader(Buffer.from('001200000000000100ff', 'hex'))).toThrow(ProtocolDecodeError);
  });

  it('writes and reads a v0 response header', () => {
    const w = new ByteWriter();
    writeResponseHeader(w, 123456);
    expect(readResponseHeader(new ByteReader(w.toBuffer()))).toBe(123456);
  });
});
