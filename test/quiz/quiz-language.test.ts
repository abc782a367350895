import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PickError, parsePicks } from '../../src/quiz/grading.js';
import type { DemoLauncher } from '../../src/quiz/demo-launcher.js';
import { runPlainQuiz } from '../../src/quiz/plain-quiz.js';
import { QuizInputError, type SessionSummary } from '../../src/quiz/quiz-session.js';
import { formatElapsed, formatUntil, summaryLines } from '../../src/quiz/summary-text.js';
import { UI_TEXT } from '../../src/quiz/ui-text.js';
import { FIXED_NOW, cardById, testSession, type TestSessionOptions } from './quiz-fixtures.js';

const HAN = /\p{Script=Han}/u;
const missingDemos: DemoLauncher = {
  run: async (id) => ({ status: 'missing', message: `demo ${id} is not written yet`, output: '' }),
};

/** Runs plain mode over a test session with the given input lines and returns every line it wrote. */
async function plain(options: TestSessionOptions, input: string[]): Promise<string[]> {
  const { session } = testSession(options);
  const stdin = new PassThrough();
  stdin.end(input.map((line) => `${line}\n`).join(''));
  let out = '';
  await runPlainQuiz(session, {
    input: stdin,
    write: (text) => void (out += text),
    demos: missingDemos,
    clock: () => FIXED_NOW,
  });
  return out.trimEnd().split('\n');
}

/**
 * The protocol skeleton of plain output: machine-readable lines whole; of the lines that carry prose after
 * their marker, only the marker (`summary <key>`, `buried <id>`, `error`, `help:`, `>`).
 */
function protocol(lines: string[]): string[] {
  const markerWords: Record<string, number> = { summary: 2, buried: 2, error: 1, 'help:': 1, '>': 1 };
  return lines
    .filter((l) => /^(card|graded|rated|undone|buried|suspended|lang|answer|summary|error|help:|>) /.test(l))
    .map((l) => {
      const words = l.split(' ');
      const keep = markerWords[words[0]!];
      return keep ? words.slice(0, keep).join(' ') : l;
    });
}

describe('plain mode speaks the session language but keeps its protocol', () => {
  const sessions: Array<[string, TestSessionOptions, string[]]> = [
    [
      'open card revealed and rated, then undone and rated again',
      { mode: 'cards', cardIds: ['open-log', 'pick-acks'] },
      ['', '3', ':u', '', '1', 'z', 'c', '', ':q'],
    ],
    [
      'gap answered, bury, suspend, help and a bad command',
      { mode: 'cards', cardIds: ['gap-isr', 'pick-acks', 'multi-durability'] },
      ['isr', '2', ':b', ':?', ':x', ':s'],
    ],
  ];

  it.each(sessions)('writes the same protocol lines in zh as in en: %s', async (_what, options, input) => {
    const en = await plain({ ...options, lang: 'en' }, input);
    const zh = await plain({ ...options, lang: 'zh' }, input);
    expect(protocol(zh)).toEqual(protocol(en));
    expect(protocol(en).filter((l) => /^(graded|rated|undone) /.test(l)).length).toBeGreaterThan(0);
  });

  it('says its prompts, rating line, help, errors and summary in Chinese for a zh session', async () => {
    const lines = await plain({ mode: 'cards', cardIds: ['open-log', 'pick-acks'], lang: 'zh' }, [
      '3',
      '',
      '9',
      '1',
      ':?',
      ':x',
      'ab',
      'c',
      '',
      ':q',
    ]);
    expect(lines).toContain('> 先想好你的答案；空行显示答案');
    expect(lines).toContain('error 请先显示答案（空行），再按 1–4 评分');
    expect(lines.find((l) => l.startsWith('> 评分 '))).toMatch(
      /^> 评分 1 重来\(Again\) 1m · 2 困难\(Hard\) \S+ · 3 良好\(Good\) 10m · 4 简单\(Easy\) \S+$/,
    );
    expect(lines).toContain('error 请用 1–4 评分');
    expect(lines).toContain('rated open-log 1');
    expect(lines).toContain('help: 空行：显示答案（问答卡、预测卡），或采用建议的评分');
    expect(lines).toContain("error 未知命令 ':x'；可用命令：:u :b :s :d :k :l :? :q");
    expect(lines).toContain('error 这张卡片只有一个正确答案；请选一个字母 a–c');
    expect(lines).toContain('graded pick-acks correct suggested 3');
    expect(lines.find((l) => l.startsWith('> 评分 ') && l.includes('（空行选 3）'))).toBeDefined();
    expect(lines.filter((l) => l.startsWith('summary '))).toEqual([
      'summary reviewed 2 张卡片，2 次评分',
      'summary again 50%（2 次评分中 1 次）',
      'summary time 0秒',
      'summary next-due 1 分钟后 (2026-11-29T10:01:00.000Z)',
    ]);
  });

  it('switches its prose with :l and says the card again in the new language', async () => {
    const lines = await plain({ mode: 'cards', cardIds: ['open-log'], lang: 'en' }, [':l', '', ':l', ':q']);
    const at = (marker: string) => lines.indexOf(marker);
    expect(at('lang zh')).toBeGreaterThan(0);
    expect(lines.slice(at('lang zh'))).toContain('> 先想好你的答案；空行显示答案');
    expect(lines.slice(at('lang zh'), at('lang en')).find((l) => l.startsWith('> 评分 '))).toBeDefined();
    expect(lines.slice(at('lang en')).find((l) => l.startsWith('> rate 1 Again'))).toBeDefined();
  });
});

