import { FrameRelayProxy } from '../../../src/demo/frame-relay-proxy.js';

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
  private relay: FrameRelayProxy | undefined;
  dropped = 0;

  static async start(listenHost: string, port: number, upstreamHost = '127.0.0.1'): Promise<LossyProxy> {
    const proxy = new LossyProxy();
    proxy.relay = await FrameRelayProxy.start(listenHost, port, upstreamHost, () => {
      const apiKeyByCorrelationId = new Map<number, number>();
      return {
        request: (frame) => {
          // Request header v1: api_key int16, api_version int16, correlation_id int32.
          apiKeyByCorrelationId.set(frame.readInt32BE(8), frame.readInt16BE(4));
          return frame;
        },
        response: (frame, connection) => {
          const armed = proxy.armed;
          if (!armed || apiKeyByCorrelationId.get(frame.readInt32BE(4)) !== armed.apiKey) return frame;
          proxy.armed = null;
          proxy.dropped++;
          connection.cut();
          armed.onDrop();
          return undefined;
        },
      };
    });
    return proxy;
  }

  /** Resolves once a response to `apiKey` has been swallowed and its connection cut. */
  dropNextResponse(apiKey: number): Promise<void> {
    return new Promise((resolve) => (this.armed = { apiKey, onDrop: resolve }));
  }

  async close(): Promise<void> {
    await this.relay?.close();
  }
}
