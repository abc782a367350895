/**
 * A TCP proxy in front of a broker that makes one Produce request fail, retriably, on purpose: armed with
 * `failProduceOf(text)`, it flips one byte of `text` inside the first Produce request that carries it (a record's
 * value, inside the CRC-covered part of its batch), so the broker refuses the batch and writes nothing
 * (CORRUPT_MESSAGE); and it hands that refusal to the client as NOT_ENOUGH_REPLICAS — also "refused before writing",
 * but retriable, where librdkafka gives up on CORRUPT_MESSAGE. The producer then retries the batch while the batches
 * sent after it are already in flight. Every other byte passes unchanged.
 *
 * It listens on the broker's port at another loopback address; start the broker with that address as its advertised
 * host, so every connection a client opens after reading Metadata goes through the proxy too. Owns its server and
 * sockets; `close()` ends them.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { ApiKey, decodeResponseFrame, encodeResponseFrame, ErrorCode } from '../broker/index.js';

/** Reads size-prefixed frames from a stream, whole ones only. */
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
  failProduceOf(text: string): void {
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
    // the request this connection had damaged: its correlation id and version, to find and relabel the answer
    let failed: { correlationId: number; apiVersion: number } | undefined;
    client.on(
      'data',
      frames((frame) => {
        if (frame.length >= 12 && frame.readInt16BE(4) === ApiKey.Produce && this.damage(frame))
          failed = { apiVersion: frame.readInt16BE(6), correlationId: frame.readInt32BE(8) };
        upstream.write(frame);
      }),
    );
    upstream.on(
      'data',
      frames((frame) => {
        if (failed && frame.readInt32BE(4) === failed.correlationId) {
          client.write(Buffer.concat(retriable(frame, failed.apiVersion)));
          failed = undefined;
        } else client.write(frame);
      }),
    );
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  }

  /** Damages the Produce request if it carries the target text; says whether it did. */
  private damage(frame: Buffer): boolean {
    this.produceRequests += 1;
    if (!this.target) return false;
    const at = frame.indexOf(this.target);
    if (at < 0) return false;
    frame[at] = frame[at]! ^ 0x20; // flips a letter's case: same length, different bytes, a CRC that no longer matches
    this.corrupted = this.produceRequests;
    this.target = undefined;
    return true;
  }
}

/** The broker's answer with CORRUPT_MESSAGE relabelled NOT_ENOUGH_REPLICAS (see the class comment). */
function retriable(frame: Buffer, apiVersion: number): Buffer[] {
  const { correlationId, response } = decodeResponseFrame(ApiKey.Produce, apiVersion, frame.subarray(4));
  for (const topic of response.responses)
    for (const partition of topic.partitions)
      if (partition.errorCode === ErrorCode.CORRUPT_MESSAGE) partition.errorCode = ErrorCode.NOT_ENOUGH_REPLICAS;
  return encodeResponseFrame(ApiKey.Produce, apiVersion, correlationId, response);
}
