import { EventEmitter } from 'node:events';
import { Acceptor, type AcceptorMetrics, type BoundAddress } from './acceptor.js';
import type { ApiRequestHandler, KafkaRequestHandlerMetrics } from './kafka-request-handler.js';
import { KafkaRequestHandlerPool } from './kafka-request-handler-pool.js';
import {
  Processor,
  type ConnectionClosedEvent,
  type ConnectionOpenedEvent,
  type ProcessorMetrics,
} from './processor.js';
import { ReadChunkCollector } from './read-chunk-collector.js';
import { RequestChannel, type RequestChannelMetrics } from './request-channel.js';

/** Settings, named after the Kafka broker configs they stand for. Every field has Kafka's default. */
export interface SocketServerConfig {
  /** `listeners` host. Default 127.0.0.1. */
  readonly host?: string;
  /** `listeners` port; 0 picks a free ephemeral port (read it back from `boundAddress`). Default 0. */
  readonly port?: number;
  /** `num.network.threads`: processors. Default 3. */
  readonly numNetworkThreads?: number;
  /** `num.io.threads`: request handlers. Default 8. */
  readonly numIoThreads?: number;
  /** `queued.max.requests`: request queue capacity before processors stop reading. Default 500. */
  readonly queuedMaxRequests?: number;
  /** `socket.request.max.bytes`: largest request frame accepted. Default 104857600 (100 MiB). */
  readonly socketRequestMaxBytes?: number;
  /** How long `shutdown` waits for in-flight requests, then for connections to flush. Default 5000 ms. */
  readonly shutdownTimeoutMs?: number;
}

export const SOCKET_SERVER_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  numNetworkThreads: 3,
  numIoThreads: 8,
  queuedMaxRequests: 500,
  socketRequestMaxBytes: 104_857_600,
  shutdownTimeoutMs: 5_000,
} as const satisfies Required<SocketServerConfig>;

/** Events for `kq broker` to log, one line each. */
export interface SocketServerEvents {
  connectionOpened: [event: ConnectionOpenedEvent];
  connectionClosed: [event: ConnectionClosedEvent];
}

/** A plain-object snapshot of every stage's counters, for demos and tests. */
export interface SocketServerMetrics {
  readonly acceptor: AcceptorMetrics;
  readonly openConnections: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly rejectedFrames: number;
  readonly requestsByApiKey: Readonly<Record<number, number>>;
  readonly requestQueue: Omit<RequestChannelMetrics, 'responseQueueDepths'>;
  readonly processors: readonly ProcessorMetrics[];
  readonly handlers: readonly KafkaRequestHandlerMetrics[];
  /** Young-generation collections asked for to free dead socket read chunks (see ReadChunkCollector). */
  readonly readChunkCollections: number;
}

/**
 * The broker's network layer, after Kafka's `SocketServer` (Reactor pattern): one `Acceptor` spreads new
 * connections round-robin over `num.network.threads` `Processor`s; processors frame requests and put them on
 * the bounded `RequestChannel`; `num.io.threads` request handlers (`KafkaRequestHandlerPool`) take them, call
 * the API layer, and queue each response back to the processor that owns the connection, which writes it.
 * Unlike Kafka, where `KafkaServer` owns the handler pool, this class owns it too, so one object starts and
 * stops the whole request path.
 *
 * Threads: Kafka's roles run here as asynchronous tasks on Node's single event-loop thread, not as worker
 * threads. On one core that is the honest model of those roles: the work is socket I/O and waiting, which the
 * event loop interleaves just as Kafka's threads are interleaved on a busy CPU, and buffers pass from socket
 * to handler to log without being copied or serialised across threads (worker threads would have to copy or
 * transfer every frame, and share the log and group state through locks). What the model keeps from Kafka is the
 * structure: who owns which connection, the bounded queue between network and I/O roles, per-connection
 * muting for request order, and backpressure that stops reading sockets when the queue is full. Several
 * handlers matter because the API layer awaits (disk, purgatory), not because they run in parallel.
 *
 * Owns the acceptor, processors, request channel and handler pool; nothing else may reach into them.
 * `startup`, `shutdown` and `metrics` are meant to be called from the code that created the server.
 */
export class SocketServer extends EventEmitter<SocketServerEvents> {
  private readonly config: Required<SocketServerConfig>;
  private readonly requestChannel: RequestChannel;
  private readonly processors: Processor[];
  private readonly readChunks = new ReadChunkCollector();
  private readonly acceptor: Acceptor;
  private handlerPool: KafkaRequestHandlerPool | undefined;
  private state: 'created' | 'starting' | 'running' | 'stopping' | 'stopped' = 'created';
  private stopped: Promise<void> | undefined;

