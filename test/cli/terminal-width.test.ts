import { describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/text/text-table.js';
import { useTempDir } from '../support/temp-dir.js';
import { runKq } from './run-kq.js';

/**
 * `kq show` and `kq list` lay out for the terminal's width (COLUMNS stands in for a terminal here): every row
 * fits, Chinese rows never start with closing punctuation, and `kq config set lang` is the language of every
 * command, not only the quiz and stats.
 */
const CLOSING_START = /^\s*[，。、；：？！）」』】》〉]/u;

function rowsOf(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

describe('output width', () => {
  const tempDir = useTempDir();

  it.each([60, 80, 100, 120])('kq show wraps a long bilingual card to %i columns', (columns) => {
    for (const lang of ['zh', 'en']) {
      const run = runKq(['show', 'acks-levels', '--lang', lang], { env: { COLUMNS: String(columns) } });
      expect(run.status).toBe(0);
      const rows = rowsOf(run.stdout);
      expect(rows.length).toBeGreaterThan(30);
      for (const row of rows) {
        expect(displayWidth(row), row).toBeLessThan(columns);
        expect(row).not.toMatch(CLOSING_START);
        expect(row).not.toContain('**');
      }
      // the card's prose is re-wrapped to the width: at 120 columns rows reach past the source's wrap at ~100
      if (columns === 120) expect(Math.max(...rows.map(displayWidth))).toBeGreaterThan(100);
    }
  });

  it.each([60, 80, 100, 120])('kq list fits %i columns, wrapping titles under their column', (columns) => {
    const run = runKq(['list', '--lang', 'zh'], { env: { COLUMNS: String(columns) } });
    expect(run.status).toBe(0);
    const rows = rowsOf(run.stdout);
    for (const row of rows) expect(displayWidth(row), row).toBeLessThan(columns);
    expect(run.stdout).toContain('what-is-kafka');
    expect(run.stdout.replace(/\s+/g, '')).toContain('ApacheKafka是什么');
  });

  it('kq list into a pipe without COLUMNS keeps one line per card, for grep', () => {
    const run = runKq(['list']);
    const count = Number(/(\d+) cards/.exec(run.stderr)?.[1]);
    expect(rowsOf(run.stdout)).toHaveLength(count);
  });

  it('kq config set lang zh is the language of list, show and stats; --lang and KQ_LANG still win', () => {
    const home = tempDir();
    expect(runKq(['config', 'set', 'lang', 'zh'], { env: { KQ_HOME: home } }).status).toBe(0);
    const env = { KQ_HOME: home };
    expect(runKq(['list'], { env }).stdout).toContain('Apache Kafka 是什么');
    expect(runKq(['show', 'what-is-kafka'], { env }).stdout).toContain('## 问题');
    expect(runKq(['list', '--lang', 'en'], { env }).stdout).toContain('What Apache Kafka is');
    expect(runKq(['show', 'what-is-kafka'], { env: { ...env, KQ_LANG: 'en' } }).stdout).toContain('## Question');
  });
});
