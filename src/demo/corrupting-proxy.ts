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
import { ApiKey, decodeResponseFrame, encodeResponseFrame, ErrorCode } from '../broker/index.js';
import { FrameRelayProxy } from './frame-relay-proxy.js';

export class CorruptingProxy {
  private target: Buffer | undefined;
  private relay: FrameRelayProxy | undefined;
  /** Produce requests that passed through, and which of them was damaged (1-based), for the demo to report. */
  produceRequests = 0;
  corrupted: number | undefined;

  static async start(listenHost: string, port: number, upstreamHost: string): Promise<CorruptingProxy> {
    const proxy = new CorruptingProxy();
    proxy.relay = await FrameRelayProxy.start(listenHost, port, upstreamHost, () => {
      // the request this connection had damaged: its correlation id and version, to find and relabel the answer
      let failed: { correlationId: number; apiVersion: number } | undefined;
      return {
        request: (frame) => {
          if (frame.length >= 12 && frame.readInt16BE(4) === ApiKey.Produce && proxy.damage(frame))
            failed = { apiVersion: frame.readInt16BE(6), correlationId: frame.readInt32BE(8) };
          return frame;
        },
        response: (frame) => {
          if (!failed || frame.readInt32BE(4) !== failed.correlationId) return frame;
          const relabelled = retriable(frame, failed.apiVersion);
          failed = undefined;
          return relabelled;
        },
      };
    });
    return proxy;
  }

  /** Arms the proxy: the first Produce request containing `text` gets one of its bytes flipped. */
  failProduceOf(text: string): void {
    this.target = Buffer.from(text);
  }

  async close(): Promise<void> {
    await this.relay?.close();
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
