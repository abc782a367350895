import type { Socket } from 'node:net';
import { KafkaChannel } from './kafka-channel.js';
import { InvalidFrameError } from './network-receive.js';
import type { ReadChunkCollector } from './read-chunk-collector.js';
import { RequestBufferPool } from './request-buffer-pool.js';
import type { QueuedResponse, Request, RequestChannel } from './request-channel.js';
import { MIN_REQUEST_FRAME_BYTES, peekRequestHeader } from './request-header-peek.js';

export interface ConnectionOpenedEvent {
  readonly connectionId: string;
  readonly processorId: number;
  /** `host:port` of the client. */
  readonly remoteAddress: string;
}

export interface ConnectionClosedEvent extends ConnectionOpenedEvent {
  /** Why, in words fit for a log line: "client closed the connection", "frame size -1 ...", ... */
  readonly reason: string;
}

/** Where a processor reports connections opening and closing (the `SocketServer` re-emits them). */
export interface ProcessorListener {
  connectionOpened(event: ConnectionOpenedEvent): void;
  connectionClosed(event: ConnectionClosedEvent): void;
}

export interface ProcessorMetrics {
  readonly id: number;
  /** Open connections owned by this processor. */
  readonly connections: number;
  /** Connections with a request in flight (so neither read nor framed until it is answered). */
  readonly mutedConnections: number;
  /** Connections whose socket is paused right now, for being muted or for backpressure. */
  readonly pausedConnections: number;
  /** True while a full request queue stops this processor from reading any of its sockets. */
  readonly blockedOnFullQueue: boolean;
  /** Requests already framed, waiting for room in the request queue. */
  readonly waitingForQueue: number;
  /** Responses queued for this processor and not yet written. */
  readonly responseQueueDepth: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly requestsReceived: number;
  readonly responsesSent: number;
  /** `noop` responses: nothing written, connection unmuted (acks=0). */
  readonly noopResponses: number;
  /** Responses whose connection had closed before they were ready. */
  readonly responsesDropped: number;
  /** Frames refused for their size prefix (negative, too large) or for being too short for a header. */
  readonly rejectedFrames: number;
  /** Produce frames joined into a reused buffer (`reused`) or a new pooled one (`created`); see RequestBufferPool. */
  readonly requestBuffers: { readonly pooledBytes: number; readonly reused: number; readonly created: number };
  /** Requests received per api key, read from the header at a fixed offset. */
  readonly requestsByApiKey: Readonly<Record<number, number>>;
}

/**
 * One of the broker's "network threads" (`num.network.threads`), as in Kafka's `SocketServer.Processor`.
 *
 * Owns its connections (`KafkaChannel`s): reads their bytes, cuts them into request frames by the 4-byte size
 * prefix, puts each request on the `RequestChannel`, and writes the responses that come back on its response
 * queue. It never interprets a request beyond peeking at the header's fixed-offset fields for counters.
 *
 * Per-connection order: a connection is muted from the moment a request is cut from its stream until its
 * response has been handed to the kernel (or the handler answered `noop`), as in Kafka. Pipelined requests
 * therefore wait, already framed or still in the socket, and responses leave in request order.
 *
 * Backpressure: if the request queue is full, the request just framed waits here and the processor pauses all
 * of its sockets, as Kafka's processor thread does by blocking on the full queue. It resumes when woken by
 * the channel and every waiting request has been queued.
 *
 * Concurrency: only this processor's socket callbacks, its response wake-up, and the `SocketServer`
 * (accept, shutdown) call into it, all on the one event-loop thread.
 */
