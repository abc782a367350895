import { describe, expect, it } from 'vitest';
import { runKq } from './run-kq.js';

/** A Chinese demo run says its verdict in Chinese only: not "已证明 — all 4 checks held". */
describe('kq demo in Chinese', () => {
  it('says the verdict and its reason in Chinese', () => {
    const run = runKq(['demo', 'compression-passthrough', '--lang', 'zh'], { timeoutMs: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const verdict = run.stdout.trim().split('\n').at(-1)!;
    expect(verdict).toMatch(/^已证明 — 4 项检查全部成立 \(/);
    expect(verdict).not.toMatch(/checks held/);
  }, 150_000);
});
