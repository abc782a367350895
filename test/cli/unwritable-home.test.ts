import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureBankRoot } from '../quiz/quiz-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';
import { kqBin, runKq } from './run-kq.js';
import { waitUntil } from '../../src/broker/utils/wait-until.js';

/**
 * A data dir kq cannot use is exit 3 with a message naming the path, through the built binary. `/proc/x` is
 * the case that made Node's recursive mkdir spin at 100 % CPU: the timeout below kills a spinning kq, and a
 * killed process has no exit status, so a regression fails here rather than hanging. A regular file stands in
 * for a folder kq may not write (the suite may run as root, for whom permission bits mean nothing).
 */
const hasProc = existsSync('/proc/self');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

describe('a data dir kq cannot use', () => {
  const tempDir = useTempDir();
  const aFile = () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    return file;
  };
  const expectEnvironmentError = (run: ReturnType<typeof runKq>, path: string) => {
    expect(run.status, `stderr: ${run.stderr}`).toBe(3);
    expect(run.stderr).toContain(path);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  };

  it.skipIf(!hasProc)('kq config set with KQ_HOME=/proc/x exits 3 naming the path instead of spinning', () => {
    const run = runKq(['config', 'set', 'lang', 'zh'], { env: { KQ_HOME: '/proc/x' }, timeoutMs: 10_000 });
    expectEnvironmentError(run, '/proc/x');
  });

  it.skipIf(!hasProc)('the plain quiz with KQ_HOME=/proc/x exits 3 before the first card', () => {
    const run = runKq(['quiz', '--plain'], {
      env: { KQ_HOME: '/proc/x', KQ_BANK_ROOT: fixtureBankRoot, KQ_LANG: 'en' },
      input: 'show\n3\n',
      timeoutMs: 10_000,
    });
    expectEnvironmentError(run, '/proc/x');
    expect(run.stdout).toBe('');
  });

  it('the plain quiz with KQ_HOME under a regular file exits 3 naming the path', () => {
    const home = join(aFile(), 'kq');
    const run = runKq(['quiz', '--plain'], {
      env: { KQ_HOME: home, KQ_BANK_ROOT: fixtureBankRoot, KQ_LANG: 'en' },
      timeoutMs: 10_000,
    });
    expectEnvironmentError(run, home);
  });

  it('kq broker --data-dir <a file> exits 3 with a message, not a stack trace', () => {
    const file = aFile();
    const run = runKq(['broker', '--port', '0', '--data-dir', file], { timeoutMs: 10_000 });
    expectEnvironmentError(run, file);
    expect(run.stdout).not.toContain('listening on');
  });

  it.skipIf(!hasProc)('kq broker --data-dir /proc/x exits 3 instead of spinning', () => {
    const run = runKq(['broker', '--port', '0', '--data-dir', '/proc/x'], { timeoutMs: 10_000 });
    expectEnvironmentError(run, '/proc/x');
  });

  describe.skipIf(!hasTmux || !hasProc)('the ink quiz in a terminal', () => {
    let session: string | undefined;
    afterEach(() => {
      if (session) spawnSync('tmux', ['kill-session', '-t', session]);
      session = undefined;
    });

    it('exits 3 with the message on screen, no uncaught StoreError', async () => {
      session = `kq-home-${randomUUID().slice(0, 8)}`;
      const env = { KQ_HOME: '/proc/x', KQ_BANK_ROOT: fixtureBankRoot, KQ_LANG: 'en', TERM: 'xterm-256color' };
      const command = ['env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), process.execPath, kqBin, 'quiz']
        .map((a) => `'${a}'`)
        .join(' ');
      const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
      tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', `${command}; echo "kq exited $?"; read done`);
      let screen = '';
      await waitUntil(
        () => (screen = tmux('capture-pane', '-p', '-t', session!)).includes('kq exited'),
        'kq to exit',
        10_000,
        {
          detail: () => `screen:\n${screen}`,
          everyMs: 50,
        },
      );
      expect(screen).toContain('kq exited 3');
      expect(screen).toContain('/proc/x');
      expect(screen).not.toContain('StoreError');
    });
  });
});
