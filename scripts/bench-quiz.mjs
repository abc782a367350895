// Time to first card of `kq quiz --plain`, against a bare `node -e 0`: what a learner waits before the first
// question appears. Median of RUNS runs each, on the built bundle (`npm run build` first) with a fresh KQ_HOME.
// Usage: node scripts/bench-quiz.mjs [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.argv[2] ?? 15);

/** Milliseconds from spawn until stdout contains `marker` (or the process exits, for node -e 0). */
function timeTo(args, env, marker) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH, NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(Number(process.hrtime.bigint() - start) / 1e6);
      child.kill();
    };
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (marker && out.includes(marker)) finish();
    });
    child.on('error', reject);
    child.on('exit', () => (marker && !done ? reject(new Error(`no '${marker}' in output:\n${out}`)) : finish()));
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const home = mkdtempSync(join(tmpdir(), 'kq-bench-quiz-'));
try {
  const bare = [];
  const quiz = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(await timeTo(['-e', '0'], {}, null));
    quiz.push(await timeTo([join(root, 'bin/kq.js'), 'quiz', '--plain', '--cram', '--limit', '1'], { KQ_HOME: home, KQ_LANG: 'en' }, 'card '));
  }
  const b = median(bare);
  const q = median(quiz);
  console.log(`node -e 0                        median ${b.toFixed(0)} ms (${RUNS} runs)`);
  console.log(`kq quiz --plain to first card    median ${q.toFixed(0)} ms (${RUNS} runs), ${(q - b).toFixed(0)} ms over bare node`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
