import type { ImmediateResponse, Request, RequestChannel, Response } from './request-channel.js';

/**
 * The API layer as the network layer sees it (Kafka's `ApiRequestHandler`, implemented by `KafkaApis`):
 * decode the frame, act, and say what to send back. A rejected promise closes the connection, since the
 * client would otherwise wait for a response that will never come.
 */
export interface ApiRequestHandler {
  handle(request: Request): Promise<Response>;
}

export interface KafkaRequestHandlerMetrics {
  readonly id: number;
  /** Requests this handler has finished (answered, no-op'd, or turned into a close). */
  readonly handled: number;
  /** Whether it is working on a request right now. */
  readonly busy: boolean;
  /**
   * Milliseconds spent working on requests since it started (time waiting on the request queue is idle). Over an
   * interval, 1 − Δ busyMs / (Δ time × handlers) is Kafka's RequestHandlerAvgIdlePercent.
   */
  readonly busyMs: number;
  /** Requests it parked (deferred) whose response has not been sent yet. */
  readonly parked: number;
}

/**
 * One of the broker's "I/O threads" (`num.io.threads`), as in Kafka's `KafkaRequestHandler`: a loop that takes
 * the next request from the `RequestChannel`, passes it to the API layer, and puts the response on the
 * owning processor's response queue. It handles one request at a time; concurrency comes from having several.
 * A request the API layer parks (`deferred`: a long poll, a join waiting for its rebalance) does not hold the
 * handler: its response is queued when the operation completes, as Kafka's purgatories do.
 *
 * Owns only its loop and counters. It never touches sockets: the `Processor` that owns the connection writes.
 * The loop ends when the channel is closed and hands it no more requests; `done` settles then.
 */
export class KafkaRequestHandler {
  /** Settles when the loop has exited, after finishing the request it was working on. Never rejects. */
  readonly done: Promise<void>;
  private handled = 0;
  private busy = false;
  private busyMs = 0;
  private parked = 0;

  constructor(
    readonly id: number,
    private readonly requestChannel: RequestChannel,
    private readonly apis: ApiRequestHandler,
  ) {
    this.done = this.run();
  }

  metrics(): KafkaRequestHandlerMetrics {
    return { id: this.id, handled: this.handled, busy: this.busy, busyMs: this.busyMs, parked: this.parked };
  }

  private async run(): Promise<void> {
    for (;;) {
      const request = await this.requestChannel.receiveRequest();
      if (request === undefined) return;
      this.busy = true;
      const started = performance.now();
      const response = await this.handleSafely(request);
      this.busyMs += performance.now() - started;
      this.busy = false;
      this.handled += 1;
      if (response.kind !== 'deferred') {
        this.requestChannel.sendResponse(request, response);
        continue;
      }
      // Parked in a purgatory: this handler moves on; whatever completes the operation sends the response. Not
      // awaited on purpose (that would hold the handler); settle() turns a failed completion into a response.
      this.parked += 1;
      void settle(response.completion, request).then((done) => {
        this.parked -= 1;
        this.requestChannel.sendResponse(request, done);
      });
    }
  }

  /** Turns a failure of the API layer into closing that one connection, so one bad request cannot stop the loop. */
  private async handleSafely(request: Request): Promise<Response> {
    try {
      return await this.apis.handle(request);
    } catch (error) {
      return failed(request, error);
    }
  }
}

async function settle(completion: Promise<ImmediateResponse>, request: Request): Promise<ImmediateResponse> {
  try {
    return await completion;
  } catch (error) {
    return failed(request, error);
  }
}

function failed(request: Request, error: unknown): ImmediateResponse {
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'close', reason: `request handler failed on api key ${request.header.apiKey}: ${message}` };
}