describe('demo results in either language', () => {
  it.each([
    [{ status: 'missing' } as const, 'demo d1 is not written yet', '演示 d1 还没有写好'],
    [{ status: 'passed' } as const, 'demo d1 finished', '演示 d1 已运行完毕'],
    [
      { status: 'failed', exitCode: 1 } as const,
      'demo d1 failed (exit 1); run `kq demo d1` to see it alone',
      '演示 d1 失败（退出码 1）；单独运行 `kq demo d1` 查看',
    ],
  ])('says %j as the runner does in English, and in Chinese', (run, en, zh) => {
    expect(UI_TEXT.en.demoResult('d1', run)).toBe(en);
    expect(UI_TEXT.zh.demoResult('d1', run)).toBe(zh);
  });

  it('answers :d in plain mode in the session language and asks the demo for that language', async () => {
    const asked: Array<string | undefined> = [];
    const demos: DemoLauncher = {
      run: async (id, _output, lang) => (
        asked.push(lang),
        { status: 'missing', message: `demo ${id} is not written yet`, output: '' }
      ),
    };
    const { session } = testSession({ mode: 'cards', cardIds: ['open-log'], lang: 'zh' });
    const stdin = new PassThrough();
    stdin.end(':d\n:q\n');
    let out = '';
    await runPlainQuiz(session, { input: stdin, write: (text) => void (out += text), demos, clock: () => FIXED_NOW });
    expect(out.split('\n')).toContain('demo 演示 open-log-demo 还没有写好');
    expect(asked).toEqual(['zh']);
  });
});

describe('errors are phrased in either language', () => {
  it('keeps the English message and says the same error in Chinese', () => {
    const { session } = testSession({ mode: 'cards', cardIds: ['open-log'], lang: 'zh' });
    let caught: unknown;
    try {
      session.rate(3);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QuizInputError);
    const error = caught as QuizInputError;
    expect(error.message).toBe('reveal the answer first (Enter), then rate 1–4');
    expect(error.messageIn('zh')).toBe('请先显示答案（Enter），再按 1–4 评分');
  });

  it.each([
    ['', 'pick a letter a–c', '请选一个字母 a–c'],
    ['z', "'z' is not a choice; pick a letter a–c", "'z' 不是选项；请选一个字母 a–c"],
    ['ab', 'this card has one right answer; pick one letter a–c', '这张卡片只有一个正确答案；请选一个字母 a–c'],
  ])('refuses the pick %j in English and in Chinese', (typed, en, zh) => {
    const attempt = () => parsePicks(cardById('pick-acks'), typed);
    expect(attempt).toThrow(PickError);
    expect(attempt).toThrow(en);
    try {
      attempt();
    } catch (error) {
      expect((error as PickError).messageIn('zh')).toBe(zh);
    }
  });
});

