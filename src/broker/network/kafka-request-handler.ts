import type { Request, RequestChannel, Response } from './request-channel.js';

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
}

/**
 * One of the broker's "I/O threads" (`num.io.threads`), as in Kafka's `KafkaRequestHandler`: a loop that takes
 * the next request from the `RequestChannel`, passes it to the API layer, and puts the response on the
 * owning processor's response queue. It handles one request at a time; concurrency comes from having several.
 *
 * Owns only its loop and counters. It never touches sockets: the `Processor` that owns the connection writes.
 * The loop ends when the channel is closed and hands it no more requests; `done` settles then.
 */
export class KafkaRequestHandler {
  /** Settles when the loop has exited, after finishing the request it was working on. Never rejects. */
  readonly done: Promise<void>;
  private handled = 0;
  private busy = false;

  constructor(
    readonly id: number,
    private readonly requestChannel: RequestChannel,
    private readonly apis: ApiRequestHandler,
  ) {
    this.done = this.run();
  }

  metrics(): KafkaRequestHandlerMetrics {
    return { id: this.id, handled: this.handled, busy: this.busy };
  }

  private async run(): Promise<void> {
    for (;;) {
      const request = await this.requestChannel.receiveRequest();
      if (request === undefined) return;
      this.busy = true;
      const response = await this.handleSafely(request);
      this.busy = false;
      this.handled += 1;
      this.requestChannel.sendResponse(request, response);
    }
  }

  /** Turns a failure of the API layer into closing that one connection, so one bad request cannot stop the loop. */
  private async handleSafely(request: Request): Promise<Response> {
    try {
      return await this.apis.handle(request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { kind: 'close', reason: `request handler failed on api key ${request.header.apiKey}: ${message}` };
    }
  }
}
