/**
 * Runs demos on their mutants and lays the verdicts out as a table: one row per demo, the unmutated baseline first
 * (it must be PROVEN), then each mutation of that demo's mechanism (each must be NOT PROVEN, by a failed check: a
 * demo that throws or times out on a mutant has not judged it).
 */
import { demoIds } from '../../src/demo/demo-modules.js';
import { runMutant, type MutantVerdict, type Mutation } from './mutant.js';
import { MUTATIONS } from './mutations.js';

export interface MutationRun {
  verdicts: MutantVerdict[];
  /** Demos with no mutation at all: an unchecked claim. */
  unmutated: string[];
  failures: string[];
}

export async function runMutationTable(
  root: string,
  options: { fast?: boolean; demos?: readonly string[]; onVerdict?: (v: MutantVerdict) => void } = {},
): Promise<MutationRun> {
  const all = demoIds(`${root}/demos`);
  const demos = options.demos ?? all;
  const mutations = MUTATIONS.filter((m) => demos.includes(m.demo) && (!options.fast || m.fast));
  const verdicts: MutantVerdict[] = [];
  const failures: string[] = [];
  for (const demo of demos) {
    const own = mutations.filter((m) => m.demo === demo);
    if (options.fast && own.length === 0) continue;
    // the unmutated demo with each set of knobs its mutations use: each must be PROVEN, so a flip is the mutation's
    const knobSets = [...new Set([[], ...own.map((m) => m.set ?? [])].map((set) => JSON.stringify(set)))].map(
      (json) => JSON.parse(json) as string[],
    );
    const runs: Array<[Mutation | undefined, string[]]> = [
      ...knobSets.map((set): [undefined, string[]] => [undefined, set]),
      ...own.map((m): [Mutation, string[]] => [m, [...(m.set ?? [])]]),
    ];
    for (const [mutation, set] of runs) {
      const verdict = await runMutant(root, demo, mutation, set);
      verdicts.push(verdict);
      options.onVerdict?.(verdict);
      const expected = mutation ? 'NOT PROVEN' : 'PROVEN';
      const name = `${demo} ${mutation?.id ?? 'unmutated'}${set.length > 0 ? ` [${set.join(' ')}]` : ''}`;
      if (verdict.verdict !== expected)
        failures.push(`${name}: ${verdict.verdict} (expected ${expected}): ${verdict.reason}`);
      // a mutant the demo only notices by throwing or timing out is not refuted by the demo's own checks: the
      // claim's checks would have let the broken mechanism through had the demo not tripped first
      else if (verdict.flippedBy === 'error')
        failures.push(`${name}: NOT PROVEN by an error, not by a failed check of its mechanism: ${verdict.reason}`);
    }
  }
  const unmutated = options.fast ? [] : demos.filter((d) => !MUTATIONS.some((m) => m.demo === d));
  for (const demo of unmutated) failures.push(`${demo}: no mutation of its mechanism`);
  return { verdicts, unmutated, failures };
}

export function formatMutationTable(verdicts: readonly MutantVerdict[]): string {
  const rows = [
    ['demo', 'mutation', 'verdict', 'flipped by', 'time', 'reason'],
    ...verdicts.map((v) => [
      v.demo,
      `${v.mutation ?? '(none)'}${v.set.length > 0 ? ` [${v.set.join(' ')}]` : ''}`,
      v.verdict,
      v.flippedBy ?? '',
      `${(v.ms / 1000).toFixed(1)} s`,
      v.reason.length > 90 ? `${v.reason.slice(0, 89)}…` : v.reason,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}
