import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureBankRoot } from '../quiz/quiz-fixtures.js';
import { LogBuilder } from '../support/log-builder.js';
import { useTempDir } from '../support/temp-dir.js';
import { runKq } from './run-kq.js';

/**
 * Buried and suspended cards through the built binary: `kq list` and `kq stats` say which cards are hidden,
 * `kq list --state/--grep` find them, and `kq unsuspend`/`kq unbury` bring them back by appending to the log.
 */
const NOW = '2026-11-29T10:00:00Z';

describe('hidden cards', () => {
  const tempDir = useTempDir();

  /** open-log reviewed (scheduled later), pick-acks suspended, gap-isr (never reviewed) buried until tomorrow. */
  function homeWithHiddenCards(): NodeJS.ProcessEnv {
    const home = tempDir();
    const log = new LogBuilder();
    log.review('open-log', 3, '2026-11-29T09:00:00Z');
    log.review('pick-acks', 3, '2026-11-29T09:01:00Z');
    log.suspend('pick-acks', '2026-11-29T09:02:00Z');
    log.bury('gap-isr', '2026-11-29T09:03:00Z', '2026-11-30T04:00:00Z');
    writeFileSync(join(home, 'reviews.jsonl'), log.jsonl());
    return { KQ_HOME: home, KQ_NOW: NOW, KQ_BANK_ROOT: fixtureBankRoot, KQ_LANG: 'en' };
  }
  const states = (env: NodeJS.ProcessEnv, ...args: string[]) => {
    const run = runKq(['list', '--json', ...args], { env });
    expect(run.status, run.stderr).toBe(0);
    return Object.fromEntries(
      (JSON.parse(run.stdout) as Array<{ id: string; state: string }>).map((c) => [c.id, c.state]),
    );
  };

  it('kq list shows a buried new card as buried and a suspended card as suspended', () => {
    const env = homeWithHiddenCards();
    expect(states(env)).toEqual({
      'gap-isr': 'buried',
      'multi-durability': 'new',
      'open-log': 'due', // a learning step of minutes, an hour ago
      'pick-acks': 'suspended',
      'predict-rebalance': 'new',
    });
    const text = runKq(['list'], { env }).stdout;
    expect(text).toMatch(/gap-isr\s+buried/);
    expect(text).toMatch(/pick-acks\s+suspended/);
  });

  it('kq list --state and --grep keep only the matching cards', () => {
    const env = homeWithHiddenCards();
    expect(Object.keys(states(env, '--state', 'buried'))).toEqual(['gap-isr']);
    expect(Object.keys(states(env, '--state', 'new'))).toEqual(['multi-durability', 'predict-rebalance']);
    expect(Object.keys(states(env, '--grep', 'ACKS'))).toEqual(['pick-acks']);
    expect(Object.keys(states(env, '--state', 'new', '--grep', 'rebalance'))).toEqual(['predict-rebalance']);
  });

  it('kq list --state with an unknown state exits 2 naming the states', () => {
    const run = runKq(['list', '--state', 'burried'], { env: homeWithHiddenCards() });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('buried');
    expect(run.stderr).toContain('suspended');
  });

  it('kq stats counts the suspended and buried cards', () => {
    const env = homeWithHiddenCards();
    const json = runKq(['stats', '--json'], { env });
    expect((JSON.parse(json.stdout) as { hidden: unknown }).hidden).toEqual({ suspended: 1, buried: 1 });
    expect(runKq(['stats'], { env }).stdout).toContain('suspended 1 · buried 1');
  });

  it('kq unsuspend brings a suspended card back; a second time says there is nothing to do', () => {
    const env = homeWithHiddenCards();
    const run = runKq(['unsuspend', 'pick-acks'], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(states(env)['pick-acks']).toBe('due');
    const again = runKq(['unsuspend', 'pick-acks'], { env });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('pick-acks is not suspended');
  });

  it('kq unbury brings a buried card back today', () => {
    const env = homeWithHiddenCards();
    const run = runKq(['unbury', 'gap-isr'], { env });
    expect(run.status, run.stderr).toBe(0);
    expect(states(env)['gap-isr']).toBe('new');
    expect(runKq(['unbury', 'gap-isr'], { env }).stderr).toContain('gap-isr is not buried');
  });

  it.each(['unsuspend', 'unbury'])(
    'kq %s with an unknown id exits 2 naming the closest ids and writes nothing',
    (cmd) => {
      const env = homeWithHiddenCards();
      const before = runKq(['list', '--json'], { env }).stdout;
      const run = runKq([cmd, 'pick-ack'], { env });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('pick-acks');
      expect(runKq(['list', '--json'], { env }).stdout).toBe(before);
    },
  );
});
