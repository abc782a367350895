import { describe, expect, it } from 'vitest';
import type { DemoDefinition } from '../../src/demo/demo-definition.js';
import type { DemoEvent } from '../../src/demo/demo-result.js';
import { runDemo } from '../../src/demo/demo-runner.js';

/** What a run said, as one searchable text: every step, observation and check (label, expected, actual). */
function transcript(events: readonly DemoEvent[]): string {
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

// For every demo, one knob turned away from its default, and what must then be seen: the checks' expectations
// follow the knobs (never constants), so the run says something different — and still holds.
const CASES: ReadonlyArray<[demo: string, set: string[], expectInTranscript: RegExp]> = [
  ['sequential-io', ['flush.messages=7'], /HELD flush\.messages=7.*expected 10 fsync calls/],
  [
    'log-anatomy',
    ['segment.bytes=1310720', 'index.interval.bytes=2048'],
    /HELD the log rolls .*segment\.bytes=1310720 \| expected 2 segments/,
  ],
  ['compression-passthrough', ['codec=none'], /HELD the served batch header's codec is still none/],
  [
    'offset-commit',
    ['processed.before.crash=1'],
    /HELD crash before commit → exactly 1 records processed twice .*expected duplicates 5;/,
  ],
  ['reactor-pipeline', ['queued.max.requests=100'], /HELD the queue \(100\) plus the handlers hold the whole burst/],
  ['auto-offset-reset', ['log.start.offset=100'], /HELD committed 120 \+ latest: resumes at its commit 120/],
  [
    'coordinator-lookup',
    ['offsets.topic.num.partitions=13'],
    /HELD that broker's __consumer_offsets has 13 partitions/,
  ],
  ['delayed-delivery', ['delay.ms=300'], /delay-300ms: 0,1,2; delay-600ms: 0,1,2/],
  ['kraft-metadata', ['partitions=5'], /HELD .* \| expected 5 partitions, all led by listed brokers/],
  ['pull-long-poll', ['fetch.max.wait.ms=300'], /max_wait_ms=300/],
  ['retention-replay', ['retention.bytes=1572864'], /retention\.bytes=1572864/],
  ['throughput-measure', ['messages=20000'], /build 20 batches of 1000 messages/],
  ['zero-copy-serve', ['batches.before=0'], /produce 0 batches first/],
  [
    'partition-ordering',
    ['enable.idempotence=true', 'partitions.after=9'],
    /HELD enable\.idempotence=true: after the retry the log order still equals the send order/,
  ],
  ['producer-batching', ['linger.ms=50'], /HELD linger\.ms=50 makes at most 1\/3 as many batches as linger\.ms=0/],
  [
    'consumer-group-rebalance',
    ['session.timeout.ms=2500'],
    /HELD the silent member was removed after session\.timeout\.ms \(2500 ms\)/,
  ],
];

describe.each(CASES)('demo %s with --set %j', (id, set, expected) => {
  it('holds, and its checks and observations follow the knob', async () => {
    const module = (await import(`../../demos/${id}.ts`)) as { default: DemoDefinition };
    const result = await runDemo(module.default, { lang: 'en', set });
    const text = transcript(result.events);
    expect(result.proven, `${result.reason}\n${text}`).toBe(true);
    expect(text).toMatch(expected);
  }, 60_000);
});
