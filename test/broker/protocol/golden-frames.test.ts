import { describe, expect, it } from 'vitest';
import { apiCodecFor } from '../../../src/broker/protocol/api-registry.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import { ByteReader } from '../../../src/broker/protocol/primitives/byte-reader.js';
import { ByteWriter } from '../../../src/broker/protocol/primitives/byte-writer.js';
import { decodeRequestHeader, writeRequestHeader } from '../../../src/broker/protocol/request-header.js';
import { capturedFrames, type CapturedFrame } from '../../fixtures/captured-frames.js';

// Real frames captured from kcat/librdkafka 2.0.2 and kafkajs 2.2.4 (see fixtures/README.md).
const frames = capturedFrames();

const supported = (f: CapturedFrame): boolean => apiCodecFor(f.apiKey)?.request.supports(f.apiVersion) ?? false;
const label = (f: CapturedFrame): string =>
  `${f.scenario} ${f.dir} key ${f.apiKey} v${f.apiVersion} #${f.correlationId}`;

const requests = frames.filter((f) => f.dir === 'request' && supported(f));
// librdkafka 2.0.2's mock answers ApiVersions v3 with error 35 in a body that is neither v0 nor v3
// (a one-byte array count, no final tagged fields); real Kafka answers with a v0 body (KIP-511).
const mockQuirk = (f: CapturedFrame): boolean =>
  f.apiKey === ApiKey.ApiVersions && f.apiVersion === 3 && f.hex.slice(8, 12) === '0023';
const responses = frames.filter((f) => f.dir === 'response' && supported(f) && !mockQuirk(f));

describe('captured request frames', () => {
  it("cover the whole fixture file, librdkafka's flexible ApiVersions v3 probes included", () => {
    expect(frames.filter((f) => f.dir === 'request' && !supported(f))).toEqual([]);
    expect(requests.length).toBeGreaterThan(100);
  });

  it.each(requests.map((f) => [label(f), f] as const))('%s decodes every byte and re-encodes identically', (_, f) => {
    const bytes = Buffer.from(f.hex, 'hex');
    const { header, bodyOffset } = decodeRequestHeader(bytes);
    expect(header).toMatchObject({ apiKey: f.apiKey, apiVersion: f.apiVersion, correlationId: f.correlationId });
    expect(header.clientId).toBe(f.clientId ?? null);

    const codec = apiCodecFor(f.apiKey)!;
    const request = codec.decodeRequest(f.apiVersion, new ByteReader(bytes, bodyOffset));

    const writer = new ByteWriter();
    writeRequestHeader(writer, header);
    writer.writeRaw(codec.encodeRequest(f.apiVersion, request));
    expect(writer.toBuffer().toString('hex')).toBe(f.hex);
  });
});

describe('captured ApiVersions v3 requests (flexible header)', () => {
  const probes = frames.filter((f) => f.dir === 'request' && f.apiKey === ApiKey.ApiVersions && f.apiVersion === 3);

  it.each(probes.map((f) => [label(f), f] as const))('%s: header v2 and compact body decoded', (_, f) => {
    const bytes = Buffer.from(f.hex, 'hex');
    const { header, bodyOffset } = decodeRequestHeader(bytes);
    expect(header).toEqual({
      apiKey: 18,
      apiVersion: 3,
      correlationId: f.correlationId,
      clientId: 'rdkafka',
      flexible: true,
    });
    expect(apiCodecFor(ApiKey.ApiVersions)!.decodeRequest(3, new ByteReader(bytes, bodyOffset))).toEqual({
      clientSoftwareName: 'librdkafka',
      clientSoftwareVersion: '2.0.2',
    });
  });
});

describe('captured response frames (librdkafka mock broker)', () => {
  it.each(responses.map((f) => [label(f), f] as const))('%s decodes every byte', (_, f) => {
    const reader = new ByteReader(Buffer.from(f.hex, 'hex'));
    expect(reader.readInt32()).toBe(f.correlationId);
    expect(() => apiCodecFor(f.apiKey)!.decodeResponse(f.apiVersion, reader)).not.toThrow();
  });
});
