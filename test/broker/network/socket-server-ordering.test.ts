import { describe, expect, it } from 'vitest';
import type { Request, Response } from '../../../src/broker/network/index.js';
import { HeldApis } from './support/fake-apis.js';
import { correlationIdOf, requestFrame } from './support/frames.js';
import { useServers } from './support/harness.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

const startServer = useServers();

describe('SocketServer response order and response kinds', () => {
  it('lets pipelined requests of one connection reach the handlers one at a time, answering in order', async () => {
    const apis = new HeldApis();
    const { server, connect } = await startServer(apis, { numIoThreads: 4 });
    const client = await connect();
    const burst = Buffer.concat([requestFrame(1), requestFrame(2), requestFrame(3)]);
    client.write(burst);
    await waitUntil(() => server.metrics().bytesIn === burst.length, 'the server read the whole burst');
    await waitUntil(() => apis.held.length === 1, 'the first request reached a handler');

    for (const id of [1, 2, 3]) {
      // Idle handlers are free, yet only the in-flight request of this connection has been handed out.
      expect(apis.held.map((h) => h.request.header.correlationId)).toEqual([id]);
      expect(server.metrics().processors.find((p) => p.connections === 1)?.mutedConnections).toBe(1);
      apis.echo(id);
      await client.waitForResponses(id);
      if (id < 3) await waitUntil(() => apis.held.length === 1, `request ${id + 1} reached a handler`);
    }
    expect(client.responses.map(correlationIdOf)).toEqual([1, 2, 3]);
  });

  it('keeps request order per connection while the handlers finish requests in reverse order', async () => {
    const apis = new HeldApis();
    const { connect } = await startServer(apis, { numIoThreads: 8, numNetworkThreads: 2 });
    const clients = [await connect(), await connect(), await connect()];
    // Connection k pipelines requests k*10+1, k*10+2, k*10+3.
    clients.forEach((client, k) => client.write(Buffer.concat([1, 2, 3].map((n) => requestFrame(k * 10 + n)))));

    for (let round = 1; round <= 3; round += 1) {
      await waitUntil(() => apis.held.length === clients.length, `round ${round}: one request per connection held`);
      const held = apis.held.map((h) => h.request.header.correlationId);
      expect(held.sort((a, b) => a - b)).toEqual(clients.map((_, k) => k * 10 + round));
      // Finish the newest first: the reverse of arrival order.
      for (const id of apis.held.map((h) => h.request.header.correlationId).reverse()) apis.echo(id);
      await Promise.all(clients.map((client) => client.waitForResponses(round)));
    }
    clients.forEach((client, k) => {
      expect(client.responses.map(correlationIdOf)).toEqual([k * 10 + 1, k * 10 + 2, k * 10 + 3]);
    });
  });

  it('does not hold back one connection while a request of another is slow', async () => {
    const apis = new HeldApis();
    const { connect } = await startServer(apis);
    const slow = await connect();
    const fast = await connect();
    slow.write(requestFrame(1));
    await waitUntil(() => apis.held.length === 1, 'the slow request reached a handler');
    fast.write(requestFrame(2));
    await waitUntil(() => apis.held.length === 2, 'the fast request reached a handler');
    apis.echo(2);
    expect((await fast.waitForResponses(1)).map(correlationIdOf)).toEqual([2]);
    expect(slow.responses).toEqual([]);
    apis.echo(1);
    expect((await slow.waitForResponses(1)).map(correlationIdOf)).toEqual([1]);
  });

  it('sends nothing for a noop response (acks=0) and goes on serving the connection', async () => {
    const apis = new HeldApis();
    const { server, connect } = await startServer(apis);
    const client = await connect();
    client.write(Buffer.concat([requestFrame(1, Buffer.alloc(0), 0), requestFrame(2)]));
    await waitUntil(() => apis.held.length === 1, 'the produce request reached a handler');
    apis.take(1).answer({ kind: 'noop' });
    await waitUntil(() => apis.held.length === 1, 'the next request reached a handler');
    apis.echo(2);
    client.write(requestFrame(3));
    await waitUntil(() => apis.held.length === 1, 'the third request reached a handler');
    apis.echo(3);
    expect((await client.waitForResponses(2)).map(correlationIdOf)).toEqual([2, 3]);
    expect(server.metrics().processors.reduce((n, p) => n + p.noopResponses, 0)).toBe(1);
  });

  it('handles every request pipelined just before the client ended its side, then closes', async () => {
    // kcat with acks=0 writes its produce requests and closes at once: Kafka still handles what it read.
    const apis = new HeldApis();
    const { server, connect } = await startServer(apis);
    const client = await connect();
    client.socket.end(Buffer.concat([1, 2, 3].map((id) => requestFrame(id, Buffer.alloc(0), 0))));
    for (const id of [1, 2, 3]) {
      await waitUntil(() => apis.held.length === 1, `acks=0 request ${id} reached a handler after the client ended`);
      apis.take(id).answer({ kind: 'noop' });
    }
    await client.waitForClose();
    expect(server.metrics().processors.reduce((n, p) => n + p.noopResponses, 0)).toBe(3);
  });

  it('answers a request sent by a client that half-closed its side', async () => {
    const apis = new HeldApis();
    const { connect } = await startServer(apis);
    const client = await connect();
    client.socket.end(requestFrame(7));
    await waitUntil(() => apis.held.length === 1, 'the request reached a handler');
    apis.echo(7);
    expect((await client.waitForResponses(1)).map(correlationIdOf)).toEqual([7]);
    await client.waitForClose();
  });

  it.each<{
    case: string;
    finish: (held: { answer(r: Response): void; fail(e: Error): void }) => void;
    reason: RegExp;
  }>([
    {
      case: 'a close response',
      finish: (held) => held.answer({ kind: 'close', reason: 'unsupported api key 99' }),
      reason: /closed by the request handler: unsupported api key 99/,
    },
    {
      case: 'a handler that throws',
      finish: (held) => held.fail(new Error('decoder bug')),
      reason: /request handler failed on api key 99: decoder bug/,
    },
  ])('closes only the connection whose request ends in $case', async ({ finish, reason }) => {
    const apis = new HeldApis();
    const { connect, closed } = await startServer(apis);
    const doomed = await connect();
    const other = await connect();
    doomed.write(requestFrame(1, Buffer.alloc(0), 99));
    await waitUntil(() => apis.held.length === 1, 'the request reached a handler');
    finish(apis.take(1));
    await doomed.waitForClose();
    expect(doomed.responses).toEqual([]);
    expect(closed.map((event) => event.reason)).toEqual([expect.stringMatching(reason)]);

    apis.releaseAll();
    other.write(requestFrame(2));
    expect((await other.waitForResponses(1)).map(correlationIdOf)).toEqual([2]);
  });

  it('hands the API layer the frame without its size prefix, with the peeked header', async () => {
    const apis = new HeldApis();
    const { connect, opened } = await startServer(apis);
    const client = await connect();
    const bytes = requestFrame(42, Buffer.from('body'), 3, 7);
    client.write(bytes);
    await waitUntil(() => apis.held.length === 1, 'the request reached a handler');
    const request: Request | undefined = apis.held[0]?.request;
    expect(request?.frame).toEqual(bytes.subarray(4));
    expect(request?.header).toEqual({ apiKey: 3, apiVersion: 7, correlationId: 42 });
    expect(request?.connectionId).toBe(opened[0]?.connectionId);
    expect(request?.processorId).toBe(opened[0]?.processorId);
    apis.releaseAll();
  });
});
