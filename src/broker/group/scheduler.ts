/**
 * Time and delayed tasks for the group coordinator (Kafka's `Time` + `Scheduler`): session timeouts, rebalance
 * timeouts, the initial rebalance delay and the offset-expiry sweep all go through one Scheduler, so a unit test
 * can pass a mock that advances time by hand instead of sleeping. The broker uses KafkaScheduler.
 *
 * Concurrency: tasks run on the event loop, one at a time, never inside another task or a request handler.
 */
export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `task` once after `delayMs`; the handle cancels it if it has not run yet. */
  schedule(delayMs: number, task: () => void): ScheduledTask;
}

export interface ScheduledTask {
  cancel(): void;
}

/**
 * Real timers (Kafka's `KafkaScheduler`, a thread pool there; setTimeout on the event loop here). Timers are
 * unref'd: a pending session timeout must not keep a stopped broker's process alive. Not the quiz's FSRS
 * scheduler (src/srs), which schedules card reviews, not tasks.
 */
export class KafkaScheduler implements Scheduler {
  now(): number {
    return Date.now();
  }

  schedule(delayMs: number, task: () => void): ScheduledTask {
    const timer = setTimeout(task, Math.max(0, delayMs));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  }
}
