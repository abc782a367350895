// Start-up wall time of kq against bare `node -e 0`, median of RUNS runs each, all measured in one run so the
// ratios compare like with like. Goals: `kq list` ≤ 2.0× bare node (issue 2), still ≤ 2.0× with a 10,000-line
// review log; time to the first quiz card ≤ 2.0× in plain mode and ≤ 4.0× for the ink app in a pseudo-terminal
// (issue 5). The pseudo-terminal is util-linux `script`, sized with stty (a pty starts at 0×0).
import { spawn, spawnSync } from 'node:child_process';
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
  const run = spawnSync(process.execPath, args, {
    env: { ...env, ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return ms;
}

/** Milliseconds from spawn until stdout shows `marker`; the process is killed then (it waits for input). */
function timeToMarker(command, args, extraEnv, marker) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { env: { ...env, ...extraEnv }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no '${marker}' within 20 s; output: ${out.slice(-500)}`)), 20_000);
    /** @param {Error | undefined} [error] */
    const finish = (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      if (error) reject(error);
      else resolve(Number(process.hrtime.bigint() - start) / 1e6);
    };
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes(marker)) finish();
    });
    child.on('error', finish);
    child.on('exit', () => finish(new Error(`exited before '${marker}'; output: ${out.slice(-500)}`)));
  });
}

/** A realistic 10,000-line review log, written by the same fixture the tests use (bundled on the fly). */
async function reviewLogHome(lines) {
  const out = join(work, 'fixture.mjs');
  await build({
    entryPoints: [join(root, 'test/support/log-builder.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'error',
  });
  const { writeReviewLogFixture } = await import(pathToFileURL(out).href);
  const listed = spawnSync(process.execPath, [kq, 'list', '--json'], { env, encoding: 'utf8' });
  const cardIds = JSON.parse(listed.stdout).map((c) => c.id);
  const home = join(work, 'log-home');
  mkdirSync(home, { recursive: true });
  const events = writeReviewLogFixture(join(home, 'reviews.jsonl'), { lines, cardIds });
  return { home, now: events.at(-1).at };
}

// Scenarios run round-robin (one run of each per round) so a load spike on this shared machine hits them all
// alike; each reports its median.
const log = await reviewLogHome(10_000);
const logEnv = { KQ_HOME: log.home, KQ_NOW: log.now };
const firstAfterChange = once([kq, 'list'], logEnv); // validates and replays the whole log, refreshes the due cache
const quizArgs = ['quiz', '--cram', '--card', 'what-is-kafka', '--lang', 'en'];
const quizEnv = { KQ_HOME: join(work, 'quiz-home') };
const inPty = `stty cols 100 rows 30; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(kq)} ${quizArgs.join(' ')}`;
const scenarios = [
  { name: 'node -e 0', run: async () => once(['-e', '0']) },
  { name: 'kq list', goal: 2.0, run: async () => once([kq, 'list']) },
  { name: 'kq show what-is-kafka', run: async () => once([kq, 'show', 'what-is-kafka', '--lang', 'en']) },
  { name: 'kq list, 10,000-line review log', goal: 2.0, run: async () => once([kq, 'list'], logEnv) },
  {
    name: 'kq quiz --plain, first card',
    goal: 2.0,
    run: () => timeToMarker(process.execPath, [kq, ...quizArgs, '--plain'], quizEnv, 'card what-is-kafka'),
  },
  {
    name: 'kq quiz (ink, pty), first card',
    goal: 4.0,
    run: () =>
      timeToMarker(
        'script',
        ['-qfec', inPty, '/dev/null'],
        { ...quizEnv, TERM: 'xterm-256color' },
        'What Apache Kafka is',
      ),
  },
];
const times = scenarios.map(() => []);
for (let round = 0; round <= RUNS; round++) {
  for (const [i, scenario] of scenarios.entries()) {
    const ms = await scenario.run();
    if (round > 0) times[i].push(ms); // round 0 warms the file cache
  }
}
const medianOf = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = scenarios.map((scenario, i) => [scenario.name, medianOf(times[i]), scenario.goal]);
const base = rows[0][1];

console.log(`startup benchmark: median of ${RUNS} runs each (node ${process.version})`);
let failed = false;
for (const [name, ms, goal] of rows) {
  const ratio = ms / base;
  const verdict =
    goal === undefined
      ? ''
      : ratio <= goal
        ? `  goal ≤ ${goal.toFixed(1)}× met`
        : `  goal ≤ ${goal.toFixed(1)}× MISSED`;
  if (goal !== undefined && ratio > goal) failed = true;
  console.log(`${name.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2).padStart(5)}×${verdict}`);
}
console.log(
  `(kq list right after the log changed, one run: ${firstAfterChange.toFixed(0)} ms — it re-validates the log and refreshes the due cache)`,
);
rmSync(work, { recursive: true, force: true });
process.exitCode = failed ? 1 : 0;
