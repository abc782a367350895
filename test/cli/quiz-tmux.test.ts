import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureBankRoot } from '../quiz/quiz-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';
import { kqBin, runKq } from './run-kq.js';
import { waitUntil } from '../../src/broker/utils/wait-until.js';

/**
 * `kq quiz` in a real terminal: tmux gives the ink app a TTY of 100×30; keys go in with send-keys and the
 * screen is read with capture-pane, polled with a bounded wait (never a fixed sleep).
 */
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const NOW = '2026-11-29T10:00:00Z';

describe.skipIf(!hasTmux)('kq quiz in tmux', () => {
  const tempDir = useTempDir();
  let session: string | undefined;

  afterEach(() => {
    if (session) spawnSync('tmux', ['kill-session', '-t', session]);
    session = undefined;
  });

  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', session!);
  const keys = (...k: string[]) => tmux('send-keys', '-t', session!, ...k);
  async function waitForScreen(expected: string | RegExp, timeoutMs = 10_000): Promise<string> {
    let text = '';
    const shows = () => (typeof expected === 'string' ? text.includes(expected) : expected.test(text));
    await waitUntil(() => ((text = screen()), shows()), `the terminal to show ${String(expected)}`, timeoutMs, {
      detail: () => `screen:\n${text}`,
      everyMs: 50,
    });
    return text;
  }

  it('reviews two cards, quits with a summary, and kq stats counts both reviews', async () => {
    const home = tempDir();
    session = `kq-quiz-${randomUUID().slice(0, 8)}`;
    const env = {
      KQ_HOME: home,
      KQ_NOW: NOW,
      KQ_BANK_ROOT: fixtureBankRoot,
      KQ_LANG: 'en',
      NO_COLOR: '1',
      KQ_SHUFFLE: '0',
      TERM: 'xterm-256color',
    };
    const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    // `read` keeps the pane (and the final frame) on screen after kq exits, until the test kills the session
    const command = ['env', ...envArgs, process.execPath, kqBin, 'quiz', '--card', 'open-log', '--card', 'pick-acks']
      .map((a) => `'${a}'`)
      .join(' ');
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `${command}; echo "kq exited $?"; read done`);

    await waitForScreen('What is a partition?');
    keys('Space');
    await waitForScreen('The English answer of open-log.');
    keys('3');
    await waitForScreen('Which acks setting waits for all in-sync replicas?');
    keys('c');
    await waitForScreen('correct — Enter takes Good');
    keys('Enter');
    await waitForScreen('rated pick-acks Good');
    keys('Q');
    const final = await waitForScreen('kq exited 0');
    expect(final).toContain('Session summary');
    expect(final).toContain('cards reviewed  2 (2 ratings)');
    expect(final).not.toMatch(/Raw mode|Error/);

    const stats = runKq(['stats', '--json'], { env: { KQ_HOME: home, KQ_NOW: NOW, KQ_BANK_ROOT: fixtureBankRoot } });
    expect(stats.status).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ reviews: { today: 2, total: 2 } });
  });
});
