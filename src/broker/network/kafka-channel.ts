import type { Socket } from 'node:net';
import { NetworkReceive } from './network-receive.js';

/**
 * One client connection as its `Processor` sees it, named after Kafka's `KafkaChannel`: the socket, the bytes
 * received but not yet framed, and the mute state.
 *
 * Muted means "a request of this connection is in flight": taken off the stream and not yet answered. While
 * muted the processor cuts no further frames from `receive`, which is how Kafka answers each connection in
 * request order without a reorder buffer: there is never more than one request per connection past the network
 * layer. The socket keeps reading until the next frame is whole, then pauses; the rest stays in the kernel
 * buffers, so TCP flow control slows the client down.
 *
 * Owned by exactly one `Processor`; nothing else may touch it or its socket.
 */
export class KafkaChannel {
  readonly receive: NetworkReceive;
  private muted = false;
  private reasonForClose: string | undefined;
  /**
   * The client ended its side. Requests already received are still handled in order (Kafka processes a
   * closed channel's completed receives too); the connection closes once none is left.
   */
  inputEnded = false;

  constructor(
    /** Unique for the life of the `SocketServer`; responses are routed by it. */
    readonly id: string,
    readonly socket: Socket,
    /** `host:port` of the client, captured at accept time (the socket forgets it once closed). */
    readonly remoteAddress: string,
    maxFrameBytes: number,
    /** Where frames spread over several reads are joined (the processor's `RequestBufferPool`). */
    allocateFrame?: (size: number, apiKey: number) => Buffer | undefined,
  ) {
    this.receive = new NetworkReceive(maxFrameBytes, allocateFrame);
  }

  get isMuted(): boolean {
    return this.muted;
  }

  /** True once the connection is closing or closed; nothing more may be read from it or written to it. */
  get isClosing(): boolean {
    return this.reasonForClose !== undefined || this.socket.destroyed;
  }

  /** Why the connection was closed; the first reason recorded wins, later ones are consequences of it. */
  get closeReason(): string | undefined {
    return this.reasonForClose;
  }

  mute(): void {
    this.muted = true;
  }

  unmute(): void {
    this.muted = false;
  }

  /** Records why the connection ends; `false` if a reason was already recorded (the close is under way). */
  markClosing(reason: string): boolean {
    if (this.reasonForClose !== undefined) return false;
    this.reasonForClose = reason;
    return true;
  }

  /** Reads from the socket only while nothing stands in the way: not muted, not closing, and `mayRead`. */
  updateReading(mayRead: boolean): void {
    // While muted, read ahead only until the next request is whole: it is then ready the moment the response
    // goes out (no pause/resume round trip per request), and at most one frame waits in memory.
    const shouldRead = mayRead && !this.isClosing && (!this.muted || !this.receive.hasCompleteFrame());
    if (shouldRead && this.socket.isPaused()) this.socket.resume();
    else if (!shouldRead && !this.socket.isPaused()) this.socket.pause();
  }
}
