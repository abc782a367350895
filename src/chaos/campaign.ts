import type { CheckResult } from './checker.js';
import type { ChaosRunReport } from './chaos-run.js';
import type { Scenario } from './scenarios.js';

/** One row of the campaign table: a scenario summed over its seeds. */
export interface CampaignRow {
  readonly scenario: Scenario;
  readonly runs: readonly ChaosRunReport[];
  readonly total: Omit<CheckResult, 'examples'>;
  /** A safe scenario that lost, duplicated or reused: the campaign failed. */
  readonly broken: boolean;
}

const COUNTS = [
  'writes',
  'acked',
  'failed',
  'lostAcked',
  'duplicates',
  'offsetReuse',
  'orderViolations',
  'liveReads',
  'backwardReads',
  'readThenLost',
  'replicaDivergence',
  'unavailableSeconds',
  'failedButStored',
] as const;

export function summarise(scenario: Scenario, runs: readonly ChaosRunReport[]): CampaignRow {
  const total = Object.fromEntries(COUNTS.map((k) => [k, 0])) as Record<(typeof COUNTS)[number], number>;
  for (const run of runs) for (const k of COUNTS) total[k] += run.result[k];
  total.unavailableSeconds = Math.round(total.unavailableSeconds * 10) / 10;
  const broken =
    scenario.expectation === 'safe' &&
    (total.lostAcked > 0 ||
      total.offsetReuse > 0 ||
      total.orderViolations > 0 ||
      total.readThenLost > 0 ||
      total.replicaDivergence > 0 ||
      (scenario.idempotent && total.duplicates > 0));
  return { scenario, runs, total, broken };
}

/** The table of a campaign, in Markdown (it goes into notes as it is). */
export function campaignTable(rows: readonly CampaignRow[]): string {
  const header =
    '| scenario | acks | idem | seeds | writes | acked | lost acked | dup | offset reuse | order | live reads | backward reads | read then lost | replica diverged | unavailable s | verdict |';
  const line =
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |';
  const body = rows.map((r) => {
    const t = r.total;
    const verdict = r.scenario.expectation === 'measured' ? 'measured' : r.broken ? '**VIOLATED**' : 'held';
    return `| ${r.scenario.name} | ${r.scenario.acks === -1 ? 'all' : r.scenario.acks} | ${r.scenario.idempotent ? 'yes' : 'no'} | ${r.runs.length} | ${t.writes} | ${t.acked} | ${t.lostAcked} | ${t.duplicates} | ${t.offsetReuse} | ${t.orderViolations} | ${t.liveReads} | ${t.backwardReads} | ${t.readThenLost} | ${t.replicaDivergence} | ${t.unavailableSeconds} | ${verdict} |`;
  });
  return [header, line, ...body].join('\n');
}
