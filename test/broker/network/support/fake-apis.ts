import type { ApiRequestHandler, Request, Response } from '../../../../src/broker/network/index.js';

/** The echo answer: the request's correlation id (a response header v0) followed by the request body. */
export function echoResponse(request: Request): Response {
  return { kind: 'send', payload: Buffer.concat([request.frame.subarray(4, 8), request.frame.subarray(8)]) };
}

/** Answers every request at once with `echoResponse`. */
export class EchoApis implements ApiRequestHandler {
  readonly seen: Request[] = [];

  handle(request: Request): Promise<Response> {
    this.seen.push(request);
    return Promise.resolve(echoResponse(request));
  }
}

/** A request the test has not answered yet, and the means to answer it. */
export interface HeldRequest {
  readonly request: Request;
  answer(response: Response): void;
  fail(error: Error): void;
}

/**
 * Holds every request until the test answers it, so tests decide the order in which handlers finish
 * (deferred promises, no timers). `releaseAll` switches to answering everything with the echo at once.
 */
export class HeldApis implements ApiRequestHandler {
  readonly held: HeldRequest[] = [];
  /** Every request ever received, in arrival order. */
  readonly seen: Request[] = [];
  private released = false;

  handle(request: Request): Promise<Response> {
    this.seen.push(request);
    if (this.released) return Promise.resolve(echoResponse(request));
    return new Promise((resolve, reject) => {
      this.held.push({ request, answer: resolve, fail: reject });
    });
  }

  /** Removes and returns the held request with this correlation id; throws if none is held. */
  take(correlationId: number): HeldRequest {
    const index = this.held.findIndex((h) => h.request.header.correlationId === correlationId);
    const found = this.held[index];
    if (found === undefined) {
      const ids = this.held.map((h) => h.request.header.correlationId).join(', ');
      throw new Error(`no held request with correlation id ${correlationId} (held: ${ids || 'none'})`);
    }
    this.held.splice(index, 1);
    return found;
  }

  /** Answers `correlationId` with the echo. */
  echo(correlationId: number): void {
    const held = this.take(correlationId);
    held.answer(echoResponse(held.request));
  }

  /** Answers everything held, and from now on everything new, with the echo. */
  releaseAll(): void {
    this.released = true;
    for (const held of this.held.splice(0)) held.answer(echoResponse(held.request));
  }
}
