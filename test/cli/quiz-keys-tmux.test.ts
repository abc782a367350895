import { afterEach, describe, expect, it } from 'vitest';
import { fixtureBankRoot } from '../quiz/quiz-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';
import { TmuxTerminal, hasTmux } from '../support/tmux-terminal.js';
import { kqBin } from './run-kq.js';

/**
 * The quiz's keys in a real terminal at 60 and 100 columns: the whole footer is on screen (wrapped, never cut),
 * keys typed together on a multi card all count, and an upper-case command works on a card with choices.
 */
describe.skipIf(!hasTmux)('kq quiz keys in tmux', () => {
  const tempDir = useTempDir();
  let terminal: TmuxTerminal | undefined;
  afterEach(() => terminal?.close());

  it.each([60, 100])('at %i columns: full footer, "ac" typed together marks both, B buries', async (columns) => {
    terminal = new TmuxTerminal(
      columns,
      30,
      [process.execPath, kqBin, 'quiz', '--card', 'multi-durability', '--card', 'pick-acks', '--card', 'open-log'],
      {
        KQ_HOME: tempDir(),
        KQ_NOW: '2026-11-29T10:00:00Z',
        KQ_BANK_ROOT: fixtureBankRoot,
        KQ_LANG: 'en',
        NO_COLOR: '1',
        KQ_SHUFFLE: '0',
        TERM: 'xterm-256color',
      },
    );
    const first = await terminal.waitFor('Q quit');
    for (const item of ['a–c mark', '↑↓ move', 'Space mark', 'Enter submit', 'U undo', 'B bury', 'D demo', '? help'])
      expect(first).toContain(item);
    expect(first).not.toContain('…');
    terminal.type('ac');
    await terminal.waitFor(/\[x\] c\)/);
    expect(terminal.screen()).toMatch(/\[x\] a\)/);
    terminal.keys('Enter');
    await terminal.waitFor('correct — Enter takes Good');
    terminal.keys('Enter');
    await terminal.waitFor('Which acks setting');
    terminal.type('B');
    await terminal.waitFor('buried pick-acks');
    terminal.type('Q');
    const final = await terminal.waitFor('kq exited 0');
    expect(final).toContain('cards reviewed  1 (1 rating)');
  });
});
