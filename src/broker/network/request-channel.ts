import type { PeekedRequestHeader } from './request-header-peek.js';

/** One complete request frame, as the network layer hands it to the API layer. */
export interface Request {
  /** Names the connection the response must go back on; unique for the life of the `SocketServer`. */
  readonly connectionId: string;
  /** The `Processor` that owns the connection (and whose response queue the response goes to). */
  readonly processorId: number;
  /** Request header and body, without the 4-byte size prefix. Not parsed by the network layer. */
  readonly frame: Buffer;
  /** `Date.now()` when the last byte of the frame was read. */
  readonly receivedAt: number;
  /** api_key, api_version, correlation_id read at fixed offsets, for logs and counters only. */
  readonly header: PeekedRequestHeader;
}

/**
 * What the API layer wants done once it has handled a request. Mirrors Kafka's `SendResponse`,
 * `NoOpResponse` and `CloseConnectionResponse`.
 * - `send`: write `payload` (response header and body; the `Processor` adds the size prefix): one Buffer, or chunks
 *   written in order without being joined, so a Fetch's stored record batches go to the socket as they are.
 *   `onComplete`, if given, is called once when the `Processor` no longer references the payload: the kernel took
 *   it, the write failed, or the connection was gone (Kafka's `Send.onComplete`). A Fetch returns its pooled read
 *   buffers there. A response that never reaches a `Processor` (the broker stopping) never calls it.
 * - `noop`: send nothing (Produce with acks=0: the client reads no response) and carry on with the connection.
 * - `close`: close the connection, e.g. after an unsupported api key; `reason` is logged.
 */
export type ImmediateResponse =
  | { readonly kind: 'send'; readonly payload: Buffer | readonly Buffer[]; readonly onComplete?: () => void }
  | { readonly kind: 'noop' }
  | { readonly kind: 'close'; readonly reason: string };

/**
 * What the API layer returns: an immediate response, or `deferred` for a request parked in a purgatory
 * (a long-poll Fetch waiting for min_bytes, a JoinGroup waiting for the rebalance). A deferred request frees
 * its request handler at once, as in Kafka, where the operation that completes it sends the response.
 */
export type Response =
  ImmediateResponse | { readonly kind: 'deferred'; readonly completion: Promise<ImmediateResponse> };

/** A response waiting in a processor's response queue, with the request it answers. */
export interface QueuedResponse {
  readonly request: Request;
  readonly response: ImmediateResponse;
}

export interface RequestChannelMetrics {
  /** `queued.max.requests`. */
  readonly capacity: number;
  /** Requests waiting for a handler right now. */
  readonly depth: number;
  readonly maxDepthSeen: number;
  /** Requests accepted since start. */
  readonly totalRequests: number;
  /** Times a processor found the queue full and had to stop reading. */
  readonly timesFull: number;
  /** Requests still queued when the channel closed, never handled. */
  readonly droppedAtClose: number;
  /** Responses waiting per processor id. */
  readonly responseQueueDepths: Readonly<Record<number, number>>;
}

/**
 * The hand-off point between network and I/O roles, as in Kafka's `RequestChannel.scala`:
 * one bounded request queue shared by all processors and read by all request handlers, and one
 * response queue per processor.
 *
 * Owns: the request queue (never longer than `queued.max.requests`), the idle handlers waiting for a
 * request, the processors waiting for space, and the response queues.
 *
 * Backpressure: Kafka's processor thread blocks in `requestQueue.put` when the queue is full, and so stops
 * reading all its sockets. A Node callback cannot block, so `trySendRequest` answers `false` instead; the
 * processor then pauses its sockets and calls `whenSpaceAvailable`, and is woken when a handler takes a request.
 *
 * Concurrency: everything runs on the one event-loop thread, so no method is interleaved with another;
 * the processors write requests and read their own response queue, the handlers do the opposite.
 * Callbacks are deferred to a microtask so that a caller never re-enters the channel from inside itself.
 */
export class RequestChannel {
  private readonly requestQueue: Request[] = [];
  /** Handlers waiting for work; woken (not handed a request) so they take from the queue themselves. */
  private readonly idleHandlers: Array<() => void> = [];
  private wakeupScheduled = false;
  private readonly spaceWaiters: Array<() => void> = [];
  private readonly responseQueues = new Map<number, QueuedResponse[]>();
  private readonly responseListeners = new Map<number, () => void>();
  private closed = false;
  private maxDepthSeen = 0;
  private totalRequests = 0;
  private timesFull = 0;
  private droppedAtClose = 0;

