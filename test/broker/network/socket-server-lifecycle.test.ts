import { afterEach, describe, expect, it } from 'vitest';
import { SocketServer, SocketServerBindError, type ConnectionClosedEvent } from '../../../src/broker/network/index.js';
import { EchoApis, HeldApis } from './support/fake-apis.js';
import { correlationIdOf, requestFrame, sizePrefix } from './support/frames.js';
import { useServers } from './support/harness.js';
import { TestClient } from './support/test-client.js';
import { waitUntil } from '../../../src/broker/utils/wait-until.js';

const startServer = useServers();

/** Servers started directly by a test (to exercise startup and shutdown themselves). */
const ownServers: SocketServer[] = [];
const ownClients: TestClient[] = [];
afterEach(async () => {
  for (const client of ownClients.splice(0)) client.destroy();
  await Promise.all(ownServers.splice(0).map((server) => server.shutdown()));
});

describe('SocketServer lifecycle', () => {
  it('assigns new connections to the processors round-robin', async () => {
    const { server, connect, opened } = await startServer(new EchoApis(), { numNetworkThreads: 3 });
    for (let k = 0; k < 7; k += 1) await connect();
    expect(opened.map((event) => event.processorId)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    const metrics = server.metrics();
    expect(metrics.processors.map((p) => p.connections)).toEqual([3, 2, 2]);
    expect(metrics.acceptor.acceptedConnections).toBe(7);
    expect(metrics.openConnections).toBe(7);
  });

  it('reports each connection opening and closing with the client address and the reason', async () => {
    const { connect, opened, closed } = await startServer(new EchoApis());
    const client = await connect();
    const clientAddress = `127.0.0.1:${client.socket.localPort}`;
    expect(opened).toEqual([{ connectionId: expect.any(String), processorId: 0, remoteAddress: clientAddress }]);
    client.socket.end();
    await waitUntil(() => closed.length === 1, 'the server noticed the client leaving');
    expect(closed[0]).toEqual({ ...opened[0], reason: 'client closed the connection' });
  });

  it('gives every connection its own id, even on different processors', async () => {
    const { connect, opened } = await startServer(new EchoApis(), { numNetworkThreads: 2 });
    for (let k = 0; k < 4; k += 1) await connect();
    expect(new Set(opened.map((event) => event.connectionId)).size).toBe(4);
  });

  it('listens on a free ephemeral port when asked for port 0', async () => {
    const { server, port } = await startServer(new EchoApis(), { port: 0 });
    expect(port).toBeGreaterThan(0);
    expect(server.boundAddress).toEqual({ host: '127.0.0.1', port });
  });

  it('fails to start with a SocketServerBindError naming the address when the port is taken', async () => {
    const { port } = await startServer(new EchoApis());
    const second = new SocketServer(new EchoApis(), { host: '127.0.0.1', port });
    ownServers.push(second);
    const failure = await second.startup().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SocketServerBindError);
    expect(failure).toMatchObject({ code: 'SOCKET_SERVER_BIND_FAILED', syscallCode: 'EADDRINUSE', port });
    expect((failure as Error).message).toMatch(`cannot listen on 127.0.0.1:${port}: the port is already in use`);
  });

  it('on shutdown, finishes and answers the request in flight, then closes every connection', async () => {
    const apis = new HeldApis();
    const server = new SocketServer(apis, { numNetworkThreads: 2 });
    ownServers.push(server);
    const closed: string[] = [];
    server.on('connectionClosed', (event) => closed.push(event.reason));
    const { port } = await server.startup();
    const busy = await TestClient.connect(port);
    const idle = await TestClient.connect(port);
    ownClients.push(busy, idle);
    busy.write(requestFrame(1));
    await waitUntil(() => apis.held.length === 1, 'the request reached a handler');

    const stopped = server.shutdown();
    // The handler is still working: the server must wait for it, not drop it.
    await waitUntil(
      () => server.metrics().processors.every((p) => p.pausedConnections === p.connections),
      'reads stopped',
    );
    expect(busy.hasClosed).toBe(false);
    apis.echo(1);
    await stopped;

    expect((await busy.waitForResponses(1)).map(correlationIdOf)).toEqual([1]);
    await Promise.all([busy.waitForClose(), idle.waitForClose()]);
    expect(closed).toEqual(['broker shutting down', 'broker shutting down']);
    expect(server.metrics().handlers.every((h) => !h.busy)).toBe(true);
  });

  it('bounds shutdown by shutdownTimeoutMs when a handler never finishes', async () => {
    const apis = new HeldApis();
    const server = new SocketServer(apis, { shutdownTimeoutMs: 50 });
    ownServers.push(server);
    const { port } = await server.startup();
    const client = await TestClient.connect(port);
    ownClients.push(client);
    client.write(requestFrame(1));
    await waitUntil(() => apis.held.length === 1, 'the request reached a handler');
    await server.shutdown();
    await client.waitForClose();
    expect(client.responses).toEqual([]);
  });

  it('does not leave a listener behind when shut down while starting', async () => {
    const server = new SocketServer(new EchoApis());
    ownServers.push(server);
    const starting = server.startup();
    await server.shutdown();
    await expect(starting).rejects.toThrow(/shut down while it was starting/);
    const port = server.boundAddress.port;
    const refused = await TestClient.connect(port).then(
      (client) => {
        ownClients.push(client);
        return undefined;
      },
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).toBe('ECONNREFUSED');
  });

  it('can be shut down before it was started, and more than once', async () => {
    const server = new SocketServer(new EchoApis());
    await server.shutdown();
    await server.shutdown();
    expect(server.metrics().openConnections).toBe(0);
  });

  it('counts bytes both ways and requests per api key in a plain-object snapshot', async () => {
    const { server, connect } = await startServer(new EchoApis());
    const client = await connect();
    const requests = [
      requestFrame(1, Buffer.from('abc'), 18),
      requestFrame(2, Buffer.alloc(0), 3),
      requestFrame(3, Buffer.alloc(0), 3),
    ];
    client.write(Buffer.concat(requests));
    await client.waitForResponses(3);
    await waitUntil(() => server.metrics().processors[0]?.responsesSent === 3, 'all three sends completed');
    const metrics = server.metrics();
    expect(JSON.parse(JSON.stringify(metrics))).toEqual(metrics);
    expect(metrics.bytesIn).toBe(requests.reduce((n, r) => n + r.length, 0));
    // Each echo response is 4 size bytes + 4 correlation id bytes + the request body.
    expect(metrics.bytesOut).toBe(3 * 8 + 3);
    expect(metrics.requestsByApiKey).toEqual({ 3: 2, 18: 1 });
    expect(metrics.requestQueue.totalRequests).toBe(3);
    expect(metrics.handlers.reduce((n, h) => n + h.handled, 0)).toBe(3);
  });

  // Kafka's documented defaults, observed on a server started with no settings at all (not read back from the
  // constant, which would prove nothing).
  it('runs with Kafka defaults for every setting left out', async () => {
    const server = new SocketServer(new EchoApis());
    ownServers.push(server);
    const closed: ConnectionClosedEvent[] = [];
    server.on('connectionClosed', (event) => closed.push(event));
    const { host, port } = await server.startup();
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    const metrics = server.metrics();
    expect(metrics.processors).toHaveLength(3); // num.network.threads
    expect(metrics.handlers).toHaveLength(8); // num.io.threads
    expect(metrics.requestQueue.capacity).toBe(500); // queued.max.requests
    // socket.request.max.bytes = 100 MiB: one byte more is refused from the size prefix alone.
    const client = await TestClient.connect(port);
    ownClients.push(client);
    client.write(sizePrefix(104_857_601));
    await waitUntil(() => closed.length === 1, 'the server closing the oversized connection');
    expect(closed[0]?.reason).toMatch(/exceeds socket.request.max.bytes \(104857600\)/);
  });

  it.each([
    { config: { numNetworkThreads: 0 }, message: /num.network.threads must be a positive integer, got 0/ },
    { config: { numIoThreads: 1.5 }, message: /num.io.threads must be a positive integer, got 1.5/ },
    { config: { queuedMaxRequests: -1 }, message: /queued.max.requests must be a positive integer/ },
    { config: { socketRequestMaxBytes: 2 ** 31 }, message: /socket.request.max.bytes must fit in an int32/ },
    { config: { port: 70000 }, message: /port must be an integer from 0 to 65535, got 70000/ },
  ])('refuses the setting $config with a message naming it', ({ config, message }) => {
    expect(() => new SocketServer(new EchoApis(), config)).toThrow(message);
  });
});