export class Processor {
  private readonly connections = new Map<string, KafkaChannel>();
  /** Requests framed but refused by a full request queue, in arrival order. */
  private readonly waitingForQueue: Array<{ channel: KafkaChannel; request: Request }> = [];
  private connectionIndex = 0;
  private responsesScheduled = false;
  private stopped = false;
  private bytesIn = 0;
  private bytesOut = 0;
  private requestsReceived = 0;
  private responsesSent = 0;
  private noopResponses = 0;
  private responsesDropped = 0;
  private rejectedFrames = 0;
  private readonly requestsByApiKey: Record<number, number> = {};
  /** Buffers for Produce frames joined from several reads; each frame is released once its response is out. */
  private readonly requestBuffers = new RequestBufferPool();
  private readonly allocateFrame = (size: number, apiKey: number) => this.requestBuffers.allocate(size, apiKey);

  constructor(
    readonly id: number,
    private readonly requestChannel: RequestChannel,
    private readonly maxFrameBytes: number,
    private readonly listener: ProcessorListener,
    /** Told how many bytes each socket read brought, so dead read chunks are collected while they are few. */
    private readonly readChunks?: ReadChunkCollector,
  ) {
    // Like Kafka's processor waking from `poll` when a response is queued: written on the next turn of the
    // event loop, so responses finished by several handlers in one turn go out together.
    requestChannel.registerProcessor(id, () => this.scheduleResponses());
  }

