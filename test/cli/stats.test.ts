import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DeckStats } from '../../src/srs/deck-stats.js';
import { LogBuilder } from '../support/log-builder.js';
import { writeTempBank } from '../support/temp-bank.js';
import { useTempDir } from '../support/temp-dir.js';
import { runKq } from './run-kq.js';

// KQ_NOW in UTC and TZ=UTC for the child, so the study days below are exact
const NOW = '2026-03-10T15:00:00.000Z';
const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 2, day, hour, minute));

describe('kq stats and kq list through the built binary', () => {
  const tempDir = useTempDir();

  function setup(build?: (b: LogBuilder) => void) {
    const home = join(tempDir(), 'home');
    const bank = writeTempBank(join(tempDir(), 'bank'), [
      { id: 'alpha', tags: ['basics', 'producer'] },
      { id: 'beta', tags: ['basics'] },
      { id: 'gamma', tags: ['consumer'] },
    ]);
    if (build) {
      const b = new LogBuilder();
      build(b);
      mkdirSync(home, { recursive: true });
      writeFileSync(join(home, 'reviews.jsonl'), b.jsonl());
    }
    return { KQ_HOME: home, KQ_BANK_ROOT: bank, KQ_NOW: NOW, TZ: 'UTC' };
  }

  it('reports a fresh install: no reviews, all cards new, nothing due, and creates no files', () => {
    const env = setup();
    const run = runKq(['stats', '--json'], { env });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const stats = JSON.parse(run.stdout) as DeckStats;
    expect(stats).toMatchObject({
      reviews: { today: 0, total: 0 },
      retention: null,
      due: { today: 0 },
      states: { new: 3, learning: 0, review: 0, relearning: 0 },
      hidden: { suspended: 0, buried: 0 },
    });
    expect(stats.due.forecast.map((d) => d.date).slice(0, 2)).toEqual(['2026-03-10', '2026-03-11']);
    expect(stats.tags).toEqual({
      basics: { cards: 2, reviewed: 0, mature: 0, retention: null },
      consumer: { cards: 1, reviewed: 0, mature: 0, retention: null },
      producer: { cards: 1, reviewed: 0, mature: 0, retention: null },
    });
    expect(runKq(['list'], { env }).stdout).not.toMatch(/\bnew\b/); // no log: no due column
    expect(existsSync(env.KQ_HOME)).toBe(false);
  });

  it('counts today against KQ_NOW and measures retention on due reviews', () => {
    const env = setup((b) => {
      b.review('alpha', 3, at(1, 9));
      const learnt = b.review('alpha', 3, at(1, 9, 10)); // review phase, due in days
      b.review('alpha', 1, new Date(learnt.after.due)); // a due review, failed
      b.review('beta', 3, at(10, 3, 59)); // before 04:00: yesterday's study day
      b.review('beta', 3, at(10, 9)); // today
      b.review('gamma', 2, at(10, 10), { cram: true }); // today, cram
      b.undo(b.review('gamma', 3, at(10, 11)), at(10, 11, 1)); // undone
    });
    const stats = JSON.parse(runKq(['stats', '--json'], { env }).stdout) as DeckStats;
    expect(stats.reviews).toEqual({ today: 2, total: 6 });
    expect(stats.retention).toBe(0);
    expect(stats.states).toEqual({ new: 1, learning: 0, review: 1, relearning: 1 });
    expect(stats.tags.basics).toMatchObject({ cards: 2, reviewed: 2, retention: 0 });
    expect(stats.due.forecast[0]!.count).toBe(1); // alpha, relearning in minutes

    const text = runKq(['stats'], { env });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('today 2 · total 6');
    expect(text.stdout).toContain('Retention   0%');
    expect(text.stdout).toMatch(/Tue 03-10 {2}█+ 1/);
    expect(text.stdout).not.toContain('\x1b['); // NO_COLOR (runKq sets it): no escape codes

    const zh = runKq(['stats'], { env: { ...env, KQ_LANG: 'zh' } });
    expect(zh.status).toBe(0);
    expect(zh.stdout).toContain('复习次数    今天 2 · 总计 6');
    expect(zh.stdout).toMatch(/周二 03-10 {2}█+ 1/);
    expect(runKq(['stats', '--lang', 'en'], { env: { ...env, KQ_LANG: 'zh' } }).stdout).toBe(text.stdout);
    expect(runKq(['stats', '--json', '--lang', 'zh'], { env }).stdout).toBe(runKq(['stats', '--json'], { env }).stdout);
  });

  it('shows when each card is due in kq list once a log exists', () => {
    const env = setup((b) => {
      b.review('alpha', 4, at(10, 9)); // Easy on a new card: in 8 days
      b.review('beta', 1, at(10, 14, 59)); // Again: due in a minute → now at 15:00
      b.review('gamma', 3, at(10, 9));
      b.suspend('gamma', at(10, 9, 1));
    });
    const list = runKq(['list'], { env });
    expect(list.status).toBe(0);
    const due = Object.fromEntries(
      list.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s{2,}/).slice(0, 2) as [string, string]),
    );
    expect(due).toEqual({ alpha: 'in 8d', beta: 'now', gamma: 'suspended' });

    const json = JSON.parse(runKq(['list', '--json'], { env }).stdout) as Array<{ id: string; due: string | null }>;
    expect(json.map((c) => [c.id, c.due])).toEqual([
      ['alpha', '2026-03-18T09:00:00.000Z'],
      ['beta', '2026-03-10T15:00:00.000Z'],
      ['gamma', null],
    ]);
  });

  it('lists cards never reviewed as new beside reviewed ones', () => {
    const env = setup((b) => b.review('alpha', 3, at(10, 14, 55)));
    const lines = runKq(['list'], { env }).stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
      ['alpha', 'in 5m'],
      ['beta', 'new'],
      ['gamma', 'new'],
    ]);
  });

  it('exits 3 naming file:line when the log is corrupt, and leaves it as it was', () => {
    const env = setup((b) => {
      b.review('alpha', 3, at(1, 9));
      b.review('beta', 3, at(1, 9));
    });
    const file = join(env.KQ_HOME, 'reviews.jsonl');
    const corrupt = readFileSync(file, 'utf8').replace('"rating":3', '"rating":7');
    writeFileSync(file, corrupt);
    for (const args of [['stats'], ['list'], ['export'], ['import', file]]) {
      const run = runKq(args, { env });
      expect(run.status).toBe(3);
      expect(run.stderr).toContain(`${file}:1: not a valid review event: rating`);
    }
    expect(readFileSync(file, 'utf8')).toBe(corrupt);
  });

  it('warns about a torn last line and still reports', () => {
    const env = setup((b) => b.review('alpha', 3, at(10, 9)));
    const file = join(env.KQ_HOME, 'reviews.jsonl');
    const b = new LogBuilder();
    b.review('alpha', 3, at(10, 9));
    writeFileSync(file, b.jsonl() + '{"type":"rev');
    const run = runKq(['stats', '--json'], { env });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`kq: warning: ${file}:2: dropped an incomplete last line`);
    expect((JSON.parse(run.stdout) as DeckStats).reviews.total).toBe(1);
  });

  it('exits 2 on a KQ_NOW that is not a time', () => {
    const run = runKq(['stats'], { env: { ...setup(), KQ_NOW: 'tomorrow' } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("KQ_NOW: 'tomorrow' is not an ISO time");
  });
});
