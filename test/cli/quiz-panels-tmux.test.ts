import { afterEach, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/text/text-table.js';
import { useTempDir } from '../support/temp-dir.js';
import { TmuxTerminal, hasTmux } from '../support/tmux-terminal.js';
import { kqBin } from './run-kq.js';

/**
 * The quiz's panels in a real terminal at 60 and 100 columns, on the real bank: D runs the card's demo (a live
 * broker) and shows its whole output, scrolled to the verdict with PgDn; Esc goes back; after the answer, I
 * expands what the interviewer probes for.
 */
describe.skipIf(!hasTmux)('kq quiz panels in tmux', () => {
  const tempDir = useTempDir();
  let terminal: TmuxTerminal | undefined;
  afterEach(() => terminal?.close());

  it.each([60, 100])(
    'at %i columns: the whole demo output, then the interview sections',
    async (columns) => {
      terminal = new TmuxTerminal(columns, 30, [process.execPath, kqBin, 'quiz', '--card', 'what-is-kafka'], {
        KQ_HOME: tempDir(),
        KQ_NOW: '2026-11-29T10:00:00Z',
        KQ_LANG: 'en',
        NO_COLOR: '1',
        TERM: 'xterm-256color',
      });
      await terminal.waitFor('Q quit');
      terminal.type('D');
      // the panel's header and its footer: tmux may capture a frame that ink is still writing
      await terminal.waitFor(/demo log-anatomy: its whole\s+output[\s\S]*Esc back to the/, 90_000);
      for (let i = 0; i < 6; i++) terminal.keys('PageDown');
      const last = await terminal.waitFor(/PROVEN|NOT PROVEN/);
      for (const row of last.split('\n')) expect(displayWidth(row), row).toBeLessThanOrEqual(columns);
      terminal.keys('Escape');
      await terminal.waitFor('Space/Enter reveal');
      terminal.keys('Space');
      await terminal.waitFor('I interview notes');
      terminal.type('I');
      await terminal.waitFor('What the interviewer probes for');
    },
    150_000,
  );
});