describe('durations and the summary in Chinese', () => {
  it.each([
    [42_000, '42s', '42秒'],
    [185_000, '3m 05s', '3分05秒'],
    [3_720_000, '1h 02m', '1小时02分'],
  ])('formats %i ms as %s and %s', (ms, en, zh) => {
    expect(formatElapsed(ms, 'en')).toBe(en);
    expect(formatElapsed(ms, 'zh')).toBe(zh);
  });

  it.each([
    [0, 'now', '现在'],
    [10, 'in 10m', '10 分钟后'],
    [180, 'in 3h', '3 小时后'],
    [4 * 1440, 'in 4d', '4 天后'],
  ])('says %i minutes from now as %s and %s', (minutes, en, zh) => {
    const when = new Date(FIXED_NOW.getTime() + minutes * 60_000);
    expect(formatUntil(when, FIXED_NOW, 'en')).toBe(en);
    expect(formatUntil(when, FIXED_NOW, 'zh')).toBe(zh);
  });

  it('keeps every summary key and the ISO due time in both languages', () => {
    const summary: SessionSummary = {
      reviewed: 3,
      ratings: 4,
      again: 1,
      againShare: 0.25,
      elapsedMs: 65_000,
      nextDue: new Date('2026-11-30T10:00:00Z'),
      newWaiting: 2,
    };
    const en = summaryLines(summary, FIXED_NOW, 'en');
    const zh = summaryLines(summary, FIXED_NOW, 'zh');
    expect(en).toEqual([
      'summary reviewed 3 cards, 4 ratings',
      'summary again 25% (1 of 4)',
      'summary time 1m 05s',
      'summary next-due in 24h (2026-11-30T10:00:00.000Z)',
      'summary new-waiting 2 (held back by the daily new-card limit)',
    ]);
    expect(zh.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual([
      'summary reviewed 3',
      'summary again 25%（4',
      'summary time 1分05秒',
      'summary next-due 24',
      'summary new-waiting 2',
    ]);
    expect(zh[3]).toContain('(2026-11-30T10:00:00.000Z)');
    expect(zh.every((l) => HAN.test(l))).toBe(true);
  });
});

describe('the UI tables', () => {
  it.each([
    [3, 0, '── ↑ 3 more (↑/↓, PgUp/PgDn scroll) ──', '── ↑ 上方还有 3 行（↑/↓、PgUp/PgDn 滚动）──'],
    [0, 5, '── ↓ 5 more (↑/↓, PgUp/PgDn scroll) ──', '── ↓ 下方还有 5 行（↑/↓、PgUp/PgDn 滚动）──'],
    [
      3,
      5,
      '── ↑ 3 more ↓ 5 more (↑/↓, PgUp/PgDn scroll) ──',
      '── ↑ 上方还有 3 行 ↓ 下方还有 5 行（↑/↓、PgUp/PgDn 滚动）──',
    ],
  ])('says %i rows above and %i below a scrolled card', (above, below, en, zh) => {
    expect(UI_TEXT.en.scrollHint(above, below)).toBe(en);
    expect(UI_TEXT.zh.scrollHint(above, below)).toBe(zh);
  });

  it('have no Chinese in the English table and Chinese in every Chinese prompt and hint', () => {
    const en = UI_TEXT.en;
    const zh = UI_TEXT.zh;
    const enStrings = [
      ...Object.values(en.prompts),
      ...Object.values(en.keyActions),
      ...en.plainHelp,
      ...en.helpKeys.filter(([k]) => k !== 'L').flat(),
    ];
    for (const s of enStrings) expect(s, s).not.toMatch(HAN);
    const zhStrings = [
      ...Object.values(zh.prompts),
      ...Object.values(zh.keyActions),
      ...zh.plainHelp,
      ...zh.helpKeys.map(([, what]) => what),
      ...Object.values(zh.rating),
    ];
    for (const s of zhStrings) expect(s, s).toMatch(HAN);
  });
});
