import { afterAll, describe, expect, it } from 'vitest';
import { displayWidth as stringWidth } from '../../src/text/text-table.js';
import { cardVariant, exampleCard, makeTempBank } from '../bank/temp-bank.js';
import { runKq } from './run-kq.js';

const ESC = '\u001b[';

// A bank of two good cards (one with a Chinese table) and one broken card, for the paths the real bank can't show.
const tableCard = cardVariant('table-card', [
  [/^tags: \[basics\]$/m, 'tags: [basics, comparison]'],
  [
    '## 答案\n',
    '## 答案\n\n| 对比 | Kafka | 传统队列 |\n|---|---|---|\n| 消费后删除 | 否，按保留策略 | 是 |\n| 回放 | 支持 | 不支持 |\n\n',
  ],
]);
const broken = cardVariant('broken-card', [[/^difficulty: 1$/m, 'difficulty: 9']]);
const temp = makeTempBank({
  'questions/what-is-kafka.md': exampleCard,
  'questions/table-card.md': tableCard,
  'questions/broken-card.md': broken,
});
afterAll(() => temp.dispose());
const inTemp = { KQ_BANK_ROOT: temp.root };

describe('kq list', () => {
  it('prints one JSON array with the contract fields', () => {
    const run = runKq(['list', '--json']);
    expect(run.status).toBe(0);
    const cards = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    const card = cards.find((c) => c.id === 'what-is-kafka');
    expect(card).toEqual({
      id: 'what-is-kafka',
      title: { zh: 'Apache Kafka 是什么', en: 'What Apache Kafka is' },
      tags: ['basics'],
      type: 'open',
      difficulty: 1,
      demo: 'log-anatomy',
      seed: ['Apache Kafka是什么'],
      facts: [],
      due: null, // no review log in this environment
      state: 'new',
    });
  });

  it('filters by tag and rejects an unknown tag with the closest ones', () => {
    const run = runKq(['list', '--json', '--tag', 'comparison'], { env: inTemp });
    expect((JSON.parse(run.stdout) as Array<{ id: string }>).map((c) => c.id)).toEqual(['table-card']);
    const bad = runKq(['list', '--tag', 'basic'], { env: inTemp });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown tag 'basic'; did you mean basics");
  });

  it('exits 2 on an unknown flag, suggesting the nearest and listing the valid ones', () => {
    const run = runKq(['list', '--jsn']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown option '--jsn'");
    expect(run.stderr).toContain('Did you mean --json?');
    expect(run.stderr).toMatch(/--tag <tag\.\.\.>/);
  });

  it('skips a malformed card, naming its file and line, and lists the others', () => {
    const run = runKq(['list'], { env: inTemp });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('skipping questions/broken-card.md:7: front matter difficulty: Too big');
    expect(run.stdout).toMatch(/^table-card\s+open/m);
    expect(run.stdout).toMatch(/^what-is-kafka\s+open/m);
  });

  it('shows titles in the language of LANG unless KQ_LANG or --lang says otherwise', () => {
    expect(runKq(['list'], { env: { ...inTemp, LANG: 'zh_CN.UTF-8' } }).stdout).toContain('Apache Kafka 是什么');
    expect(runKq(['list'], { env: { ...inTemp, LANG: 'zh_CN.UTF-8', KQ_LANG: 'en' } }).stdout).toContain(
      'What Apache Kafka is',
    );
    expect(runKq(['list', '--lang', 'zh'], { env: inTemp }).stdout).toContain('Apache Kafka 是什么');
  });
});

describe('a missing question bank', () => {
  it.each([['list'], ['validate'], ['show', 'what-is-kafka']])('kq %s exits 3 naming the folder', (...args) => {
    const run = runKq(args, { env: { KQ_BANK_ROOT: '/nonexistent/kq-bank' } });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('no question bank at /nonexistent/kq-bank/questions (KQ_BANK_ROOT points there');
  });
});

describe('kq show', () => {
  it('renders a card in English and in Chinese as plain text when NO_COLOR is set', () => {
    const en = runKq(['show', 'what-is-kafka', '--lang', 'en']);
    expect(en.status).toBe(0);
    expect(en.stdout).toContain('What Apache Kafka is');
    expect(en.stdout).toContain('Key points');
    expect(en.stdout).toContain('The core abstraction is a partitioned, append-only log');
    expect(en.stdout).not.toContain(ESC);
    const zh = runKq(['show', 'what-is-kafka', '--lang', 'zh']);
    expect(zh.stdout).toContain('面试官想考察什么');
    expect(zh.stdout).toContain('核心抽象是分区的、只追加的日志');
    expect(zh.stdout).not.toContain(ESC);
  });

  it('colours the output only when asked (FORCE_COLOR), never with NO_COLOR', () => {
    expect(
      runKq(['show', 'what-is-kafka', '--lang', 'en'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout,
    ).toContain(ESC);
  });

  it('keeps a Chinese table aligned: every table line has the same display width', () => {
    const run = runKq(['show', 'table-card', '--lang', 'zh'], { env: inTemp });
    const tableLines = run.stdout.split('\n').filter((l) => /[│┌└├─]/.test(l) && !l.includes('▶'));
    expect(tableLines.length).toBeGreaterThanOrEqual(5);
    const widths = new Set(tableLines.map((l) => stringWidth(l.trimEnd())));
    expect([...widths]).toHaveLength(1);
  });

  it('hides the answer with --no-answer', () => {
    const run = runKq(['show', 'what-is-kafka', '--lang', 'en', '--no-answer']);
    expect(run.stdout).toContain('In one or two sentences');
    expect(run.stdout).not.toContain('Key points');
    expect(run.stdout).not.toContain('commit log');
  });

  it('prints both languages as JSON whatever --lang', () => {
    const card = JSON.parse(runKq(['show', 'what-is-kafka', '--json', '--lang', 'zh']).stdout) as {
      id: string;
      question: Record<'en' | 'zh', string>;
      answer: Record<'en' | 'zh', string>;
      keyPoints: Record<'en' | 'zh', string[]>;
      probes: Record<'en' | 'zh', string>;
      followUps: Record<'en' | 'zh', string[]>;
      seed: string[];
    };
    expect(card.id).toBe('what-is-kafka');
    expect(card.question.en).toMatch(/^In one or two sentences/);
    expect(card.question.zh).toMatch(/^用一两句话说明/);
    expect(card.answer.en).toContain('commit log');
    expect(card.keyPoints.zh).toHaveLength(5);
    expect(card.probes.en).toMatch(/^Whether you see Kafka as a log/);
    expect(card.followUps.zh).toContain('数据什么时候被删除');
    expect(card.seed).toEqual(['Apache Kafka是什么']);
  });

  it('exits 2 on an unknown id with the closest ids', () => {
    const run = runKq(['show', 'what-is-kafak']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown card id 'what-is-kafak'; did you mean what-is-kafka");
  });

  it('exits 2 on an unknown language with the valid ones', () => {
    const run = runKq(['show', 'what-is-kafka', '--lang', 'fr']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Allowed choices are zh, en');
  });
});

describe('kq validate', () => {
  it('passes on the shipped bank, and --strict fails exactly while demos are pending', () => {
    const run = runKq(['validate']);
    expect(run.status).toBe(0);
    const summary = /kq validate: (\d+) cards, 0 errors, (\d+) pending/.exec(run.stderr);
    expect(summary, run.stderr).not.toBeNull();
    const strict = runKq(['validate', '--strict']);
    expect(strict.status).toBe(Number(summary![2]) > 0 ? 1 : 0);
  });

  it('prints each problem as file:line: message and exits 1', () => {
    const run = runKq(['validate'], { env: inTemp });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'questions/broken-card.md:7: front matter difficulty: Too big: expected number to be <=3',
    );
    expect(run.stderr).toMatch(
      /^data\/seed\/kafka-interview-questions\.zh\.md:6: seed heading 'Kafka 与传统消息系统之间的区别' is covered by no card$/m,
    );
    expect(run.stderr).toMatch(/^data\/FACTS\.md:12: F1 .* is corrected by no card/m);
  });

  it('prints the problems as JSON on stdout with --json', () => {
    const run = runKq(['validate', '--json'], { env: inTemp });
    const problems = JSON.parse(run.stdout) as Array<{ file: string; line: number; severity: string }>;
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'questions/broken-card.md', line: 7, severity: 'error' }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ file: 'questions/table-card.md', severity: 'pending' }));
  });
});
