import { describe, expect, it } from 'vitest';
import { API_CODECS, apiCodecFor } from '../../../src/broker/protocol/api-registry.js';
import { API_KEYS, ApiKey, apiKeyInfo, isAdvertisedVersion } from '../../../src/broker/protocol/api-keys.js';
import {
  apiVersionsResponseCodec,
  buildApiVersionsResponse,
} from '../../../src/broker/protocol/api-versions/response.js';
import { ErrorCode } from '../../../src/broker/protocol/error-codes.js';

describe('api-keys table and codec registry', () => {
  it('registers a codec for exactly the keys the broker advertises', () => {
    expect(
      Object.keys(API_CODECS)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(API_KEYS.map((a) => a.key).sort((a, b) => a - b));
  });

  it.each(API_KEYS.map((info) => [info.name, info] as const))(
    '%s: codecs implement every advertised version; request and response agree on flexible versions',
    (_, info) => {
      const codec = API_CODECS[info.key];
      expect(codec.info).toBe(info);
      expect(codec.request.schema.apiKey).toBe(info.key);
      expect(codec.response.schema.apiKey).toBe(info.key);
      for (let v = info.minVersion; v <= info.maxVersion; v++) {
        expect(codec.request.supports(v), `request v${v}`).toBe(true);
        expect(codec.response.supports(v), `response v${v}`).toBe(true);
      }
      expect(codec.request.schema.flexibleVersions).toBe(codec.response.schema.flexibleVersions);
    },
  );

  it.each([
    ['Produce from 0 (librdkafka compression), served from 3, up to v13 (topic ids)', ApiKey.Produce, 0, 13],
    ['Fetch from 4 (RecordBatch v2) to v18', ApiKey.Fetch, 4, 18],
    ['ApiVersions 0-4', ApiKey.ApiVersions, 0, 4],
    ['FindCoordinator including v0, without v6 (share groups)', ApiKey.FindCoordinator, 0, 5],
    ['Metadata including v0, up to v13', ApiKey.Metadata, 0, 13],
  ] as const)('advertises %s', (_, key, min, max) => {
    expect(apiKeyInfo(key)).toMatchObject({ minVersion: min, maxVersion: max });
  });

  it('knows which versions are advertised, and which Produce versions are only advertised', () => {
    expect(isAdvertisedVersion(ApiKey.Produce, 0)).toBe(true);
    expect(isAdvertisedVersion(ApiKey.Produce, 14)).toBe(false);
    expect(isAdvertisedVersion(ApiKey.ApiVersions, 5)).toBe(false);
    expect(isAdvertisedVersion(42, 0)).toBe(false);
  });

  it('has no codec for an API the broker does not speak', () => {
    expect(apiCodecFor(24)).toBeUndefined(); // AddPartitionsToTxn
    expect(apiCodecFor(ApiKey.Fetch)).toBe(API_CODECS[ApiKey.Fetch]);
  });
});

describe('ApiVersions response built from the table', () => {
  it('lists every API with its advertised range', () => {
    const response = buildApiVersionsResponse();
    expect(response.errorCode).toBe(ErrorCode.NONE);
    expect(response.apiKeys).toEqual(
      API_KEYS.map((a) => ({ apiKey: a.key, minVersion: a.minVersion, maxVersion: a.maxVersion })),
    );
  });

  it('answers an unsupported ApiVersions version with a v0 body carrying error 35 and the ranges (KIP-511)', () => {
    const bytes = apiVersionsResponseCodec.encode(0, buildApiVersionsResponse(ErrorCode.UNSUPPORTED_VERSION));
    expect(bytes.readInt16BE(0)).toBe(35);
    const decoded = apiVersionsResponseCodec.decode(0, bytes);
    expect(decoded.apiKeys.find((k) => k.apiKey === ApiKey.ApiVersions)).toEqual({
      apiKey: 18,
      minVersion: 0,
      maxVersion: 4,
    });
  });
});
