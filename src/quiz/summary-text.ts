import type { BodyLang } from '../bank/card-body.js';
import type { SessionSummary } from './quiz-session.js';
import { UI_TEXT } from './ui-text.js';

/** How long something took, for people: "42s", "3m 05s", "1h 02m" (zh: "42秒", "3分05秒", "1小时02分"). */
export function formatElapsed(ms: number, lang: BodyLang = 'en'): string {
  const { elapsed } = UI_TEXT[lang];
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return elapsed.seconds(s);
  const m = Math.floor(s / 60);
  if (m < 60) return elapsed.minutes(m, String(s % 60).padStart(2, '0'));
  return elapsed.hours(Math.floor(m / 60), String(m % 60).padStart(2, '0'));
}

/** How far off a moment is, in the scheduler's units: "now", "in 10m", "in 3h", "in 4d" (zh: "10 分钟后"). */
export function formatUntil(when: Date, now: Date, lang: BodyLang = 'en'): string {
  const { until } = UI_TEXT[lang];
  const minutes = Math.round((when.getTime() - now.getTime()) / 60_000);
  if (minutes <= 0) return until.now;
  if (minutes < 60) return until.minutes(minutes);
  if (minutes < 48 * 60) return until.hours(Math.round(minutes / 60));
  return until.days(Math.round(minutes / 1440));
}

/**
 * The quit summary as `summary <key> <value>` lines: one fact per line, for people and for scripts. The
 * `summary <key>` prefix never changes with the language; the value's prose does (the ISO time stays).
 */
export function summaryLines(summary: SessionSummary, now: Date, lang: BodyLang = 'en'): string[] {
  const text = UI_TEXT[lang].summary;
  const lines = [
    `summary reviewed ${text.plain.reviewed(summary.reviewed, summary.ratings)}`,
    `summary again ${text.again(Math.round(summary.againShare * 100), summary.again, summary.ratings)}`,
    `summary time ${formatElapsed(summary.elapsedMs, lang)}`,
    summary.nextDue
      ? `summary next-due ${formatUntil(summary.nextDue, now, lang)} (${summary.nextDue.toISOString()})`
      : `summary next-due ${text.plain.noneScheduled}`,
  ];
  if (summary.newWaiting > 0) lines.push(`summary new-waiting ${summary.newWaiting} ${text.plain.newWaiting}`);
  return lines;
}
