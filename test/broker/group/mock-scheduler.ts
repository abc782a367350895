import type { ScheduledTask, Scheduler } from '../../../src/broker/group/scheduler.js';

interface Entry {
  at: number;
  seq: number;
  task: () => void;
  cancelled: boolean;
}

/**
 * Kafka's MockScheduler/MockTime: time stands still until a test advances it, and then due tasks run in time
 * order (tasks scheduled while advancing run too if they fall due). Tests of timeouts never sleep.
 */
export class MockScheduler implements Scheduler {
  private time: number;
  private seq = 0;
  private entries: Entry[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  schedule(delayMs: number, task: () => void): ScheduledTask {
    const entry: Entry = { at: this.time + Math.max(0, delayMs), seq: this.seq++, task, cancelled: false };
    this.entries.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  }

  /** Moves time forward by `ms`, running every task that falls due on the way, each at its own time. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      this.entries = this.entries.filter((e) => !e.cancelled);
      const next = this.entries.filter((e) => e.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.entries.splice(this.entries.indexOf(next), 1);
      this.time = Math.max(this.time, next.at);
      next.task();
    }
    this.time = until;
  }

  /** Tasks still waiting to run. */
  get pendingTasks(): number {
    return this.entries.filter((e) => !e.cancelled).length;
  }
}
