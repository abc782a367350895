import type { Card } from '../bank/load-bank.js';
import type { BodyLang } from '../bank/card-body.js';
import { CHOICE_LETTERS } from '../bank/card-markdown.js';
import type { Rating } from '../srs/scheduler.js';
import { PhrasedError } from './ui-text.js';

/**
 * Automatic grading of the card types that have a right answer (choice, multi, predict, gap). Grading only
 * suggests a rating — wrong → Again, right → Good — the learner takes it or overrides it; the scheduler
 * never sees a grade, only the rating.
 */
export interface Grade {
  correct: boolean;
  suggested: Rating;
}

export function gradeOf(correct: boolean): Grade {
  return { correct, suggested: correct ? 3 : 1 };
}

/** The card types graded by picking letters. */
export type PickCardType = 'choice' | 'multi' | 'predict';

export function isPickCard(card: Card): card is Card & { meta: { type: PickCardType } } {
  return card.meta.type === 'choice' || card.meta.type === 'multi' || card.meta.type === 'predict';
}

export function choiceCount(card: Card): number {
  return 'choices' in card.meta ? card.meta.choices.length : 0;
}

/** Why a typed pick was not accepted, phrased for the learner. */
export class PickError extends PhrasedError {}

/**
 * Turns typed letters (`a`, `ac`, `a c`, `A,C`) into choice indexes. A `choice`/`predict` card takes one
 * letter, a `multi` card any non-empty set; letters beyond the card's choices are refused with the valid range.
 */
export function parsePicks(card: Card, typed: string): number[] {
  const count = choiceCount(card);
  const last = CHOICE_LETTERS[count - 1] ?? 'a';
  const letters = typed.toLowerCase().replace(/[\s,]+/g, '');
  if (letters.length === 0) throw new PickError((t) => t.errors.pickLetter(last));
  const picks = new Set<number>();
  for (const letter of letters) {
    const index = CHOICE_LETTERS.indexOf(letter);
    if (index < 0 || index >= count) throw new PickError((t) => t.errors.notAChoice(letter, last));
    picks.add(index);
  }
  if (card.meta.type !== 'multi' && picks.size > 1) throw new PickError((t) => t.errors.oneRightAnswer(last));
  return [...picks].sort((a, b) => a - b);
}

/** Right when the picked set equals the set of correct choices (for `multi`: all of them and nothing else). */
export function gradePicks(card: Card, picks: readonly number[]): Grade {
  if (!('choices' in card.meta)) throw new Error(`card ${card.meta.id} (${card.meta.type}) has no choices`);
  const correct = card.meta.choices.flatMap((c, i) => (c.correct ? [i] : []));
  const picked = new Set(picks);
  return gradeOf(picked.size === correct.length && correct.every((i) => picked.has(i)));
}

/**
 * How a typed gap answer is compared: Unicode NFKC folds full-width letters, digits and punctuation to their
 * ASCII forms (IME users type ｌｅａｄｅｒ or ＩＳＲ), then case is folded and runs of spaces collapse. Spaces
 * between CJK and Latin text are dropped, since writers disagree on them ("ISR 列表" vs "ISR列表").
 */
export function normaliseAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ ?([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]) ?/gu, '$1');
}

/** A gap answer is right when it matches any accepted answer of the session's language (or, failing that, the other). */
export function gradeGap(card: Card, lang: BodyLang, typed: string): Grade {
  if (card.meta.type !== 'gap') throw new Error(`card ${card.meta.id} is a ${card.meta.type} card, not a gap card`);
  const answer = normaliseAnswer(typed);
  if (answer === '') return gradeOf(false);
  const other: BodyLang = lang === 'zh' ? 'en' : 'zh';
  const accepted = [...card.meta.answers[lang], ...card.meta.answers[other]].map(normaliseAnswer);
  return gradeOf(accepted.includes(answer));
}
