import { waitUntil, WaitTimeoutError } from '../broker/index.js';

/**
 * Resolves true once `condition()` holds, or false after `timeoutMs`: a bounded wait whose outcome is itself the
 * observation (a check then says what was expected), so a broken mechanism fails a check rather than a timeout.
 * A look that throws (a broker dying under it) counts as "not yet".
 */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  try {
    await waitUntil(
      () =>
        Promise.resolve()
          .then(condition)
          .catch(() => false),
      'a condition',
      timeoutMs,
      {
        everyMs: 50,
      },
    );
    return true;
  } catch (error) {
    if (error instanceof WaitTimeoutError) return false;
    throw error;
  }
}
