import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReviewEvent } from '../../src/store/review-log.js';
import { useTempDir } from '../support/temp-dir.js';
import { fixtureBankRoot } from '../quiz/quiz-fixtures.js';
import { runKq } from './run-kq.js';

/** `kq quiz --plain` end to end through the built binary, on the five-card fixture bank. */
describe('kq quiz --plain', () => {
  const tempDir = useTempDir();
  const NOW = '2026-11-29T10:00:00Z';

  function quiz(args: string[], input: string[], now = NOW) {
    const home = tempDir();
    const run = runKq(['quiz', ...args], {
      env: { KQ_HOME: home, KQ_NOW: now, KQ_BANK_ROOT: fixtureBankRoot, KQ_LANG: 'en' },
      input: input.join('\n') + '\n',
    });
    const lines = run.stdout.split('\n');
    const log = (): ReviewEvent[] => {
      try {
        return readFileSync(join(home, 'reviews.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as ReviewEvent);
      } catch {
        return [];
      }
    };
    return {
      ...run,
      lines,
      log,
      protocol: lines.filter((l) => /^(card|graded|rated|undone|summary|error|demo|buried|suspended) /.test(l)),
    };
  }

  it('reveals an open card on an empty line and logs the rating before printing it', () => {
    const run = quiz(['--plain', '--card', 'open-log', '--cram'], ['', '3']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.protocol.slice(0, 2)).toEqual(['card open-log open new cram', 'rated open-log 3']);
    expect(run.stdout).toContain('The English answer of open-log.');
    expect(run.stdout).toContain('- First point of open-log');
    expect(run.log()).toMatchObject([{ type: 'review', cardId: 'open-log', rating: 3, cram: true }]);
  });

  it.each([
    ['pick-acks', 'choice', 'c', 'correct', 3],
    ['pick-acks', 'choice', 'a', 'wrong', 1],
    ['multi-durability', 'multi', 'ca', 'correct', 3],
    ['multi-durability', 'multi', 'a', 'wrong', 1],
    ['predict-rebalance', 'predict', 'b', 'correct', 3],
    ['gap-isr', 'gap', ' In-Sync  Replicas', 'correct', 3],
    ['gap-isr', 'gap', 'leader', 'wrong', 1],
  ])(
    'grades %s (%s) answered %j as %s and an empty line takes the suggested %i',
    (id, type, answer, verdict, suggested) => {
      const run = quiz(['--plain', '--card', id], [answer, '']);
      expect(run.protocol.slice(0, 3)).toEqual([
        `card ${id} ${type} new`,
        `graded ${id} ${verdict} suggested ${suggested}`,
        `rated ${id} ${suggested}`,
      ]);
      expect(run.log()).toMatchObject([{ cardId: id, rating: suggested, cram: false }]);
    },
  );

  it('lets 1–4 override the suggested rating', () => {
    const run = quiz(['--plain', '--card', 'pick-acks'], ['c', '2']);
    expect(run.protocol).toContain('rated pick-acks 2');
  });

  it('undoes the last rating with :u, logs the undo, and shows the card again', () => {
    const run = quiz(
      ['--plain', '--card', 'pick-acks', '--card', 'open-log', '--cram'],
      ['c', '', ':u', 'a', '4', ':q'],
    );
    expect(run.protocol.slice(0, 6)).toEqual([
      'card pick-acks choice new cram',
      'graded pick-acks correct suggested 3',
      'rated pick-acks 3',
      'card open-log open new cram',
      'undone pick-acks',
      'card pick-acks choice new cram',
    ]);
    const events = run.log();
    expect(events.map((e) => e.type)).toEqual(['review', 'undo', 'review']);
    expect(events[1]).toMatchObject({ undoes: events[0]!.id });
  });

  it('treats the end of input as :q and prints the summary', () => {
    const run = quiz(['--plain', '--card', 'open-log'], ['', '1']);
    expect(run.status).toBe(0);
    expect(run.protocol.filter((l) => l.startsWith('summary'))).toEqual([
      'summary reviewed 1 card, 1 rating',
      'summary again 100% (1 of 1)',
      expect.stringMatching(/^summary time \d+s$/),
      'summary next-due in 1m (2026-11-29T10:01:00.000Z)',
    ]);
  });

  it('answers :d with a clear message while the demo is not written', () => {
    const run = quiz(['--plain', '--card', 'open-log'], [':d', ':q']);
    expect(run.protocol).toContain('demo demo open-log-demo is not written yet');
    expect(run.status).toBe(0);
  });

  it('buries and suspends with :b and :s', () => {
    const run = quiz(['--plain', '--card', 'open-log', '--card', 'pick-acks'], [':b', ':s']);
    expect(run.protocol).toContain('buried open-log until the next study day');
    expect(run.protocol).toContain('suspended pick-acks');
    expect(run.log().map((e) => e.type)).toEqual(['bury', 'suspend']);
  });

  it('explains a line that does not fit the card instead of failing', () => {
    const run = quiz(['--plain', '--card', 'pick-acks'], ['3', 'z', ':x']);
    expect(run.protocol.filter((l) => l.startsWith('error'))).toEqual([
      'error answer first, then rate 1–4',
      "error 'z' is not a choice; pick a letter a–c",
      "error unknown command ':x'; commands: :u :b :s :d :k :l :? :q",
    ]);
    expect(run.status).toBe(0);
  });

  it('falls back to plain mode when stdin is not a terminal, without --plain', () => {
    const run = quiz(['--card', 'open-log'], ['', '3']);
    expect(run.stderr).toBe('');
    expect(run.protocol).toContain('rated open-log 3');
  });

  it('shows due reviews before new cards on a later day, and nothing twice', () => {
    const home = tempDir();
    const env = { KQ_HOME: home, KQ_BANK_ROOT: fixtureBankRoot, KQ_LANG: 'en' };
    runKq(['quiz', '--plain', '--card', 'predict-rebalance'], { env: { ...env, KQ_NOW: NOW }, input: 'b\n4\n' });
    const later = runKq(['quiz', '--plain', '--new', '1'], {
      env: { ...env, KQ_NOW: '2026-12-30T10:00:00Z' },
      input: '',
    });
    expect(later.stdout.split('\n').filter((l) => l.startsWith('card '))).toEqual(['card predict-rebalance predict']);
    const next = runKq(['quiz', '--plain', '--new', '1'], {
      env: { ...env, KQ_NOW: '2026-12-30T10:00:00Z' },
      input: 'b\n3\n',
    });
    expect(next.stdout).toContain('rated predict-rebalance 3');
    expect(next.stdout.split('\n').filter((l) => l.startsWith('card '))).toEqual([
      'card predict-rebalance predict',
      'card gap-isr gap new',
    ]);
  });

  it('follows the configured daily new-card limit and language', () => {
    const home = tempDir();
    const env = { KQ_HOME: home, KQ_NOW: NOW, KQ_BANK_ROOT: fixtureBankRoot };
    expect(runKq(['config', 'set', 'new-per-day', '2'], { env }).status).toBe(0);
    expect(runKq(['config', 'set', 'lang', 'zh'], { env }).status).toBe(0);
    const run = runKq(['quiz', '--plain'], { env, input: ':b\n:b\n' });
    expect(run.stdout.split('\n').filter((l) => l.startsWith('card '))).toEqual([
      'card gap-isr gap new',
      'card multi-durability multi new',
    ]);
    expect(run.stdout).toContain('与 leader 保持同步的副本集合叫 ____。');
    expect(run.stdout).toContain('summary new-waiting 3');
  });

  it.each([
    [['--card', 'no-such-card'], /unknown card id 'no-such-card'/],
    [['--tag', 'nope'], /unknown tag 'nope'/],
    [['--limit', '0'], /--limit.*at least 1/],
  ])('exits 2 on %j', (args, message) => {
    const run = quiz(['--plain', ...args], []);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
