import { afterEach } from 'vitest';
import type { ConnectionClosedEvent, ConnectionOpenedEvent } from '../../../../src/broker/network/index.js';
import { SocketServer, type ApiRequestHandler, type SocketServerConfig } from '../../../../src/broker/network/index.js';
import { TestClient } from './test-client.js';
import { waitUntil } from '../../../../src/broker/utils/wait-until.js';

/** A started server on 127.0.0.1, port 0, with its connection events recorded. */
export interface StartedServer {
  readonly server: SocketServer;
  readonly port: number;
  readonly opened: ConnectionOpenedEvent[];
  readonly closed: ConnectionClosedEvent[];
  /** Connects a client and waits until the server has accepted it (so its processor is known). */
  connect: () => Promise<TestClient>;
}

/**
 * Starts servers and clients for one test file and stops all of them after each test, whatever the outcome.
 * Call once at the top level of a test file.
 */
export function useServers(): (apis: ApiRequestHandler, config?: SocketServerConfig) => Promise<StartedServer> {
  const servers: SocketServer[] = [];
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(servers.splice(0).map((server) => server.shutdown()));
  });

  return async (apis, config = {}) => {
    const server = new SocketServer(apis, { host: '127.0.0.1', port: 0, shutdownTimeoutMs: 1_000, ...config });
    servers.push(server);
    const opened: ConnectionOpenedEvent[] = [];
    const closed: ConnectionClosedEvent[] = [];
    server.on('connectionOpened', (event) => opened.push(event));
    server.on('connectionClosed', (event) => closed.push(event));
    const { port } = await server.startup();
    return {
      server,
      port,
      opened,
      closed,
      async connect() {
        const expected = opened.length + 1;
        const client = await TestClient.connect(port);
        clients.push(client);
        await waitUntil(() => opened.length >= expected, `the server accepted connection #${expected}`);
        return client;
      },
    };
  };
}
