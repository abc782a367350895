import type { DemoEvent } from '../../../src/demo/demo-result.js';

/** What a run said, as one searchable text: every step, observation and check (label, expected, actual). */
export function transcript(events: readonly DemoEvent[]): string {
  return events
    .map((e) => {
      if (e.kind === 'step') return e.text.en;
      if (e.kind === 'observation')
        return `${e.label}: ${JSON.stringify(e.value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
      if (e.kind === 'check')
        return `${e.pass ? 'HELD' : 'FAILED'} ${e.label.en} | expected ${e.expected} | got ${e.actual}`;
      return `N/A ${e.label.en}: ${e.why}`;
    })
    .join('\n');
}
