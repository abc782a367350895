/**
 * kq's one way to wait for something to become true: bounded, and failing with a message that names what was
 * awaited (`timed out after 5000 ms waiting for the follower to catch up (offset 3 of 7)`), never a sleep standing
 * in for synchronisation. Two forms:
 * - `waitUntil` polls a condition (state with no event to wait on: a background retention pass, another process);
 * - `Signal` re-checks conditions whenever its owner calls `notify()` (a record consumed, a frame received), so a
 *   waiter wakes on the event rather than on a poll interval.
 * `withTimeout` bounds any promise the same way. Lives in the broker's utils (the lowest layer) because the
 * broker's own client needs it and the broker imports nothing outside itself; demos, src/kafka, tests and
 * scripts import it from here (demos through the broker's facade). Stateless apart from each Signal's waiters.
 */

/** A bounded wait that ran out: `what` is the thing that never became true. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    detail = '',
  ) {
    super(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? ` (${detail})` : ''}`);
    this.name = 'WaitTimeoutError';
  }
}

export interface WaitOptions {
  /** What the state was when the wait gave up, appended to the message in parentheses (evaluated only then). */
  detail?: () => string;
  /** How often the condition is re-checked; only paces the checks, the condition decides. Default 10 ms. */
  everyMs?: number;
}

/**
 * Resolves once `condition()` holds (checked at once, then every `everyMs`); rejects with a WaitTimeoutError
 * naming `what` after `timeoutMs`.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
  options: WaitOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const everyMs = options.everyMs ?? 10;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new WaitTimeoutError(what, timeoutMs, options.detail?.());
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** `promise`'s outcome, or a WaitTimeoutError naming `what` after `timeoutMs`; the timer never outlives it. */
export function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WaitTimeoutError(what, timeoutMs)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * "Something happened" for waiters: the owner calls `notify()` on each event (a record consumed, a frame read),
 * and `until(condition)` re-checks on every notification, bounded like `waitUntil`. Owned by whoever emits the
 * events; any code holding it may wait on it.
 */
export class Signal {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
    if (condition()) return Promise.resolve();
    let check: (() => void) | undefined;
    const met = new Promise<void>((resolve) => {
      check = () => {
        if (condition()) resolve();
      };
      this.waiters.add(check);
    });
    return withTimeout(met, what, timeoutMs).finally(() => this.waiters.delete(check!));
  }
}
