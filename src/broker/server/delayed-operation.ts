/**
 * A request that could not be answered yet and waits for a condition or a deadline (Kafka's
 * `DelayedOperation`). Subclasses say when they can complete (`tryComplete`) and what to do then
 * (`onComplete`); the purgatory calls `tryComplete` whenever a watched key changes, and `forceComplete`
 * when the deadline passes. Completes exactly once.
 */
export abstract class DelayedOperation {
  private completed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly delayMs: number) {}

  /** Completes the operation if its condition now holds; returns whether it completed. */
  abstract tryComplete(): boolean;

  /** Runs once, on completion by condition or by expiry. */
  protected abstract onComplete(): void;

  /** Runs before `onComplete` when the deadline passed first. */
  protected onExpiration(): void {}

  get isCompleted(): boolean {
    return this.completed;
  }

  /** Completes now, whatever the condition; false if it had already completed. */
  forceComplete(): boolean {
    if (this.completed) return false;
    this.completed = true;
    if (this.timer) clearTimeout(this.timer);
    this.onComplete();
    return true;
  }

  /** Arms the deadline; called by the purgatory. */
  startTimer(onExpire: () => void): void {
    this.timer = setTimeout(() => {
      if (this.completed) return;
      this.onExpiration();
      this.forceComplete();
      onExpire();
    }, this.delayMs);
  }
}
