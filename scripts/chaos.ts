// `npm run chaos [-- --seed S] [--runs N] [--writes W] [--scenario a,b] [--faults F] [--batch B] [--producers P]
// [--parallel J] [--run-timeout SECONDS] [--json]`: the fault campaign (issue 13 item 5). Each scenario runs N seeds
// (S, S+1, ...), each run a child process of its own (a fresh 3-node kq cluster of child processes under it) with
// a deadline: a run that hangs is stopped, its JavaScript stack printed (hang-report.ts), and it counts as not run.
// J runs go at once. The table sums each scenario's runs. Exit 0: every `safe` scenario held and every run ran;
// 1: one was violated or did not run; 2: usage. Needs the built CLI (npm run build), which the nodes run.
import { join } from 'node:path';
import { campaignTable, summarise } from '../src/chaos/campaign.js';
import { runChaos } from '../src/chaos/chaos-run.js';
import type { ChaosRunReport } from '../src/chaos/chaos-run.js';
import { runIsolated } from '../src/chaos/isolated-run.js';
import { SCENARIOS, scenarioNamed } from '../src/chaos/scenarios.js';
import type { Scenario } from '../src/chaos/scenarios.js';

function usage(message: string): never {
  process.stderr.write(
    `chaos: ${message}\nusage: npm run chaos -- [--seed S] [--runs N] [--writes W] [--faults F] [--batch B] [--producers P] [--parallel J] [--run-timeout SECONDS] [--scenario ${SCENARIOS.map((s) => s.name).join(',')}] [--json]\n`,
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
  parallel: 1,
  runTimeout: 300,
  json: false,
  /** Internal: this process is one run's child; it prints the run's report as JSON. */
  oneRun: false,
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
  else if (flag === '--parallel') options.parallel = whole('--parallel');
  else if (flag === '--run-timeout') options.runTimeout = whole('--run-timeout');
  else if (flag === '--json') options.json = true;
  else if (flag === '--one-run') options.oneRun = true;
  else if (flag === '--scenario') {
    i++;
    options.scenarios = (value ?? '').split(',').map((name) => {
      const s = scenarioNamed(name.trim());
      if (!s) usage(`no scenario "${name}"`);
      return s;
    });
  } else usage(`unknown option ${flag}`);
}
if (options.runs < 1 || options.batch < 1 || options.producers < 1 || options.parallel < 1 || options.runTimeout < 1)
  usage('--runs, --batch, --producers, --parallel and --run-timeout must be at least 1');

// scripts/run-ts.mjs runs a bundled copy from a temp dir: the repository is the working directory (npm run).
const kq = join(process.cwd(), 'bin', 'kq.js');
const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);

if (options.oneRun) {
  // One run's child: the parent reads the last stdout line.
  const [scenario] = options.scenarios;
  if (!scenario || options.scenarios.length !== 1) usage('--one-run needs exactly one --scenario');
  const report = await runChaos({
    scenario,
    seed: options.seed,
    writes: options.writes,
    faults: options.faults,
    batch: options.batch,
    producers: options.producers,
    nodeCommand: [process.execPath, kq, 'broker'],
    log,
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

/** One run in a child process with a deadline; its report, or why there is none. */
async function runOne(scenario: Scenario, seed: number): Promise<ChaosRunReport | string> {
  const args = [
    '--inspect-port=0', // so a hung run's stack can be taken (hang-report.ts)
    process.argv[1]!,
    '--one-run',
    ...['--scenario', scenario.name, '--seed', String(seed), '--writes', String(options.writes)],
    ...['--faults', String(options.faults), '--batch', String(options.batch), '--producers', String(options.producers)],
  ];
  const outcome = await runIsolated(process.execPath, args, options.runTimeout * 1000);
  const progress = outcome.stderr
    .split('\n')
    .filter((l) => /^\d{4}-/.test(l))
    .slice(-3);
  if (outcome.kind === 'hung') {
    log(`${scenario.name} seed ${seed}: HUNG (no end after ${options.runTimeout} s); last lines:`);
    for (const l of progress) log(`  ${l}`);
    log(`  its stack when stopped:`);
    for (const l of outcome.stack.slice(0, 40)) log(`    ${l}`);
    return `hung after ${options.runTimeout} s (stack in the log): ${outcome.stack[0] ?? ''}`;
  }
  const last = outcome.stdout.trim().split('\n').pop() ?? '';
  if (outcome.code === 0 && last.startsWith('{')) return JSON.parse(last) as ChaosRunReport;
  // A run that could not happen (the cluster refused the topic's configs, did not start, did not converge in
  // time) is reported as such; it is not a pass.
  const error = /^\w*Error\b.*$/m.exec(outcome.stderr)?.[0];
  return `exit ${outcome.code}: ${error || progress.join(' / ')}`;
}

// Seed by seed across the scenarios, so a campaign stopped early still covers every scenario evenly.
const jobs = Array.from({ length: options.runs }, (_, r) =>
  options.scenarios.map((scenario) => ({ scenario, seed: options.seed + r })),
).flat();
const results = new Map<string, ChaosRunReport>();
const notRun: string[] = [];
let nextJob = 0;
const worker = async () => {
  while (nextJob < jobs.length) {
    const { scenario, seed } = jobs[nextJob++]!;
    const report = await runOne(scenario, seed);
    if (typeof report === 'string') {
      log(`${scenario.name} seed ${seed}: could not run: ${report}`);
      notRun.push(`${scenario.name} seed ${seed}: ${report}`);
      continue;
    }
    const t = report.result;
    log(
      `${scenario.name} seed ${seed}: ${t.writes} writes, ${t.acked} acked, lost ${t.lostAcked}, dup ${t.duplicates}, reuse ${t.offsetReuse}, order ${t.orderViolations}, backward ${t.backwardReads}, read-then-lost ${t.readThenLost}, diverged ${t.replicaDivergence}, unavailable ${t.unavailableSeconds} s (${Math.round(report.durationMs / 1000)} s)`,
    );
    for (const e of [...t.examples.slice(0, 4), ...report.notes]) log(`  ${e}`);
    results.set(`${scenario.name}/${seed}`, report);
  }
};
await Promise.all(Array.from({ length: Math.min(options.parallel, jobs.length) }, worker));
const rows = options.scenarios.map((scenario) =>
  summarise(
    scenario,
    jobs.filter((j) => j.scenario === scenario).flatMap((j) => results.get(`${scenario.name}/${j.seed}`) ?? []),
  ),
);
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
