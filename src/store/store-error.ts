/**
 * Errors from the progress store (the review log, the settings file, the clock override). The store knows
 * nothing of the CLI, so each error says which CLI exit code it deserves by its kind: 'environment' (a file
 * is corrupt or unwritable → exit 3) or 'usage' (the user gave a bad value, e.g. KQ_NOW → exit 2). Messages
 * are user-facing: what is wrong, where, and what to do.
 */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'environment',
  ) {
    super(message);
    this.name = new.target.name;
  }
}
