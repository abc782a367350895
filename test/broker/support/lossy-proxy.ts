import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';

/**
 * A TCP proxy in front of a broker that can lose a response on purpose: armed with `dropNextResponse(apiKey)`, it
 * swallows the next response to a request of that API and cuts the connection, as a network failure after the
 * broker acted would. The client never learns whether its request took effect and must retry it: the situation
 * idempotent producers exist for.
 *
 * It listens on the same port as the broker but another loopback address (start the broker with that address as
 * its advertised host), so every connection a client opens after reading Metadata also goes through it.
 */
export class LossyProxy {
  private armed: { apiKey: number; onDrop: () => void } | null = null;
  private readonly sockets = new Set<Socket>();
  dropped = 0;

  private constructor(private readonly server: Server) {}

  static async start(listenHost: string, port: number, upstreamHost = '127.0.0.1'): Promise<LossyProxy> {
    let proxy: LossyProxy | undefined;
    const server = createServer((client) => proxy?.relay(client, upstreamHost, port));
    proxy = new LossyProxy(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, listenHost, () => resolve());
    });
    return proxy;
  }

  /** Resolves once a response to `apiKey` has been swallowed and its connection cut. */
  dropNextResponse(apiKey: number): Promise<void> {
    return new Promise((resolve) => (this.armed = { apiKey, onDrop: resolve }));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, upstreamHost: string, port: number): void {
    const upstream = connect({ host: upstreamHost, port });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => {
        this.sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    const apiKeyByCorrelationId = new Map<number, number>();
    client.on(
      'data',
      frames((frame) => {
        // Request header v1: api_key int16, api_version int16, correlation_id int32.
        apiKeyByCorrelationId.set(frame.readInt32BE(8), frame.readInt16BE(4));
        upstream.write(frame);
      }),
    );
    upstream.on(
      'data',
      frames((frame) => {
        const apiKey = apiKeyByCorrelationId.get(frame.readInt32BE(4));
        const armed = this.armed;
        if (armed && apiKey === armed.apiKey) {
          this.armed = null;
          this.dropped++;
          client.destroy();
          upstream.destroy();
          armed.onDrop();
          return;
        }
        client.write(frame);
      }),
    );
  }
}

/** Cuts a byte stream into whole size-prefixed frames (each passed on with its 4-byte size). */
function frames(onFrame: (frame: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const size = 4 + pending.readInt32BE(0);
      onFrame(pending.subarray(0, size));
      pending = pending.subarray(size);
    }
  };
}
