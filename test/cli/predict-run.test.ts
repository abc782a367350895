import { afterEach, describe, expect, it } from 'vitest';
import { useTempDir } from '../support/temp-dir.js';
import { TmuxTerminal, hasTmux } from '../support/tmux-terminal.js';
import { kqBin, runKq } from './run-kq.js';

/**
 * Predict, then run, on the real bank: compression-codec-kept asks what a consumer receives after a gzip batch
 * passes the broker; once the learner commits a prediction its demo (compression-passthrough) runs on kq's
 * broker and what happened is shown beside the prediction, in plain mode and in the ink app at 60 and 100
 * columns. Choices keep the file's order (KQ_SHUFFLE=0): b is the right answer.
 */
describe('predict, then run', () => {
  const tempDir = useTempDir();
  let terminal: TmuxTerminal | undefined;
  afterEach(() => terminal?.close());

  it('plain mode: observed proven with the checks, then the rating', () => {
    const run = runKq(['quiz', '--plain', '--card', 'compression-codec-kept'], {
      env: { KQ_HOME: tempDir(), KQ_NOW: '2026-11-29T10:00:00Z', KQ_LANG: 'en' },
      input: 'a\n1\n',
      timeoutMs: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const graded = lines.indexOf('graded compression-codec-kept wrong suggested 1');
    const observed = lines.indexOf('observed compression-codec-kept proven');
    expect(graded).toBeGreaterThan(0);
    expect(observed).toBeGreaterThan(graded);
    expect(lines[observed + 1]).toMatch(/^ {2}✓ /);
    expect(run.stdout).toContain('> the demo proved b) happened: your prediction was wrong');
    expect(run.stdout).toContain('rated compression-codec-kept 1');
  }, 150_000);

  it("plain mode: :k lists the demo's knobs and :d knob=value runs it with them, the observations following", () => {
    const run = runKq(['quiz', '--plain', '--card', 'compression-codec-kept'], {
      env: { KQ_HOME: tempDir(), KQ_NOW: '2026-11-29T10:00:00Z', KQ_LANG: 'en' },
      input: ':k\n:d codec=none\n:q\n',
      timeoutMs: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^knob codec=gzip \(gzip\|none\) — /m);
    expect(run.stdout).toContain('knobs: codec=none');
    expect(run.stdout).toContain('codec none');
    expect(run.stdout).toContain('demo demo compression-passthrough finished');
  }, 150_000);

  it.skipIf(!hasTmux).each([60, 100])(
    'the ink app at %i columns: what happened appears under the prediction',
    async (columns) => {
      terminal = new TmuxTerminal(columns, 40, [process.execPath, kqBin, 'quiz', '--card', 'compression-codec-kept'], {
        KQ_HOME: tempDir(),
        KQ_NOW: '2026-11-29T10:00:00Z',
        KQ_LANG: 'en',
        KQ_SHUFFLE: '0',
        NO_COLOR: '1',
        TERM: 'xterm-256color',
      });
      await terminal.waitFor('Q quit');
      terminal.type('b');
      await terminal.waitFor(/What happened \(demo\s+compression-passthrough/);
      const screen = await terminal.waitFor(/the demo proved b\) happened: your\s+prediction was right/, 90_000);
      expect(screen).toContain('✓ b)');
      terminal.keys('Enter');
      await terminal.waitFor('rated compression-codec-kept Good');
      terminal.type('Q');
      expect(await terminal.waitFor('kq exited 0')).toContain('cards reviewed  1 (1 rating)');
    },
    150_000,
  );
});
