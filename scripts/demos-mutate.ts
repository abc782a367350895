// npm run demos:mutate [-- --fast] [-- --demo <id> ...]: every demo on its mutants (see scripts/demo-mutation/).
// Prints the demos × mutations × verdicts table; exits 1 if a mutant was PROVEN, an unmutated demo was not, or a
// demo has no mutation.
import { formatMutationTable, runMutationTable } from './demo-mutation/mutation-table.js';

const args = process.argv.slice(2);
const demos = args.flatMap((a, i) => (args[i - 1] === '--demo' ? [a] : []));
const fast = args.includes('--fast');
const root = process.cwd();
const run = await runMutationTable(root, {
  fast,
  ...(demos.length > 0 ? { demos } : {}),
  onVerdict: (v) =>
    process.stderr.write(`${v.demo} ${v.mutation ?? '(none)'} ${v.set.join(' ')}: ${v.verdict} (${v.ms} ms)\n`),
});
process.stdout.write(`${formatMutationTable(run.verdicts)}\n`);
if (run.failures.length > 0) {
  process.stderr.write(`\n${run.failures.length} problem(s):\n${run.failures.map((f) => `  ${f}`).join('\n')}\n`);
  process.exit(1);
}
process.stderr.write(`every mutant NOT PROVEN, every unmutated demo PROVEN (${run.verdicts.length} runs)\n`);
