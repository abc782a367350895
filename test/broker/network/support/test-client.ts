import net from 'node:net';
import { waitUntil } from '../../../../src/broker/utils/wait-until.js';

/**
 * A raw TCP client that frames responses by their size prefix, independently of the server's own framing code.
 * `responses` fill up as they arrive; `closed` resolves when the server closes the connection.
 */
export class TestClient {
  readonly responses: Buffer[] = [];
  readonly closed: Promise<void>;
  private isClosed = false;
  private chunks: Buffer[] = [];
  private chunkBytes = 0;

  private constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // A reset from the server is one way of being closed; the test asserts on `closed`, not on the error.
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.isClosed = true;
        resolve();
      });
    });
  }

  static connect(port: number): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new TestClient(socket));
      });
    });
  }

  get hasClosed(): boolean {
    return this.isClosed;
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Waits until `count` responses have arrived in total, and returns all received so far. */
  async waitForResponses(count: number, timeoutMs = 5_000): Promise<Buffer[]> {
    await waitUntil(
      () => this.responses.length >= count || this.isClosed,
      `${count} responses arrived (have ${this.responses.length})`,
      timeoutMs,
    );
    if (this.responses.length < count) {
      throw new Error(`connection closed after ${this.responses.length} of ${count} expected responses`);
    }
    return this.responses;
  }

  async waitForClose(timeoutMs = 5_000): Promise<void> {
    await waitUntil(() => this.isClosed, 'the server closed the connection', timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.chunkBytes += chunk.length;
    // Join the chunks only once a whole response is here, so a large response is not copied on every read.
    while (this.chunkBytes >= 4) {
      if (this.chunks[0]!.length < 4) this.chunks = [Buffer.concat(this.chunks)];
      const size = this.chunks[0]!.readInt32BE(0);
      if (this.chunkBytes < 4 + size) return;
      const joined = Buffer.concat(this.chunks);
      this.responses.push(joined.subarray(4, 4 + size));
      const rest = joined.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.chunkBytes = rest.length;
    }
  }
}
