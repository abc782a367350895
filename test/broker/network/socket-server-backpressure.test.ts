import { describe, expect, it } from 'vitest';
import { HeldApis } from './support/fake-apis.js';
import { correlationIdOf, requestFrame } from './support/frames.js';
import { useServers } from './support/harness.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

const startServer = useServers();

describe('SocketServer backpressure', () => {
  it('pauses the sockets instead of growing the request queue past queued.max.requests, then drains', async () => {
    const apis = new HeldApis();
    const { server, connect } = await startServer(apis, {
      queuedMaxRequests: 2,
      numIoThreads: 1,
      numNetworkThreads: 2,
    });
    const clients = [];
    for (let k = 0; k < 6; k += 1) clients.push(await connect());
    clients.forEach((client, k) => client.write(requestFrame(k)));

    // One request in the (blocked) handler, two queued: the others must wait in the processors.
    await waitUntil(() => {
      const { requestQueue, processors } = server.metrics();
      return apis.held.length === 1 && requestQueue.depth === 2 && processors.some((p) => p.blockedOnFullQueue);
    }, 'the queue filled up and a processor blocked on it');
    const blocked = server.metrics();
    expect(blocked.requestQueue).toMatchObject({ capacity: 2, depth: 2, maxDepthSeen: 2 });
    expect(blocked.requestQueue.timesFull).toBeGreaterThan(0);
    for (const processor of blocked.processors.filter((p) => p.blockedOnFullQueue)) {
      // A blocked processor reads none of its sockets, as Kafka's processor thread blocked on a full queue.
      expect(processor.pausedConnections).toBe(processor.connections);
    }
    expect(apis.seen).toHaveLength(1);

    apis.releaseAll();
    await Promise.all(clients.map((client) => client.waitForResponses(1)));
    clients.forEach((client, k) => expect(client.responses.map(correlationIdOf)).toEqual([k]));

    const drained = server.metrics();
    expect(drained.requestQueue).toMatchObject({ depth: 0, maxDepthSeen: 2, totalRequests: 6 });
    expect(drained.handlers).toEqual([{ id: 0, handled: 6, busy: false, busyMs: expect.any(Number), parked: 0 }]);
    expect(drained.processors.every((p) => !p.blockedOnFullQueue && p.waitingForQueue === 0)).toBe(true);
    await waitUntil(
      () => server.metrics().processors.every((p) => p.pausedConnections === 0),
      'every socket is read again once its response is out',
    );
  });

  it('keeps accepting requests on a connection after the queue has drained', async () => {
    const apis = new HeldApis();
    const { server, connect } = await startServer(apis, {
      queuedMaxRequests: 1,
      numIoThreads: 1,
      numNetworkThreads: 1,
    });
    const clients = [await connect(), await connect(), await connect()];
    clients.forEach((client, k) => client.write(requestFrame(k)));
    await waitUntil(() => server.metrics().processors[0]?.blockedOnFullQueue === true, 'the processor blocked');
    apis.releaseAll();
    await Promise.all(clients.map((client) => client.waitForResponses(1)));

    clients.forEach((client, k) => client.write(requestFrame(10 + k)));
    await Promise.all(clients.map((client) => client.waitForResponses(2)));
    clients.forEach((client, k) => expect(client.responses.map(correlationIdOf)).toEqual([k, 10 + k]));
    expect(server.metrics().requestQueue.maxDepthSeen).toBe(1);
  });

  it('counts the time a handler holds a request as busy and its wait on the request queue as idle (busyMs)', async () => {
    const apis = new HeldApis();
    const { server, connect } = await startServer(apis, { numIoThreads: 1 });
    const client = await connect();
    const idleFrom = performance.now();
    await waitUntil(() => performance.now() - idleFrom >= 30, '30 ms pass with no request');
    expect(server.metrics().handlers[0]?.busyMs).toBe(0);

    client.write(requestFrame(1));
    await waitUntil(() => apis.held.length === 1, 'the handler holds the request');
    const heldFrom = performance.now();
    await waitUntil(() => performance.now() - heldFrom >= 30, '30 ms pass with the request held');
    apis.releaseAll();
    await client.waitForResponses(1);
    const heldFor = performance.now() - heldFrom;
    const busyMs = server.metrics().handlers[0]?.busyMs ?? 0;
    expect(busyMs).toBeGreaterThanOrEqual(30);
    expect(busyMs).toBeLessThanOrEqual(heldFor + (heldFrom - idleFrom));
  });
});
