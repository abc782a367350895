import { describe, expect, it } from 'vitest';
import { bankLocation } from '../../src/bank/bank-location.js';
import { loadBank } from '../../src/bank/load-bank.js';
import { readSeedHeadings } from '../../src/bank/reference-docs.js';
import { orderNewCards } from '../../src/quiz/curriculum.js';
import { repoRoot, runKq } from '../cli/run-kq.js';
import { useTempDir } from '../support/temp-dir.js';

/** New cards as a curriculum: basics (difficulty 1) first, in the seed interview bank's order. */
const location = bankLocation(repoRoot);
const cards = loadBank(location).cards;
const seed = readSeedHeadings(location.seedFile).map((h) => h.text);

describe('the order of new cards', () => {
  it('curriculum: what-is-kafka first, difficulty never goes down, seed order within a difficulty', () => {
    const ordered = orderNewCards(cards, 'curriculum', seed);
    expect(ordered[0]!.meta.id).toBe('what-is-kafka');
    expect(ordered).toHaveLength(cards.length);
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [ordered[i - 1]!.meta, ordered[i]!.meta];
      expect(a.difficulty, `${a.id} before ${b.id}`).toBeLessThanOrEqual(b.difficulty);
      if (a.difficulty === b.difficulty) {
        const rank = (s: readonly string[]) => Math.min(...s.map((h) => seed.indexOf(h)).filter((i) => i >= 0));
        expect(rank(a.seed), `${a.id} before ${b.id}`).toBeLessThanOrEqual(rank(b.seed));
      }
    }
  });

  it('alphabetical: by id, as the bank files sort', () => {
    const ids = orderNewCards(cards, 'alphabetical', seed).map((c) => c.meta.id);
    expect(ids).toEqual([...ids].sort());
  });

  const tempDir = useTempDir();
  it('kq quiz introduces what-is-kafka first, and the first card by id after config set new-order alphabetical', () => {
    const env = { KQ_HOME: tempDir(), KQ_NOW: '2026-11-29T10:00:00Z', KQ_LANG: 'en' };
    expect(runKq(['quiz', '--plain'], { env, input: ':q\n' }).stdout).toMatch(/^card what-is-kafka open new/m);
    expect(runKq(['config', 'set', 'new-order', 'alphabetical'], { env }).status).toBe(0);
    const first = [...cards.map((c) => c.meta.id)].sort()[0]!;
    expect(runKq(['quiz', '--plain'], { env, input: ':q\n' }).stdout).toMatch(new RegExp(`^card ${first} `, 'm'));
    expect(runKq(['config', 'set', 'new-order', 'random'], { env }).status).toBe(2);
  });
});
