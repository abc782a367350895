// Cold-start wall time of kq commands against bare `node -e 0`, median of RUNS runs each, measured in one
// run so the ratios compare like with like. Goal (issue 2): `kq list` ≤ 2.0× bare node.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const kq = `${root}bin/kq.js`;
const env = { ...process.env, NO_COLOR: '1' };

/** Median wall time in ms of running `node ...args`, after one warm-up run (file cache, not the process). */
function median(args, extraEnv = {}) {
  const times = [];
  for (let i = 0; i <= RUNS; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
    if (i > 0) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export const scenarios = [
  { name: 'kq list', args: [kq, 'list'], goal: 2.0 },
  { name: 'kq show what-is-kafka', args: [kq, 'show', 'what-is-kafka', '--lang', 'en'] },
];

const base = median(['-e', '0']);
console.log(`startup benchmark: median of ${RUNS} runs each (node ${process.version})`);
console.log(`${'node -e 0'.padEnd(34)} ${base.toFixed(0).padStart(6)} ms   1.00×`);
let failed = false;
for (const s of scenarios) {
  const ms = median(s.args, s.env);
  const ratio = ms / base;
  const verdict = s.goal === undefined ? '' : ratio <= s.goal ? `  goal ≤ ${s.goal.toFixed(1)}× met` : `  goal ≤ ${s.goal.toFixed(1)}× MISSED`;
  if (s.goal !== undefined && ratio > s.goal) failed = true;
  console.log(`${s.name.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2).padStart(5)}×${verdict}`);
}
process.exitCode = failed ? 1 : 0;
