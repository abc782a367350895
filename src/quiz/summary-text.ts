import type { SessionSummary } from './quiz-session.js';

/** How long something took, for people: "42s", "3m 05s", "1h 02m". */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** How far off a moment is, in the scheduler's units: "now", "in 10m", "in 3h", "in 4d". */
export function formatUntil(when: Date, now: Date): string {
  const minutes = Math.round((when.getTime() - now.getTime()) / 60_000);
  if (minutes <= 0) return 'now';
  if (minutes < 60) return `in ${minutes}m`;
  if (minutes < 48 * 60) return `in ${Math.round(minutes / 60)}h`;
  return `in ${Math.round(minutes / 1440)}d`;
}

/** The quit summary as `summary <what> <value>` lines: one fact per line, for people and for scripts. */
export function summaryLines(summary: SessionSummary, now: Date): string[] {
  const lines = [
    `summary reviewed ${summary.reviewed} cards, ${summary.ratings} ratings`,
    `summary again ${Math.round(summary.againShare * 100)}% (${summary.again} of ${summary.ratings})`,
    `summary time ${formatElapsed(summary.elapsedMs)}`,
    summary.nextDue
      ? `summary next-due ${formatUntil(summary.nextDue, now)} (${summary.nextDue.toISOString()})`
      : 'summary next-due none (no reviewed card is scheduled)',
  ];
  if (summary.newWaiting > 0) lines.push(`summary new-waiting ${summary.newWaiting} (held back by the daily new-card limit)`);
  return lines;
}
