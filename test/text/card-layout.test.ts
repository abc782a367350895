import { describe, expect, it } from 'vitest';
import { bankLocation } from '../../src/bank/bank-location.js';
import { cardMarkdown } from '../../src/bank/card-markdown.js';
import { loadBank, type Card } from '../../src/bank/load-bank.js';
import type { PresentedCard } from '../../src/quiz/quiz-session.js';
import { layoutMarkdown } from '../../src/text/terminal-markdown.js';
import { displayWidth } from '../../src/text/text-table.js';
import { cardLines } from '../../src/tui/card-lines.js';
import { repoRoot } from '../cli/run-kq.js';

/**
 * Every card of the real bank, in both languages, laid out at 60, 80, 100 and 120 columns as `kq show` and the
 * quiz's answer side draw it: no row wider than the width, no row starting with closing punctuation, and no
 * Markdown markers (`**`, backticks) showing through.
 */
const cards = loadBank(bankLocation(repoRoot)).cards;
// CJK closing marks (a code line may well start with a Latin '.' or ')')
const CLOSING_START = /^\s*[，。、；：？！）」』】》〉]/u;

function expectLaidOut(rows: readonly string[], width: number, where: string): void {
  for (const row of rows) {
    expect(displayWidth(row), `${where}: row wider than ${width}: ${row}`).toBeLessThanOrEqual(width);
    expect(row, `${where}: row starts with closing punctuation`).not.toMatch(CLOSING_START);
    expect(row, `${where}: Markdown shows through`).not.toMatch(/\*\*|`/);
  }
}

function answered(card: Card): PresentedCard {
  const picks = 'choices' in card.meta ? [0] : null;
  return {
    card,
    order: [],
    observed: null,
    stage: 'answer',
    grade: null,
    picks,
    typed: card.meta.type === 'gap' ? 'x' : null,
    isNew: true,
  };
}

describe('card layout at terminal widths', () => {
  it('has the whole bank to check', () => expect(cards.length).toBeGreaterThan(50));

  for (const width of [60, 80, 100, 120]) {
    for (const lang of ['zh', 'en'] as const) {
      it(`kq show and the quiz's answer side fit ${width} columns in ${lang}`, () => {
        for (const card of cards) {
          const shown = layoutMarkdown(cardMarkdown(card, lang, { answer: true }), { color: false, width: width - 1 });
          expectLaidOut(shown, width - 1, `kq show ${card.meta.id} at ${width}`);
          const quiz = cardLines(answered(card), lang, { cursor: 0, marked: [] }, width - 1, false).map((l) => l.text);
          expectLaidOut(quiz, width - 1, `quiz ${card.meta.id} at ${width}`);
        }
      });
    }
  }
});
