/**
 * A TCP proxy in front of a broker that damages one Produce request on purpose: armed with `corruptProduceOf(text)`,
 * it flips one byte of `text` inside the first Produce request that carries it (a record's value, inside the
 * CRC-covered part of its batch), so the broker answers CORRUPT_MESSAGE — a retriable error — and the producer
 * retries the batch while the batches sent after it are already in flight. Every other byte passes unchanged.
 *
 * It listens on the broker's port at another loopback address; start the broker with that address as its advertised
 * host, so every connection a client opens after reading Metadata goes through the proxy too. Owns its server and
 * sockets; `close()` ends them.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

const PRODUCE = 0;

export class CorruptingProxy {
  private target: Buffer | undefined;
  private readonly sockets = new Set<Socket>();
  /** Produce requests that passed through, and which of them was damaged (1-based), for the demo to report. */
  produceRequests = 0;
  corrupted: number | undefined;

  private constructor(private readonly server: Server) {}

  static async start(listenHost: string, port: number, upstreamHost: string): Promise<CorruptingProxy> {
    let proxy: CorruptingProxy | undefined;
    const server = createServer((client) => proxy?.relay(client, upstreamHost, port));
    proxy = new CorruptingProxy(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, listenHost, () => resolve());
    });
    return proxy;
  }

  /** Arms the proxy: the first Produce request containing `text` gets one of its bytes flipped. */
  corruptProduceOf(text: string): void {
    this.target = Buffer.from(text);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket, upstreamHost: string, port: number): void {
    const upstream = connect(port, upstreamHost);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    let pending = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // forward whole request frames only, so a frame can be inspected (and damaged) before it leaves
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = 4 + pending.readInt32BE(0);
        const frame = Buffer.from(pending.subarray(0, size));
        pending = pending.subarray(size);
        if (frame.length >= 6 && frame.readInt16BE(4) === PRODUCE) this.inspectProduce(frame);
        upstream.write(frame);
      }
    });
    client.on('end', () => upstream.end());
  }

  private inspectProduce(frame: Buffer): void {
    this.produceRequests += 1;
    if (!this.target) return;
    const at = frame.indexOf(this.target);
    if (at < 0) return;
    frame[at] = frame[at]! ^ 0x20; // flips a letter's case: same length, different bytes, a CRC that no longer matches
    this.corrupted = this.produceRequests;
    this.target = undefined;
  }
}
