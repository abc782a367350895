import { connect, createServer, type Server, type Socket } from 'node:net';

/** One proxied connection, as a hook sees it. */
export interface RelayedConnection {
  /** Drops both sides at once, as a network failure would. */
  cut(): void;
}

/**
 * What a hook does with one whole size-prefixed frame (4 size bytes included): return the frame(s) to pass on, or
 * nothing to swallow it.
 */
export type FrameHook = (frame: Buffer, connection: RelayedConnection) => Buffer | readonly Buffer[] | undefined;

/** A connection's hooks; made anew for each connection, so per-connection state lives in the closure. */
export interface RelayHooks {
  request?: FrameHook;
  response?: FrameHook;
}

/**
 * A TCP proxy in front of a broker that relays whole Kafka frames and lets hooks change, swallow or cut them: the
 * base of the fault-injecting proxies (a demo's CorruptingProxy, the tests' LossyProxy). It listens on the
 * broker's port at another loopback address; start the broker with that address as its advertised host, so every
 * connection a client opens after reading Metadata goes through the proxy too. Owns its server and sockets;
 * `close()` ends them. A side that ends half-closes the other; a side that closes or fails closes both.
 */
export class FrameRelayProxy {
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(
    listenHost: string,
    port: number,
    upstreamHost: string,
    hooksFor: () => RelayHooks,
  ): Promise<FrameRelayProxy> {
    let proxy: FrameRelayProxy | undefined;
    const server = createServer((client) => proxy?.relay(client, upstreamHost, port, hooksFor()));
    proxy = new FrameRelayProxy(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, listenHost, () => resolve());
    });
    return proxy;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, upstreamHost: string, port: number, hooks: RelayHooks): void {
    const upstream = connect({ host: upstreamHost, port });
    const connection: RelayedConnection = {
      cut: () => {
        client.destroy();
        upstream.destroy();
      },
    };
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => connection.cut());
      socket.on('close', () => {
        this.sockets.delete(socket);
        connection.cut();
      });
    }
    const pass = (to: Socket, hook: FrameHook | undefined) =>
      frames((frame) => {
        const out = hook ? hook(frame, connection) : frame;
        if (out === undefined || to.destroyed) return;
        to.write(Buffer.isBuffer(out) ? out : Buffer.concat(out));
      });
    client.on('data', pass(upstream, hooks.request));
    upstream.on('data', pass(client, hooks.response));
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  }
}

/** Cuts a byte stream into whole size-prefixed frames (each a copy, with its 4-byte size). */
function frames(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = 4 + pending.readInt32BE(0);
      onFrame(Buffer.from(pending.subarray(0, size)));
      pending = pending.subarray(size);
    }
  };
}
