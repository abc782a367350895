// Cold-start wall time of kq commands against bare `node -e 0`, median of RUNS runs each, all measured in one
// run so the ratios compare like with like. Goals: `kq list` ≤ 2.0× bare node (issue 2), still ≤ 2.0× with a
// 10,000-line review log (issue 5).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const root = fileURLToPath(new URL('..', import.meta.url));
const kq = join(root, 'bin', 'kq.js');
const work = mkdtempSync(join(tmpdir(), 'kq-bench-'));
const emptyHome = join(work, 'empty-home');
const env = { ...process.env, NO_COLOR: '1', KQ_HOME: emptyHome };

function once(args, extraEnv = {}) {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

/** Median wall time in ms, after one warm-up run (file cache, not the process). */
function median(args, extraEnv = {}) {
  once(args, extraEnv);
  const times = Array.from({ length: RUNS }, () => once(args, extraEnv)).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** A realistic 10,000-line review log, written by the same fixture the tests use (bundled on the fly). */
async function reviewLogHome(lines) {
  const out = join(work, 'fixture.mjs');
  await build({ entryPoints: [join(root, 'test/support/log-builder.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error' });
  const { writeReviewLogFixture } = await import(pathToFileURL(out).href);
  const listed = spawnSync(process.execPath, [kq, 'list', '--json'], { env, encoding: 'utf8' });
  const cardIds = JSON.parse(listed.stdout).map((c) => c.id);
  const home = join(work, 'log-home');
  mkdirSync(home, { recursive: true });
  const events = writeReviewLogFixture(join(home, 'reviews.jsonl'), { lines, cardIds });
  return { home, now: events.at(-1).at };
}

const rows = [];
const base = median(['-e', '0']);
rows.push(['node -e 0', base]);
const measure = (name, args, extraEnv, goal) => rows.push([name, median(args, extraEnv), goal]);

measure('kq list', [kq, 'list'], {}, 2.0);
measure('kq show what-is-kafka', [kq, 'show', 'what-is-kafka', '--lang', 'en']);
const log = await reviewLogHome(10_000);
const logEnv = { KQ_HOME: log.home, KQ_NOW: log.now };
const firstAfterChange = once([kq, 'list'], logEnv); // validates and replays the whole log, refreshes the due cache
measure('kq list, 10,000-line review log', [kq, 'list'], logEnv, 2.0);

console.log(`startup benchmark: median of ${RUNS} runs each (node ${process.version})`);
let failed = false;
for (const [name, ms, goal] of rows) {
  const ratio = ms / base;
  const verdict = goal === undefined ? '' : ratio <= goal ? `  goal ≤ ${goal.toFixed(1)}× met` : `  goal ≤ ${goal.toFixed(1)}× MISSED`;
  if (goal !== undefined && ratio > goal) failed = true;
  console.log(`${name.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2).padStart(5)}×${verdict}`);
}
console.log(`(kq list right after the log changed, one run: ${firstAfterChange.toFixed(0)} ms — it re-validates the log and refreshes the due cache)`);
rmSync(work, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
