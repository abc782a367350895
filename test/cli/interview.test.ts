import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewEvent } from '../../src/store/review-log.js';
import { fixtureBankRoot } from '../quiz/quiz-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';
import { TmuxTerminal, hasTmux } from '../support/tmux-terminal.js';
import { kqBin, runKq } from './run-kq.js';

/**
 * `kq interview` through the built binary, on the fixture bank (one open question: open-log): the line
 * protocol of plain mode, the ink app in tmux at 60 and 100 columns, and the rating each answer feeds the
 * review log (so the scheduler sees the interview).
 */
describe('kq interview', () => {
  const tempDir = useTempDir();
  let terminal: TmuxTerminal | undefined;
  afterEach(() => terminal?.close());

  const reviews = (home: string) =>
    readFileSync(join(home, 'reviews.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as ReviewEvent);

  it('plain mode speaks its line protocol and logs a rating from the key points covered', () => {
    const home = tempDir();
    const run = runKq(['interview', '--plain'], {
      env: { KQ_HOME: home, KQ_NOW: '2026-11-29T10:00:00Z', KQ_BANK_ROOT: fixtureBankRoot, KQ_LANG: 'en' },
      input: 'an ordered append-only log\n7\n1\nI would say it depends\n',
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('interview 1 questions');
    expect(lines).toContain('question open-log 1/1');
    expect(lines.some((l) => /^answered open-log \d+s$/.test(l))).toBe(true);
    expect(lines).toContain('keypoint 1 First point of open-log');
    expect(lines.some((l) => l.startsWith('error give key point numbers from 1 to'))).toBe(true);
    const covered = lines.find((l) => l.startsWith('covered open-log '))!;
    expect(covered).toMatch(/^covered open-log 1\/\d+ rated [12]$/);
    expect(lines).toContain('follow-up open-log An English follow-up?');
    expect(lines).toContain('report weak basics,fixture');
    const rating = Number(covered.at(-1));
    expect(reviews(home)).toMatchObject([{ type: 'review', cardId: 'open-log', rating, cram: false }]);
  });

  it('exits 2 on a tag no open question has, naming the closest tags', () => {
    const run = runKq(['interview', '--plain', '--tag', 'basic'], { env: { KQ_BANK_ROOT: fixtureBankRoot } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown tag 'basic'");
  });

  it.skipIf(!hasTmux).each([60, 100])('the ink app at %i columns: answer, tick, probe, report', async (columns) => {
    const home = tempDir();
    terminal = new TmuxTerminal(columns, 30, [process.execPath, kqBin, 'interview'], {
      KQ_HOME: home,
      KQ_NOW: '2026-11-29T10:00:00Z',
      KQ_BANK_ROOT: fixtureBankRoot,
      KQ_LANG: 'en',
      NO_COLOR: '1',
      TERM: 'xterm-256color',
    });
    await terminal.waitFor('question 1 of 1');
    terminal.type('a log');
    await terminal.waitFor('a log█');
    terminal.keys('Enter');
    await terminal.waitFor('[ ] 1. First point of open-log');
    terminal.type('1');
    await terminal.waitFor('[x] 1. First point');
    terminal.keys('Enter');
    const probe = await terminal.waitFor('An English follow-up?');
    expect(probe).toContain('What the interviewer probes for');
    terminal.keys('Enter');
    const report = await terminal.waitFor('kq exited 0');
    expect(report).toContain('Interview report');
    expect(report).toMatch(/open-log\s+1\/\d+/);
    expect(reviews(home)).toMatchObject([{ type: 'review', cardId: 'open-log' }]);
  });
});