  constructor(readonly queuedMaxRequests: number) {
    if (!Number.isInteger(queuedMaxRequests) || queuedMaxRequests < 1) {
      throw new RangeError(`queued.max.requests must be a positive integer, got ${queuedMaxRequests}`);
    }
  }

  /** Gives processor `processorId` a response queue; `onResponse` is called whenever a response is added to it. */
  registerProcessor(processorId: number, onResponse: () => void): void {
    this.responseQueues.set(processorId, []);
    this.responseListeners.set(processorId, onResponse);
  }

  /**
   * Puts a request on the queue, or hands it straight to an idle handler. Returns `false`, leaving the request
   * with the caller, when the queue is full. After `close()` requests are accepted and dropped, since nobody
   * will handle them and their connections are about to close.
   */
  trySendRequest(request: Request): boolean {
    if (this.closed) {
      this.droppedAtClose += 1;
      return true;
    }
    if (this.requestQueue.length >= this.queuedMaxRequests) {
      this.timesFull += 1;
      return false;
    }
    this.requestQueue.push(request);
    this.totalRequests += 1;
    this.maxDepthSeen = Math.max(this.maxDepthSeen, this.requestQueue.length);
    this.scheduleHandlerWakeup();
    return true;
  }

  /**
   * Idle handlers are woken in a later turn of the event loop (setImmediate), never inside the processor's
   * callback that queued the request. Why: in Kafka, network and I/O threads run side by side, so a burst read
   * by the processors piles up in the queue while the handlers are busy. Handing a request straight to an idle
   * handler's continuation would run it before the next socket is even read, and the queue — and with it
   * `queued.max.requests` backpressure — would never be observable.
   */
  private scheduleHandlerWakeup(): void {
    if (this.wakeupScheduled || this.idleHandlers.length === 0) return;
    this.wakeupScheduled = true;
    setImmediate(() => {
      this.wakeupScheduled = false;
      for (const idle of this.idleHandlers.splice(0, this.requestQueue.length)) idle();
    });
  }

  /**
   * Calls `wake` once, in a later microtask, when the queue has room again. All waiters are woken together,
   * in the order they started waiting; those that find the queue full again simply wait again. (Waking only
   * one per freed slot could strand the others if the woken one no longer had a request to put.)
   */
  whenSpaceAvailable(wake: () => void): void {
    this.spaceWaiters.push(wake);
    if (this.hasSpace()) this.wakeSpaceWaiters();
  }

  /** The next request, waiting for one if the queue is empty; `undefined` once the channel is closed. */
  async receiveRequest(): Promise<Request | undefined> {
    for (;;) {
      const request = this.requestQueue.shift();
      if (request !== undefined) {
        this.wakeSpaceWaiters();
        return request;
      }
      if (this.closed) return undefined;
      await new Promise<void>((wake) => this.idleHandlers.push(wake));
    }
  }

  /** Queues the response to `request` for the processor that owns its connection, and tells that processor. */
  sendResponse(request: Request, response: ImmediateResponse): void {
    const queue = this.responseQueues.get(request.processorId);
    if (queue === undefined) throw new Error(`sendResponse: no processor ${request.processorId} is registered`);
    queue.push({ request, response });
    this.responseListeners.get(request.processorId)?.();
  }

  /** The oldest response waiting for `processorId`, removed from its queue. */
  receiveResponse(processorId: number): QueuedResponse | undefined {
    return this.responseQueues.get(processorId)?.shift();
  }

  responseQueueDepth(processorId: number): number {
    return this.responseQueues.get(processorId)?.length ?? 0;
  }

  /**
   * Stops the channel: idle handlers get `undefined` and exit, requests still queued are dropped (their
   * connections are closing), and later requests are dropped on arrival. Responses still flow, so a handler
   * that finishes an in-flight request can still answer it.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.droppedAtClose += this.requestQueue.length;
    this.requestQueue.length = 0;
    for (const idle of this.idleHandlers.splice(0)) idle();
    this.spaceWaiters.length = 0;
  }

  metrics(): RequestChannelMetrics {
    const responseQueueDepths: Record<number, number> = {};
    for (const id of this.responseQueues.keys()) responseQueueDepths[id] = this.responseQueueDepth(id);
    return {
      capacity: this.queuedMaxRequests,
      depth: this.requestQueue.length,
      maxDepthSeen: this.maxDepthSeen,
      totalRequests: this.totalRequests,
      timesFull: this.timesFull,
      droppedAtClose: this.droppedAtClose,
      responseQueueDepths,
    };
  }

  private hasSpace(): boolean {
    return this.requestQueue.length < this.queuedMaxRequests;
  }

  private wakeSpaceWaiters(): void {
    for (const wake of this.spaceWaiters.splice(0)) queueMicrotask(wake);
  }
}
