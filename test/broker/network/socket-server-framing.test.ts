import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EchoApis } from './support/fake-apis.js';
import { correlationIdOf, requestFrame, sizePrefix } from './support/frames.js';
import { useServers } from './support/harness.js';
import { TestClient } from './support/test-client.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

const startServer = useServers();

describe('SocketServer framing', () => {
  it('answers every request of a pipelined burst that arrives in one read, in order', async () => {
    const apis = new EchoApis();
    const { connect } = await startServer(apis);
    const client = await connect();
    client.write(Buffer.concat([1, 2, 3, 4, 5].map((id) => requestFrame(id, Buffer.from(`body-${id}`)))));
    const responses = await client.waitForResponses(5);
    expect(responses.map(correlationIdOf)).toEqual([1, 2, 3, 4, 5]);
    expect(responses.map((r) => String(r.subarray(4)))).toEqual(['body-1', 'body-2', 'body-3', 'body-4', 'body-5']);
  });

  it('assembles requests sent one byte per read', async () => {
    const { server, connect } = await startServer(new EchoApis());
    const client = await connect();
    const stream = Buffer.concat([requestFrame(1, Buffer.from('first')), requestFrame(2, Buffer.from('second'))]);
    for (let sent = 1; sent <= stream.length; sent += 1) {
      client.write(stream.subarray(sent - 1, sent));
      // Wait until the server has read this byte, so every byte is a separate read on the server side.
      await waitUntil(() => server.metrics().bytesIn === sent, `the server read ${sent} bytes`);
    }
    const responses = await client.waitForResponses(2);
    expect(responses.map((r) => `${correlationIdOf(r)}:${String(r.subarray(4))}`)).toEqual(['1:first', '2:second']);
  });

  it('passes a multi-megabyte request through intact, however many reads it takes', async () => {
    const apis = new EchoApis();
    const { connect } = await startServer(apis);
    const client = await connect();
    const body = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < body.length; i += 4096) body.writeUInt32BE(i, i);
    client.write(Buffer.concat([requestFrame(1, body), requestFrame(2)]));
    const responses = await client.waitForResponses(2, 15_000);
    expect(responses.map(correlationIdOf)).toEqual([1, 2]);
    expect(responses[0]?.subarray(4).equals(body)).toBe(true);
  });

  it.each([
    { case: 'a negative size', bytes: sizePrefix(-1), reason: /cannot be negative/ },
    {
      case: 'a size over socket.request.max.bytes, before its payload is sent',
      bytes: sizePrefix(1025),
      reason: /exceeds socket.request.max.bytes \(1024\)/,
    },
    {
      case: 'a frame too short for a request header',
      bytes: Buffer.concat([sizePrefix(4), Buffer.alloc(4)]),
      reason: /too short for a request header/,
    },
  ])('closes only the connection that sends $case', async ({ bytes, reason }) => {
    const { server, connect, closed } = await startServer(new EchoApis(), { socketRequestMaxBytes: 1024 });
    const good = await connect();
    const bad = await connect();
    good.write(requestFrame(1));
    await good.waitForResponses(1);

    bad.write(bytes);
    await bad.waitForClose();

    good.write(requestFrame(2));
    expect((await good.waitForResponses(2)).map(correlationIdOf)).toEqual([1, 2]);
    expect(good.hasClosed).toBe(false);
    expect(server.metrics().rejectedFrames).toBe(1);
    await waitUntil(() => closed.length === 1, 'the close event was emitted');
    expect(closed[0]?.reason).toMatch(reason);
  });

  it('answers any chunking of a stream of requests with the same responses, in order', async () => {
    const { server, port } = await startServer(new EchoApis());
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 64 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        async (bodies, cutSeeds) => {
          const stream = Buffer.concat(bodies.map((body, i) => requestFrame(i, Buffer.from(body))));
          const cuts = [...new Set(cutSeeds.map((seed) => seed % stream.length))]
            .filter((c) => c > 0)
            .sort((a, b) => a - b);
          const client = await TestClient.connect(port);
          try {
            const readBefore = server.metrics().bytesIn;
            let start = 0;
            for (const end of [...cuts, stream.length]) {
              client.write(stream.subarray(start, end));
              // One write per server read: wait until these bytes are in before sending the next chunk.
              await waitUntil(() => server.metrics().bytesIn - readBefore === end, `the server read ${end} bytes`);
              start = end;
            }
            const responses = await client.waitForResponses(bodies.length);
            expect(responses.map(correlationIdOf)).toEqual(bodies.map((_, i) => i));
            expect(responses.map((r) => r.subarray(4).toString('hex'))).toEqual(
              bodies.map((body) => Buffer.from(body).toString('hex')),
            );
          } finally {
            client.destroy();
            await client.closed;
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
