import { afterEach, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/text/text-table.js';
import { useTempDir } from '../support/temp-dir.js';
import { TmuxTerminal, hasTmux } from '../support/tmux-terminal.js';
import { kqBin } from './run-kq.js';

/**
 * The ink quiz on the real bank at 60 and 100 columns: a wrapped choice continues under its text (not at
 * column 0), Chinese rows never start with closing punctuation, no Markdown markers show, and header and
 * footer are whole (wrapped, not cut with '…').
 */
const CLOSING_START = /^\s*[，。、；：？！）」』】》〉]/u;

describe.skipIf(!hasTmux)('kq quiz layout in tmux', () => {
  const tempDir = useTempDir();
  let terminal: TmuxTerminal | undefined;
  afterEach(() => terminal?.close());

  it.each([
    [60, 'zh'],
    [100, 'en'],
  ])('at %i columns in %s', async (columns, lang) => {
    terminal = new TmuxTerminal(
      columns,
      40,
      [process.execPath, kqBin, 'quiz', '--card', 'ack-does-not-mean-fsync', '--card', 'acks-levels'],
      {
        KQ_HOME: tempDir(),
        KQ_NOW: '2026-11-29T10:00:00Z',
        KQ_LANG: lang,
        NO_COLOR: '1',
        KQ_SHUFFLE: '0',
        TERM: 'xterm-256color',
      },
    );
    const question = await terminal.waitFor(/Q (quit|退出)/);
    const rows = question.split('\n');
    // choice d is long: its second row is indented under the text after "  d) "
    const d = rows.findIndex((row) => row.startsWith('  d) '));
    expect(d, question).toBeGreaterThan(0);
    expect(rows[d + 1], question).toMatch(/^ {5}\S/);
    terminal.type('d');
    // the graded pick beside the choices, not a key point: a card's answer can grow (ack-does-not-mean-fsync now
    // names the power-loss demo) and push its key points below the fold, at 100 columns too
    await terminal.waitFor(/← (your pick|你的选择)/);
    terminal.keys('Enter');
    await terminal.waitFor(/(acks=0|acks=all).*\n(?:.*\n)*.*Q (quit|退出)/);
    terminal.keys('Space');
    // the rating bar, not a key point: a long answer's key points may be below the fold at 60 columns
    const answer = await terminal.waitFor(/1 (Again|重来)/);
    for (const screen of [question, answer]) {
      for (const row of screen.split('\n')) {
        expect(displayWidth(row), row).toBeLessThanOrEqual(columns);
        expect(row, screen).not.toMatch(CLOSING_START);
        expect(row, screen).not.toMatch(/\*\*|…$/);
      }
    }
  });
});
