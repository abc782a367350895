// `npm run chaos [-- --seed S] [--runs N] [--writes W] [--scenario a,b] [--faults F] [--batch B] [--producers P] [--json]`: the fault campaign
// (issue 13 item 5). Each scenario runs N seeds (S, S+1, ...) on a fresh 3-node kq cluster of child processes;
// the table sums each scenario's runs. Exit 0: every `safe` scenario held; 1: one was violated; 2: usage.
// Needs the built CLI (npm run build), which the nodes run.
import { join } from 'node:path';
import { campaignTable, summarise } from '../src/chaos/campaign.js';
import { runChaos } from '../src/chaos/chaos-run.js';
import type { ChaosRunReport } from '../src/chaos/chaos-run.js';
import { SCENARIOS, scenarioNamed } from '../src/chaos/scenarios.js';

function usage(message: string): never {
  process.stderr.write(
    `chaos: ${message}\nusage: npm run chaos -- [--seed S] [--runs N] [--writes W] [--faults F] [--batch B] [--producers P] [--scenario ${SCENARIOS.map((s) => s.name).join(',')}] [--json]\n`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const options = {
  seed: 1,
  runs: 1,
  writes: 1000,
  faults: 3,
  batch: 10,
  producers: 3,
  scenarios: SCENARIOS,
  json: false,
};
for (let i = 0; i < args.length; i++) {
  const flag = args[i];
  const value = args[i + 1];
  const whole = (name: string) => {
    if (value === undefined || !/^\d+$/.test(value)) usage(`${name} needs a whole number, got ${value ?? 'nothing'}`);
    i++;
    return Number(value);
  };
  if (flag === '--seed') options.seed = whole('--seed');
  else if (flag === '--runs') options.runs = whole('--runs');
  else if (flag === '--writes') options.writes = whole('--writes');
  else if (flag === '--faults') options.faults = whole('--faults');
  else if (flag === '--batch') options.batch = whole('--batch');
  else if (flag === '--producers') options.producers = whole('--producers');
  else if (flag === '--json') options.json = true;
  else if (flag === '--scenario') {
    i++;
    options.scenarios = (value ?? '').split(',').map((name) => {
      const s = scenarioNamed(name.trim());
      if (!s) usage(`no scenario "${name}"`);
      return s;
    });
  } else usage(`unknown option ${flag}`);
}
if (options.runs < 1 || options.batch < 1 || options.producers < 1)
  usage('--runs, --batch and --producers must be at least 1');

// scripts/run-ts.mjs runs a bundled copy from a temp dir: the repository is the working directory (npm run).
const kq = join(process.cwd(), 'bin', 'kq.js');
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const rows = [];
const notRun: string[] = [];
for (const scenario of options.scenarios) {
  const runs: ChaosRunReport[] = [];
  for (let r = 0; r < options.runs; r++) {
    const seed = options.seed + r;
    let report: ChaosRunReport;
    try {
      report = await runChaos({
        scenario,
        seed,
        writes: options.writes,
        faults: options.faults,
        batch: options.batch,
        producers: options.producers,
        nodeCommand: [process.execPath, kq, 'broker'],
        log,
      });
    } catch (error) {
      // A run that could not happen (the cluster refused the topic's configs, did not start, did not converge in
      // time) is reported as such; it is not a pass.
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      log(`${scenario.name} seed ${seed}: could not run: ${reason}`);
      notRun.push(`${scenario.name} seed ${seed}: ${reason}`);
      continue;
    }
    const t = report.result;
    log(
      `${scenario.name} seed ${seed}: ${t.writes} writes, ${t.acked} acked, lost ${t.lostAcked}, dup ${t.duplicates}, reuse ${t.offsetReuse}, order ${t.orderViolations}, backward ${t.backwardReads}, read-then-lost ${t.readThenLost}, diverged ${t.replicaDivergence}, unavailable ${t.unavailableSeconds} s (${Math.round(report.durationMs / 1000)} s)`,
    );
    for (const e of [...t.examples.slice(0, 4), ...report.notes]) log(`  ${e}`);
    runs.push(report);
  }
  rows.push(summarise(scenario, runs));
}
if (options.json)
  process.stdout.write(
    `${JSON.stringify(rows.map((r) => ({ scenario: r.scenario.name, total: r.total, broken: r.broken, runs: r.runs.map((x) => ({ seed: x.seed, result: x.result, faultLog: x.faultLog, notes: x.notes })) })))}\n`,
  );
else {
  process.stdout.write(`${campaignTable(rows)}\n`);
  for (const r of rows)
    if (r.scenario.why && r.total.lostAcked > 0) process.stdout.write(`\n${r.scenario.name}: ${r.scenario.why}.\n`);
}
if (notRun.length > 0) process.stdout.write(`\nNot run:\n${notRun.map((n) => `- ${n}`).join('\n')}\n`);
process.exitCode = rows.some((r) => r.broken) || notRun.length > 0 ? 1 : 0;
