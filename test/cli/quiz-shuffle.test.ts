import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReviewEvent } from '../../src/store/review-log.js';
import { fixtureBankRoot } from '../quiz/quiz-fixtures.js';
import { useTempDir } from '../support/temp-dir.js';
import { runKq } from './run-kq.js';

/**
 * Choices come in a fresh order each time a card is shown (kq's default; the other CLI tests pin the file's
 * order with KQ_SHUFFLE=0), the letter the learner typed is graded against what was on screen, and the review
 * event records the order shown and the choice picked, as the card's own indexes.
 */
describe('kq quiz shuffles choices per view', () => {
  const tempDir = useTempDir();

  it('shows pick-acks in varying orders, grades the letter on screen, and logs order and pick', () => {
    const orders = new Set<string>();
    for (let run = 0; run < 6; run++) {
      const home = join(tempDir(), `run-${run}`);
      const env = { KQ_HOME: home, KQ_NOW: '2026-11-29T10:00:00Z', KQ_BANK_ROOT: fixtureBankRoot, KQ_SHUFFLE: '' };
      // a first view, quit at once: only its order is kept
      const shown = runKq(['quiz', '--plain', '--card', 'pick-acks'], { env, input: ':q\n' }).stdout;
      const choices = [...shown.matchAll(/^([a-c])\) (acks=\S+)$/gm)].map((m) => m[2]!);
      orders.add(choices.join(','));
      expect([...choices].sort()).toEqual(['acks=0', 'acks=1', 'acks=all']);
      // a new view, a new order: answer by reading this view's screen
      const quiz = runKq(['quiz', '--plain', '--card', 'pick-acks'], { env, input: 'a\n3\n' });
      // (rated Good, the new card comes back for its learning step: the first view is the first three lines)
      const onScreen = [...quiz.stdout.matchAll(/^([a-c])\) (acks=\S+)$/gm)].map((m) => m[2]!).slice(0, 3);
      const right = onScreen[0] === 'acks=all';
      expect(quiz.stdout).toContain(`graded pick-acks ${right ? 'correct' : 'wrong'}`);
      const events = readFileSync(join(home, 'reviews.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as ReviewEvent);
      const review = events.find((e) => e.type === 'review')!;
      const fileOrder = ['acks=0', 'acks=1', 'acks=all'];
      expect(review).toMatchObject({ choiceOrder: onScreen.map((c) => fileOrder.indexOf(c)) });
      expect(review).toMatchObject({ picks: [fileOrder.indexOf(onScreen[0]!)] });
    }
    // six views of three choices in the same order by chance: (1/6)^5
    expect(orders.size).toBeGreaterThan(1);
  });
});