  constructor(
    private readonly apis: ApiRequestHandler,
    config: SocketServerConfig = {},
  ) {
    super();
    this.config = { ...SOCKET_SERVER_DEFAULTS, ...withoutUndefined(config) };
    validate(this.config);
    this.requestChannel = new RequestChannel(this.config.queuedMaxRequests);
    const listener = {
      connectionOpened: (event: ConnectionOpenedEvent) => this.emit('connectionOpened', event),
      connectionClosed: (event: ConnectionClosedEvent) => this.emit('connectionClosed', event),
    };
    this.processors = Array.from(
      { length: this.config.numNetworkThreads },
      (_, id) => new Processor(id, this.requestChannel, this.config.socketRequestMaxBytes, listener, this.readChunks),
    );
    this.acceptor = new Acceptor(this.processors);
  }

  /**
   * Binds the listener and starts the request handlers.
   * @throws SocketServerBindError if the host/port cannot be bound (port in use, no permission, ...).
   */
  async startup(): Promise<BoundAddress> {
    if (this.state !== 'created') throw new Error(`SocketServer.startup: already ${this.state}`);
    this.state = 'starting';
    try {
      const bound = await this.acceptor.bind(this.config.host, this.config.port);
      if (this.stopped !== undefined) {
        // shutdown() ran while the listener was being bound, and found nothing to close yet.
        await this.acceptor.close();
        throw new Error('SocketServer.startup: the server was shut down while it was starting');
      }
      this.handlerPool = new KafkaRequestHandlerPool(this.requestChannel, this.apis, this.config.numIoThreads);
      this.state = 'running';
      return bound;
    } catch (error) {
      if (this.stopped === undefined) this.state = 'stopped';
      this.requestChannel.close();
      throw error;
    }
  }

  /** Where the server listens; the real port when port 0 was configured. */
  get boundAddress(): BoundAddress {
    const bound = this.acceptor.boundAddress;
    if (bound === undefined) throw new Error('SocketServer.boundAddress: call startup() first');
    return bound;
  }

  metrics(): SocketServerMetrics {
    const processors = this.processors.map((processor) => processor.metrics());
    const { responseQueueDepths: _perProcessor, ...requestQueue } = this.requestChannel.metrics();
    const requestsByApiKey: Record<number, number> = {};
    for (const processor of processors) {
      for (const [apiKey, count] of Object.entries(processor.requestsByApiKey)) {
        requestsByApiKey[Number(apiKey)] = (requestsByApiKey[Number(apiKey)] ?? 0) + count;
      }
    }
    return {
      acceptor: this.acceptor.metrics(),
      openConnections: sum(processors, (p) => p.connections),
      bytesIn: sum(processors, (p) => p.bytesIn),
      bytesOut: sum(processors, (p) => p.bytesOut),
      rejectedFrames: sum(processors, (p) => p.rejectedFrames),
      requestsByApiKey,
      requestQueue,
      processors,
      handlers: this.handlerPool?.metrics() ?? [],
      readChunkCollections: this.readChunks.count,
    };
  }

  /**
   * Stops in Kafka's order: stop accepting, stop reading requests, let the handlers finish what they are
   * working on (up to `shutdownTimeoutMs`; queued requests not yet started are dropped), write the responses
   * that produced, then close every connection. Safe to call more than once; later calls wait for the first.
   */
  shutdown(): Promise<void> {
    this.stopped ??= this.stop();
    return this.stopped;
  }

  private async stop(): Promise<void> {
    this.state = 'stopping';
    const listenerClosed = this.acceptor.close();
    for (const processor of this.processors) processor.stopReading();
    if (this.handlerPool !== undefined) await this.handlerPool.shutdown(this.config.shutdownTimeoutMs);
    else this.requestChannel.close();
    await Promise.all(
      this.processors.map((processor) => processor.closeAll('broker shutting down', this.config.shutdownTimeoutMs)),
    );
    await listenerClosed;
    this.state = 'stopped';
  }
}

function validate(config: Required<SocketServerConfig>): void {
  const positive: Array<[string, number]> = [
    ['num.network.threads', config.numNetworkThreads],
    ['num.io.threads', config.numIoThreads],
    ['queued.max.requests', config.queuedMaxRequests],
    ['socket.request.max.bytes', config.socketRequestMaxBytes],
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (config.socketRequestMaxBytes > 0x7fffffff) {
    throw new RangeError(`socket.request.max.bytes must fit in an int32, got ${config.socketRequestMaxBytes}`);
  }
  if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${config.port}`);
  }
  if (!(config.shutdownTimeoutMs >= 0)) {
    throw new RangeError(`shutdownTimeoutMs must be zero or more, got ${config.shutdownTimeoutMs}`);
  }
}

/** Lets callers pass `{ port: undefined }` and still get the default. */
function withoutUndefined(config: SocketServerConfig): SocketServerConfig {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}

function sum<T>(items: readonly T[], count: (item: T) => number): number {
  return items.reduce((total, item) => total + count(item), 0);
}
