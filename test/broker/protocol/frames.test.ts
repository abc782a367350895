import { describe, expect, it } from 'vitest';
import { API_CODECS } from '../../../src/broker/protocol/api-registry.js';
import { ApiKey } from '../../../src/broker/protocol/api-keys.js';
import type { FetchResponse } from '../../../src/broker/protocol/fetch/response.js';
import { decodeResponseFrame, encodeRequestFrame, encodeResponseFrame } from '../../../src/broker/protocol/frames.js';
import { ByteReader } from '../../../src/broker/protocol/primitives/byte-reader.js';
import { decodeRequestHeader } from '../../../src/broker/protocol/request-header.js';

describe('frames', () => {
  it('a request frame carries its size, header and body, and the broker side decodes it back', () => {
    const request = { key: 'group-1', keyType: 0 };
    const frame = encodeRequestFrame(
      ApiKey.FindCoordinator,
      { apiVersion: 2, correlationId: 9, clientId: 'kq' },
      request,
    );
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    const body = frame.subarray(4);
    const { header, bodyOffset } = decodeRequestHeader(body);
    expect(header).toMatchObject({ apiKey: ApiKey.FindCoordinator, apiVersion: 2, correlationId: 9, clientId: 'kq' });
    expect(API_CODECS[ApiKey.FindCoordinator].decodeRequest(2, new ByteReader(body, bodyOffset))).toMatchObject(
      request,
    );
  });

  it('a Fetch response frame references stored batches without copying them', () => {
    const batch = Buffer.alloc(100_000, 0xab);
    const response: FetchResponse = {
      throttleTimeMs: 0,
      errorCode: 0,
      sessionId: 0,
      responses: [
        {
          topic: 't',
          partitions: [
            {
              partitionIndex: 0,
              errorCode: 0,
              highWatermark: 1n,
              lastStableOffset: 1n,
              logStartOffset: 0n,
              abortedTransactions: null,
              preferredReadReplica: -1,
              records: batch,
            },
          ],
        },
      ],
    };
    const chunks = encodeResponseFrame(ApiKey.Fetch, 11, 5, response);
    expect(chunks).toContain(batch);
    const frame = Buffer.concat(chunks);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);

    const { correlationId, response: decoded } = decodeResponseFrame(ApiKey.Fetch, 11, frame.subarray(4));
    expect(correlationId).toBe(5);
    expect(decoded.responses[0]!.partitions[0]!.records!.equals(batch)).toBe(true);
  });
});
