/**
 * A demo's "something happened" signal: callbacks (a record consumed, a heartbeat) call `notify()`, and the demo
 * waits with `until(condition)` — re-checked on every notification, bounded by a timeout that names what never
 * happened — rather than sleeping. Owned by one demo run.
 */
export class Progress {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const wake of [...this.waiters]) wake();
  }

  until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve) => {
        const check = () => {
          if (!condition()) return;
          this.waiters.delete(check);
          resolve();
        };
        this.waiters.add(check);
        check();
      }),
      timeoutMs,
      what,
    );
  }
}

/** `promise`, or a rejection naming `what` after `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * For state with no event to wait on (a background retention pass): re-checks `condition` every `everyMs` until
 * it holds, failing with `what` after `timeoutMs`. The interval only paces the checks; the condition decides.
 */
export async function pollUntil(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
  everyMs = 25,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
