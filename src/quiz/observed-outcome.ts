import type { Card } from '../bank/load-bank.js';
import type { DemoRun } from './demo-launcher.js';

/**
 * What a predict card's demo showed, for the quiz to put beside the learner's prediction. A demo proves the
 * card's claim or does not; `proven` means the outcome the card's answer names is what the broker did, so the
 * prediction is graded by what happened. Anything else (not proven, could not run, not written) leaves no
 * observed outcome to grade by, and the quiz says so instead of pretending.
 */
export type OutcomeStatus = 'running' | 'proven' | 'not-proven' | 'failed' | 'missing';

export interface ObservedOutcome {
  status: OutcomeStatus;
  /** The demo's checks and verdict as it printed them (✓/✗ lines and the last line), for the screen. */
  lines: readonly string[];
}

export const RUNNING: ObservedOutcome = { status: 'running', lines: [] };

/** `kq demo` exits 0 when proven and 1 when not; any other ending means it could not run. */
export function observedOutcome(run: DemoRun): ObservedOutcome {
  const printed = run.output.split('\n').map((line) => line.trimEnd());
  const checks = printed.filter((line) => /^\s*[✓✗]/u.test(line)).map((line) => line.trim());
  const verdict = printed
    .filter((line) => line.trim() !== '')
    .at(-1)
    ?.trim();
  const lines = [...checks, ...(verdict && !checks.includes(verdict) ? [verdict] : [])];
  if (run.status === 'missing') return { status: 'missing', lines: [] };
  if (run.status === 'passed') return { status: 'proven', lines };
  return { status: run.exitCode === 1 ? 'not-proven' : 'failed', lines };
}

/** A predict card's scenario: the demo knobs its front matter sets, as `--set` values. */
export function scenarioKnobs(card: Card): Record<string, string> {
  if (card.meta.type !== 'predict' || !card.meta.knobs) return {};
  return Object.fromEntries(Object.entries(card.meta.knobs).map(([knob, value]) => [knob, String(value)]));
}