  /** Takes ownership of a newly accepted socket (called by the `Acceptor`). */
  accept(socket: Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    const remoteAddress = formatAddress(socket.remoteAddress, socket.remotePort);
    // Kafka's connection id format (local-remote-index), plus the processor id so ids stay unique server-wide.
    const connectionId = `${formatAddress(socket.localAddress, socket.localPort)}-${remoteAddress}-${this.id}-${this.connectionIndex++}`;
    const channel = new KafkaChannel(connectionId, socket, remoteAddress, this.maxFrameBytes, this.allocateFrame);
    this.connections.set(connectionId, channel);
    socket.on('data', (chunk: Buffer) => this.onData(channel, chunk));
    socket.on('end', () => {
      channel.inputEnded = true;
      this.processReceives(channel);
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      channel.markClosing(`socket error: ${error.code ?? error.message}`),
    );
    socket.on('close', () => this.onClosed(channel));
    this.listener.connectionOpened({ connectionId, processorId: this.id, remoteAddress });
    channel.updateReading(this.mayRead());
  }

  metrics(): ProcessorMetrics {
    let mutedConnections = 0;
    let pausedConnections = 0;
    for (const channel of this.connections.values()) {
      if (channel.isMuted) mutedConnections += 1;
      if (channel.socket.isPaused()) pausedConnections += 1;
    }
    return {
      id: this.id,
      connections: this.connections.size,
      mutedConnections,
      pausedConnections,
      blockedOnFullQueue: this.waitingForQueue.length > 0,
      waitingForQueue: this.waitingForQueue.length,
      responseQueueDepth: this.requestChannel.responseQueueDepth(this.id),
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      requestsReceived: this.requestsReceived,
      responsesSent: this.responsesSent,
      noopResponses: this.noopResponses,
      responsesDropped: this.responsesDropped,
      rejectedFrames: this.rejectedFrames,
      requestBuffers: this.requestBuffers.metrics(),
      requestsByApiKey: { ...this.requestsByApiKey },
    };
  }

  /** First step of shutdown: stop reading every socket and stop framing requests. Responses still go out. */
  stopReading(): void {
    this.stopped = true;
    this.waitingForQueue.length = 0;
    for (const channel of this.connections.values()) channel.updateReading(false);
  }

  /**
   * Last step of shutdown: writes the responses already queued, then closes every connection, flushing what
   * was written. Resolves when all are closed; sockets still open after `timeoutMs` are destroyed.
   */
  async closeAll(reason: string, timeoutMs: number): Promise<void> {
    this.processNewResponses();
    const closed = [...this.connections.values()].map((channel) => {
      channel.markClosing(reason);
      return new Promise<void>((resolve) => {
        channel.socket.once('close', () => resolve());
        channel.socket.end(() => channel.socket.destroy());
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all(closed), deadline]);
    clearTimeout(timer);
    for (const channel of this.connections.values()) channel.socket.destroy();
    await Promise.all(closed);
  }

  private onData(channel: KafkaChannel, chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.readChunks?.noteRead(chunk.length);
    if (channel.isClosing) return;
    channel.receive.append(chunk);
    this.processReceives(channel);
  }

  /** True unless a full request queue (or shutdown) stops this processor from reading. */
  private mayRead(): boolean {
    return !this.stopped && this.waitingForQueue.length === 0;
  }

  /**
   * Kafka's `processCompletedReceives` for one connection: unless the connection is muted (or reading is
   * stopped), cuts the next complete frame off its stream and puts it on the request channel, muting the
   * connection until the response is out. Then pauses or resumes the socket to match.
   */
  private processReceives(channel: KafkaChannel): void {
    if (this.mayRead() && !channel.isMuted && !channel.isClosing) this.receiveNextRequest(channel);
    // The client is gone and every request it sent has been answered: nothing more can come.
    if (channel.inputEnded && !channel.isMuted && !channel.isClosing && this.mayRead()) {
      this.close(channel, 'client closed the connection');
      return;
    }
    channel.updateReading(this.mayRead());
  }

  private receiveNextRequest(channel: KafkaChannel): void {
    let frame: Buffer | undefined;
    try {
      frame = channel.receive.nextFrame();
    } catch (error) {
      if (!(error instanceof InvalidFrameError)) throw error;
      this.rejectFrame(channel, error.message);
      return;
    }
    if (frame === undefined) return;
    const header = peekRequestHeader(frame);
    if (header === undefined) {
      this.rejectFrame(
        channel,
        `frame of ${frame.length} bytes is too short for a request header (at least ${MIN_REQUEST_FRAME_BYTES})`,
      );
      return;
    }
    this.requestsReceived += 1;
    this.requestsByApiKey[header.apiKey] = (this.requestsByApiKey[header.apiKey] ?? 0) + 1;
    channel.mute();
    this.sendRequest({
      channel,
      request: { connectionId: channel.id, processorId: this.id, frame, receivedAt: Date.now(), header },
    });
  }

  private sendRequest(entry: { channel: KafkaChannel; request: Request }): void {
    if (this.waitingForQueue.length === 0 && this.requestChannel.trySendRequest(entry.request)) return;
    this.waitingForQueue.push(entry);
    if (this.waitingForQueue.length === 1) this.blockOnFullQueue();
  }

  private blockOnFullQueue(): void {
    for (const channel of this.connections.values()) channel.updateReading(false);
    this.requestChannel.whenSpaceAvailable(() => this.onRequestQueueSpace());
  }

  /** Queues the waiting requests while there is room; once all are queued, reads and frames again. */
  private onRequestQueueSpace(): void {
    for (;;) {
      const entry = this.waitingForQueue[0];
      if (entry === undefined) break;
      if (!entry.channel.isClosing && !this.requestChannel.trySendRequest(entry.request)) {
        this.requestChannel.whenSpaceAvailable(() => this.onRequestQueueSpace());
        return;
      }
      this.waitingForQueue.shift();
    }
    // Frames may have arrived for any connection before its socket was paused: frame them now.
    for (const channel of this.connections.values()) this.processReceives(channel);
  }

  private scheduleResponses(): void {
    if (this.responsesScheduled) return;
    this.responsesScheduled = true;
    setImmediate(() => {
      this.responsesScheduled = false;
      this.processNewResponses();
    });
  }

  /** Kafka's `processNewResponses`: drains this processor's response queue. */
  private processNewResponses(): void {
    for (;;) {
      const queued = this.requestChannel.receiveResponse(this.id);
      if (queued === undefined) return;
      this.processResponse(queued);
    }
  }

  private processResponse({ request, response }: QueuedResponse): void {
    // The request is answered: its frame (if pooled) may be reused once nothing reads the response any more.
    const releaseFrame = () => this.requestBuffers.release(request.frame);
    const channel = this.connections.get(request.connectionId);
    if (channel === undefined || channel.isClosing) {
      this.responsesDropped += 1;
      if (response.kind === 'send') response.onComplete?.();
      releaseFrame();
      return;
    }
    switch (response.kind) {
      case 'send': {
        const onComplete = response.onComplete;
        this.send(channel, response.payload, () => {
          onComplete?.();
          releaseFrame();
        });
        return;
      }
      case 'noop':
        this.noopResponses += 1;
        releaseFrame();
        this.unmute(channel);
        return;
      case 'close':
        releaseFrame();
        this.close(channel, `closed by the request handler: ${response.reason}`);
        return;
      default: {
        const unknown: never = response;
        throw new Error(`unknown response kind ${JSON.stringify(unknown)}`);
      }
    }
  }

  /**
   * Writes the size prefix and the payload. A small response (most of them: Produce acks, metadata, group calls)
   * is copied behind its prefix into one buffer and written once. A large one is written as its chunks, corked so
   * they leave in one writev and never joined: the response header and a Fetch's stored batches side by side, as
   * Kafka's sendfile path sends them. Unmutes once the kernel has taken the last byte. `onComplete` runs as soon
   * as the payload is no longer referenced: after the copy for a small response, after the last write otherwise
   * (whether it succeeded or not: a failed write is not retried).
   */
  private send(channel: KafkaChannel, payload: Buffer | readonly Buffer[], onComplete?: () => void): void {
    const chunks = Buffer.isBuffer(payload) ? [payload] : payload;
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    const copied = length <= COPY_RESPONSES_UP_TO_BYTES;
    const onWritten = (error?: Error | null) => {
      if (!copied) onComplete?.();
      // A failed write also emits 'error' and 'close' on the socket, which close the connection.
      if (error) return;
      this.responsesSent += 1;
      this.unmute(channel);
    };
    const socket = channel.socket;
    this.bytesOut += SIZE_PREFIX_BYTES + length;
    if (copied) {
      const frame = Buffer.allocUnsafe(SIZE_PREFIX_BYTES + length);
      frame.writeInt32BE(length, 0);
      let at = SIZE_PREFIX_BYTES;
      for (const chunk of chunks) at += chunk.copy(frame, at);
      onComplete?.();
      socket.write(frame, onWritten);
      return;
    }
    const sizePrefix = Buffer.allocUnsafe(SIZE_PREFIX_BYTES);
    sizePrefix.writeInt32BE(length, 0);
    socket.cork();
    socket.write(sizePrefix);
    for (let i = 0; i < chunks.length - 1; i++) socket.write(chunks[i]!);
    socket.write(chunks[chunks.length - 1]!, onWritten);
    socket.uncork();
  }

  private unmute(channel: KafkaChannel): void {
    if (channel.isClosing) return;
    channel.unmute();
    this.processReceives(channel);
  }

  private rejectFrame(channel: KafkaChannel, reason: string): void {
    this.rejectedFrames += 1;
    this.close(channel, reason);
  }

  private close(channel: KafkaChannel, reason: string): void {
    channel.markClosing(reason);
    channel.socket.destroy();
  }

  private onClosed(channel: KafkaChannel): void {
    this.connections.delete(channel.id);
    this.listener.connectionClosed({
      connectionId: channel.id,
      processorId: this.id,
      remoteAddress: channel.remoteAddress,
      reason: channel.closeReason ?? 'client closed the connection',
    });
  }
}

const SIZE_PREFIX_BYTES = 4;
/**
 * Responses up to this size are copied into one buffer behind their size prefix: one write costs less than the
 * stream's writev path for a 4-byte prefix and a small body. Larger ones go out as chunks, uncopied.
 */
const COPY_RESPONSES_UP_TO_BYTES = 16 * 1024;

/** `host:port`, with IPv6 hosts in brackets. */
function formatAddress(host: string | undefined, port: number | undefined): string {
  const shownHost = host === undefined ? 'unknown' : host.includes(':') ? `[${host}]` : host;
  return `${shownHost}:${port ?? 0}`;
}
