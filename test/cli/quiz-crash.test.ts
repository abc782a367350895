import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReviewLog } from '../../src/store/review-log.js';
import { fixtureBankRoot } from '../quiz/quiz-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';
import { kqBin } from './run-kq.js';
import { seededRandom } from '../../src/broker/utils/seeded-random.js';

/**
 * Crash safety of `kq quiz --plain`: sessions are SIGKILLed at seeded-random moments while they rate as fast
 * as input arrives. Whatever the moment, every `rated …` a session printed is in the log (a rating is fsync'd
 * before it is acknowledged), and the log always opens — a write torn by the kill is dropped, never fatal.
 */
const SEED = Number(process.env.KQ_CRASH_SEED ?? 20261129);
const MIN_RATINGS = 200;
const MAX_SESSIONS = 60;

interface SessionRun {
  rated: Array<{ cardId: string; rating: number }>;
  killed: boolean;
  stderr: string;
}

/** Feeds all input at once, then kills the session right after its `killAfter`-th `rated` line, if it gets there. */
function runSession(args: string[], env: NodeJS.ProcessEnv, input: string, killAfter: number): Promise<SessionRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [kqBin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const rated: SessionRun['rated'] = [];
    let killed = false;
    let pending = '';
    let stderr = '';
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`session ${args.join(' ')} neither finished nor reached ${killAfter} ratings within 15 s`));
    }, 15_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const m = /^rated (\S+) ([1-4])$/.exec(line);
        if (!m || killed) continue;
        rated.push({ cardId: m[1]!, rating: Number(m[2]) });
        if (rated.length >= killAfter) {
          killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => {}); // EPIPE once the child is dead
    child.stdin.end(input);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(guard);
      resolve({ rated, killed, stderr });
    });
  });
}

describe('kq quiz --plain under SIGKILL', () => {
  const tempDir = useTempDir();

  it(`keeps every acknowledged rating and a loadable log (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const home = tempDir();
    const file = join(home, 'reviews.jsonl');
    let acknowledged = 0;
    let kills = 0;
    let logged = 0;
    for (let s = 0; s < MAX_SESSIONS && acknowledged < MIN_RATINGS; s++) {
      const cram = random() < 0.25;
      const now = new Date(Date.UTC(2026, 10, 29, 10) + s * 7 * 60_000).toISOString();
      // Open and predict cards both reveal on an empty line, so the input never depends on which card is up.
      const lines: string[] = [];
      for (let i = 0; i < 40; i++) {
        lines.push('', String(random() < 0.7 ? 1 : 1 + Math.floor(random() * 4)));
        if (random() < 0.05) lines.push(':u');
      }
      const killAfter = 1 + Math.floor(random() * 25);
      const args = [
        'quiz',
        '--plain',
        '--card',
        'open-log',
        '--card',
        'predict-rebalance',
        ...(cram ? ['--cram'] : []),
      ];
      const run = await runSession(
        args,
        {
          PATH: process.env.PATH,
          NO_COLOR: '1',
          KQ_SHUFFLE: '0',
          KQ_HOME: home,
          KQ_NOW: now,
          KQ_BANK_ROOT: fixtureBankRoot,
          KQ_LANG: 'en',
        },
        lines.join('\n') + '\n',
        killAfter,
      );
      if (run.killed) kills += 1;
      acknowledged += run.rated.length;

      const warnings: string[] = [];
      const log = ReviewLog.open(file, { onWarning: (w) => warnings.push(w) }); // throws if the kill broke the log
      const fresh = log.events
        .slice(logged)
        .flatMap((e) => (e.type === 'review' ? [{ cardId: e.cardId, rating: e.rating }] : []));
      logged = log.events.length;
      // What was printed is a prefix of what was logged: the kill may land after a write, never before a print.
      expect(
        fresh.slice(0, run.rated.length),
        `session ${s} (${args.join(' ')}, KQ_NOW=${now}): printed vs logged`,
      ).toEqual(run.rated);
      // a torn last line is reported as a warning; a crash or stack trace never is
      expect(run.stderr, `session ${s} stderr`).not.toMatch(/Error|at .*\.js/);
    }
    expect(acknowledged).toBeGreaterThanOrEqual(MIN_RATINGS);
    expect(kills).toBeGreaterThan(5);
  }, 60_000);
});
