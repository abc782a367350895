/**
 * Waits until `condition()` holds, checking every millisecond, and fails with `what` after `timeoutMs`.
 * A bounded wait on an observable state, never a sleep standing in for synchronisation.
 */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
