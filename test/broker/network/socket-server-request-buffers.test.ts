import { describe, expect, it } from 'vitest';
import type { SocketServer } from '../../../src/broker/network/index.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';
import { HeldApis } from './support/fake-apis.js';
import { requestFrame } from './support/frames.js';
import { useServers } from './support/harness.js';
import type { TestClient } from './support/test-client.js';

const startServer = useServers();
const PRODUCE = 0;

/** A Produce-keyed frame whose body is a pattern particular to `correlationId`. */
function produceFrame(correlationId: number, bodyBytes: number): Buffer {
  const body = Buffer.alloc(bodyBytes);
  for (let i = 0; i < bodyBytes; i++) body[i] = (i * 13 + correlationId) & 0xff;
  return requestFrame(correlationId, body, PRODUCE, 9);
}

const processor = (server: SocketServer) => server.metrics().processors[0]!;

/** Writes `frame` in two pieces, the second only once the server has read the first: the frame spans two reads. */
async function writeInTwoReads(server: SocketServer, client: TestClient, frame: Buffer): Promise<void> {
  const before = processor(server).bytesIn;
  const half = Math.floor(frame.length / 2);
  client.write(frame.subarray(0, half));
  await waitUntil(() => processor(server).bytesIn >= before + half, 'the server read the first half of the frame');
  client.write(frame.subarray(half));
}

describe('SocketServer request buffers (Produce frames joined into reused buffers)', () => {
  it('does not reuse a Produce frame’s buffer until the response to it has been written', async () => {
    const apis = new HeldApis();
    const { server, connect } = await startServer(apis, { numNetworkThreads: 1 });
    const a = await connect();
    const b = await connect();
    const frameA = produceFrame(1, 200_000);
    await writeInTwoReads(server, a, frameA);
    await waitUntil(() => apis.held.length === 1, 'request 1 reached a handler');
    expect(processor(server).requestBuffers.created).toBe(1);
    const heldA = apis.take(1);
    expect(heldA.request.frame.equals(frameA.subarray(4))).toBe(true);

    // Answer with the frame's own bytes as the last chunk, behind 8 MiB the paused client cannot take: the write
    // is still under way, so the frame's bytes are still to be read by the socket.
    a.socket.pause();
    const filler = Buffer.alloc(8 * 1024 * 1024, 0x5a);
    const echoed = heldA.request.frame.subarray(8);
    heldA.answer({ kind: 'send', payload: [frameA.subarray(8, 12), filler, echoed] });
    await waitUntil(() => processor(server).bytesOut > 8 * 1024 * 1024, 'the response to request 1 is being written');

    // Another Produce frame joined meanwhile must get a buffer of its own.
    const frameB = produceFrame(2, 300_000);
    await writeInTwoReads(server, b, frameB);
    await waitUntil(() => apis.held.length === 1, 'request 2 reached a handler');
    expect(processor(server).requestBuffers).toMatchObject({ created: 2, reused: 0 });
    expect(apis.held[0]!.request.frame.equals(frameB.subarray(4))).toBe(true);

    a.socket.resume();
    const [response] = await a.waitForResponses(1, 20_000);
    expect(response!.equals(Buffer.concat([frameA.subarray(8, 12), filler, frameA.subarray(12)]))).toBe(true);

    // Once written, the buffer is reused by the next joined Produce frame, which arrives intact.
    const frameA2 = produceFrame(3, 150_000);
    await writeInTwoReads(server, a, frameA2);
    await waitUntil(() => apis.held.length === 2, 'request 3 reached a handler');
    expect(processor(server).requestBuffers.reused).toBe(1);
    expect(apis.take(3).request.frame.equals(frameA2.subarray(4))).toBe(true);
    expect(apis.take(2).request.frame.equals(frameB.subarray(4))).toBe(true);
  }, 30_000);

  it('never joins frames of other requests into reused buffers (they may keep views of their frame)', async () => {
    const apis = new HeldApis();
    const { server, connect } = await startServer(apis, { numNetworkThreads: 1 });
    const client = await connect();
    const frame = requestFrame(7, Buffer.alloc(200_000, 1), 11, 5); // JoinGroup
    await writeInTwoReads(server, client, frame);
    await waitUntil(() => apis.held.length === 1, 'the JoinGroup reached a handler');
    expect(apis.held[0]!.request.frame.equals(frame.subarray(4))).toBe(true);
    expect(processor(server).requestBuffers).toMatchObject({ created: 0, reused: 0 });
  });
});
