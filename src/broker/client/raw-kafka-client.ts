import { connect } from 'node:net';
import type { Socket } from 'node:net';
import type { ApiKey } from '../protocol/api-keys.js';
import { Signal } from '../utils/wait-until.js';
import type { ApiRequest, ApiResponse } from '../protocol/api-registry.js';
import { decodeResponseFrame, encodeRequestFrame } from '../protocol/frames.js';

/**
 * A minimal Kafka client over one TCP connection, for demos, benchmarks and tests: sends frames built with
 * kq's own codec (or raw bytes), cuts responses by their size prefix, and matches them to requests in order. Every wait is bounded
 * and fails with a message saying what it waited for.
 */
export class RawKafkaClient {
  // received bytes not yet cut into frames, joined only once a whole frame is there (never per chunk,
  // which would copy a large Fetch response once for every TCP read)
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly frames: Buffer[] = [];
  /** Notified on every frame and on close: `nextFrame`/`expectClosed` wait on it. */
  private readonly received = new Signal();
  private correlationId = 0;
  private closedFlag = false;
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      this.cutFrames();
      this.received.notify();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.closedFlag = true;
        this.received.notify();
        resolve();
      });
    });
    socket.on('error', () => {});
  }

  private cutFrames(): void {
    while (this.pendingBytes >= 4) {
      if (this.pending[0]!.length < 4) this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
      const end = 4 + this.pending[0]!.readInt32BE(0);
      if (this.pendingBytes < end) return;
      const joined = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
      this.frames.push(joined.subarray(4, end));
      const rest = joined.subarray(end);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
  }

  /**
   * The local address every connection of this process starts from (`undefined`: the OS picks). A node of a
   * fault-injecting KafkaCluster sets it once at start (`kq broker --source-address 127.0.2.<id>`) so the
   * transport proxy in front of each peer can tell which node a connection comes from (cluster/faults/).
   */
  static sourceAddress: string | undefined;

  static connect(port: number, host = '127.0.0.1'): Promise<RawKafkaClient> {
    return new Promise((resolve, reject) => {
      const localAddress = RawKafkaClient.sourceAddress;
      const socket = connect({ port, host, ...(localAddress ? { localAddress } : {}) }, () =>
        resolve(new RawKafkaClient(socket)),
      );
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.closedFlag;
  }

  /** Sends a request encoded by the codec and returns its correlation id. */
  send<K extends ApiKey>(apiKey: K, apiVersion: number, request: ApiRequest<K>, clientId = 'kq-test'): number {
    const correlationId = ++this.correlationId;
    this.socket.write(encodeRequestFrame(apiKey, { apiVersion, correlationId, clientId }, request));
    return correlationId;
  }

  /** Sends bytes as they are (a whole frame with its size prefix, or garbage). */
  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends a request and decodes its response. */
  async request<K extends ApiKey>(
    apiKey: K,
    apiVersion: number,
    request: ApiRequest<K>,
    timeoutMs = 5000,
  ): Promise<ApiResponse<K>> {
    const correlationId = this.send(apiKey, apiVersion, request);
    const frame = await this.nextFrame(timeoutMs, `${apiKey}v${apiVersion} response`);
    const decoded = decodeResponseFrame(apiKey, apiVersion, frame);
    if (decoded.correlationId !== correlationId) {
      throw new Error(`response correlation id ${decoded.correlationId} does not match request ${correlationId}`);
    }
    return decoded.response;
  }

  /** The next response frame (header + body, no size prefix). */
  async nextFrame(timeoutMs = 5000, what = 'a response frame'): Promise<Buffer> {
    await this.received.until(() => this.frames.length > 0 || this.closedFlag, what, timeoutMs);
    const frame = this.frames.shift();
    if (!frame) throw new Error(`connection closed while waiting for ${what}`);
    return frame;
  }

  /** Resolves when the broker closes the connection; rejects after `timeoutMs`. */
  async expectClosed(timeoutMs = 5000): Promise<void> {
    await this.received.until(() => this.closedFlag, 'the broker to close the connection', timeoutMs);
  }

  /** Whether a frame arrives within `ms` (for "no response" checks, bounded by the next response instead where possible). */
  get pendingFrames(): number {
    return this.frames.length;
  }

  close(): void {
    this.socket.destroy();
  }
}
