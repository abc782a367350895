import {
  KafkaRequestHandler,
  type ApiRequestHandler,
  type KafkaRequestHandlerMetrics,
} from './kafka-request-handler.js';
import type { RequestChannel } from './request-channel.js';

/**
 * The broker's `num.io.threads` request handlers, as in Kafka's `KafkaRequestHandlerPool`: M loops reading the
 * one shared `RequestChannel`, so up to M requests (from different connections) are worked on at once.
 *
 * Owns the handlers and their shutdown. Only the `SocketServer` that created it should call `shutdown`.
 */
export class KafkaRequestHandlerPool {
  private readonly handlers: KafkaRequestHandler[];

  constructor(
    private readonly requestChannel: RequestChannel,
    apis: ApiRequestHandler,
    numIoThreads: number,
  ) {
    if (!Number.isInteger(numIoThreads) || numIoThreads < 1) {
      throw new RangeError(`num.io.threads must be a positive integer, got ${numIoThreads}`);
    }
    this.handlers = Array.from({ length: numIoThreads }, (_, id) => new KafkaRequestHandler(id, requestChannel, apis));
  }

  metrics(): KafkaRequestHandlerMetrics[] {
    return this.handlers.map((handler) => handler.metrics());
  }

  /**
   * Closes the request channel, then waits up to `timeoutMs` for every handler to finish the request it is
   * working on. Resolves `true` if all finished in time, `false` if some were still busy (their responses,
   * should they come later, are dropped with their connections).
   */
  async shutdown(timeoutMs: number): Promise<boolean> {
    this.requestChannel.close();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const allDone = Promise.all(this.handlers.map((handler) => handler.done)).then(() => true as const);
    try {
      return await Promise.race([allDone, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
