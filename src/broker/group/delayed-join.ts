import type { GroupMetadata } from './group-metadata.js';
import type { ScheduledTask, Scheduler } from './scheduler.js';

/**
 * The end of one join phase (Kafka's `DelayedJoin` and `InitialDelayedJoin`). A normal join phase completes as
 * soon as every known member has rejoined, or when the group's rebalance timeout expires, whichever is first. The
 * first join phase of an empty group instead always waits `group.initial.rebalance.delay.ms`, and waits that long
 * again each time a new member arrives, until the rebalance timeout is used up: consumers started together then
 * cause one rebalance, not one each.
 *
 * Concurrency: owned by the GroupCoordinator (one per group in PreparingRebalance); runs on the event loop.
 * `onComplete` runs at most once.
 */
export class DelayedJoin {
  private task: ScheduledTask | null = null;
  private completed = false;

  private constructor(
    private readonly scheduler: Scheduler,
    private readonly group: GroupMetadata,
    private readonly onComplete: () => void,
    /** Set for the initial delay: the step to wait again when a member joined, and the budget left. */
    private readonly initial: { stepMs: number; remainingMs: number } | null,
  ) {}

  /** A join phase bounded by the rebalance timeout. */
  static rebalance(
    scheduler: Scheduler,
    group: GroupMetadata,
    rebalanceTimeoutMs: number,
    onComplete: () => void,
  ): DelayedJoin {
    const join = new DelayedJoin(scheduler, group, onComplete, null);
    join.arm(rebalanceTimeoutMs);
    return join;
  }

  /** The first join phase of an empty group: wait `delayMs`, longer while members keep arriving. */
  static initial(
    scheduler: Scheduler,
    group: GroupMetadata,
    delayMs: number,
    rebalanceTimeoutMs: number,
    onComplete: () => void,
  ): DelayedJoin {
    const join = new DelayedJoin(scheduler, group, onComplete, {
      stepMs: delayMs,
      remainingMs: Math.max(rebalanceTimeoutMs - delayMs, 0),
    });
    join.arm(delayMs);
    return join;
  }

  get isCompleted(): boolean {
    return this.completed;
  }

  /** Completes now if every member has rejoined; the initial delay never completes early. */
  tryComplete(): boolean {
    if (this.completed || this.initial !== null || !this.group.hasAllMembersJoined()) return false;
    this.complete();
    return true;
  }

  /** Drops the phase without completing it (the coordinator is shutting down or the group is gone). */
  cancel(): void {
    this.completed = true;
    this.task?.cancel();
    this.task = null;
  }

  private arm(delayMs: number): void {
    this.task = this.scheduler.schedule(delayMs, () => this.expire());
  }

  private expire(): void {
    this.task = null;
    if (this.completed) return;
    const initial = this.initial;
    if (initial !== null && this.group.newMemberAdded && initial.remainingMs > 0) {
      this.group.newMemberAdded = false;
      const step = Math.min(initial.stepMs, initial.remainingMs);
      initial.remainingMs = Math.max(initial.remainingMs - step, 0);
      this.arm(step);
      return;
    }
    this.complete();
  }

  private complete(): void {
    this.completed = true;
    this.task?.cancel();
    this.task = null;
    this.onComplete();
  }
}
