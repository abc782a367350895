import { describe, expect, it } from 'vitest';
import { HeldApis } from './support/fake-apis.js';
import { requestFrame } from './support/frames.js';
import { useServers } from './support/harness.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

const startServer = useServers();

/** A response payload: the correlation id, then `size` bytes of a pattern the client can check. */
function patterned(correlationId: number, size: number, chunks: number): Buffer[] {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i++) body[i] = (i * 7 + correlationId) & 0xff;
  const header = Buffer.alloc(4);
  header.writeInt32BE(correlationId, 0);
  const step = Math.ceil(size / chunks);
  const parts = [header];
  for (let at = 0; at < size; at += step) parts.push(body.subarray(at, Math.min(size, at + step)));
  return parts;
}

describe('SocketServer send completion (when pooled response bytes may be reused)', () => {
  it.each([
    { case: 'a large response written as chunks', size: 8 * 1024 * 1024, chunks: 9 },
    { case: 'a small response copied behind its size prefix', size: 2_000, chunks: 3 },
  ])(
    'calls onComplete once, after which the payload is not read again: $case',
    async ({ size, chunks }) => {
      const apis = new HeldApis();
      const { connect } = await startServer(apis);
      const client = await connect();
      client.write(requestFrame(5));
      await waitUntil(() => apis.held.length === 1, 'the request reached a handler');
      const payload = patterned(5, size, chunks);
      const expected = Buffer.concat(payload);
      let completions = 0;
      // The client reads nothing yet: a large payload cannot all fit in the socket buffers, so the server's
      // write is still in progress when the handler's turn ends.
      client.socket.pause();
      apis.take(5).answer({
        kind: 'send',
        payload,
        onComplete: () => {
          completions += 1;
          // What a reused pooled buffer would do: the client must still get the bytes as they were.
          for (const chunk of payload) chunk.fill(0xee);
        },
      });
      await new Promise((resolve) => setImmediate(resolve));
      client.socket.resume();
      const [response] = await client.waitForResponses(1, 20_000);
      expect(response!.equals(expected)).toBe(true);
      await waitUntil(() => completions > 0, 'onComplete was called');
      expect(completions).toBe(1);
    },
    30_000,
  );

  it('calls onComplete for a response whose connection closed before it was ready', async () => {
    const apis = new HeldApis();
    const { server, connect, closed } = await startServer(apis);
    const client = await connect();
    client.write(requestFrame(9));
    await waitUntil(() => apis.held.length === 1, 'the request reached a handler');
    client.socket.resetAndDestroy(); // a reset, not a half-close: the server closes the connection at once
    await waitUntil(() => closed.length === 1, 'the server saw the connection close');
    let completions = 0;
    apis.take(9).answer({ kind: 'send', payload: Buffer.alloc(100_000), onComplete: () => (completions += 1) });
    await waitUntil(
      () => server.metrics().processors.some((p) => p.responsesDropped === 1),
      'the response was dropped',
    );
    expect(completions).toBe(1);
  });
});
