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
 * between CJK and Latin text are dropped, since writers disagree on them ("ISR 列表" vs "ISR列表"). Quotes,
 * backticks and sentence punctuation around the answer are dropped, and so are filler words at either end that
 * the blank's sentence already says ("Kafka", "版本", "默认", "从 … 起"). What is left, if it reads as a Kafka
 * version ("4", "4.0", "v4.0.x"), is spelled one way: major.minor.patch, a missing or `x` part read as 0.
 */
export function normaliseAnswer(text: string): string {
  let answer = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ ?([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]) ?/gu, '$1');
  for (let before = ''; before !== answer;) {
    before = answer;
    answer = answer.replace(EDGE_PUNCTUATION, '').replace(LEADING_FILLER, '').replace(TRAILING_FILLER, '').trim();
  }
  return canonicalVersion(answer) ?? answer;
}

/** Punctuation a learner may type around an answer: quotes, backticks, brackets, a full stop. */
const EDGE_PUNCTUATION = /^[\s"'`()[\]。，,;:!?]+|[\s"'`()[\]。，,;:!?]+$/gu;
// Words the blank's sentence supplies, so typing them is neither required nor wrong. Only at the edges: a filler
// inside an answer ("kafka.server:type=...") is part of it. After NFKC and lower-casing.
const FILLERS_EN = ['apache kafka', 'kafka', 'apache', 'version', 'release', 'since', 'from', 'the', 'default', 'is'];
const FILLERS_ZH = ['版本号', '版本', '版', '默认值', '默认', '从', '自', '起', '开始', '之后', '以后', '是', '为'];
const fillerPattern = (words: string[]) => words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
// An English filler must meet a space or a digit, so "kafka4.0" loses "kafka" but "isr" and "kafka.server" keep theirs.
const LEADING_FILLER = new RegExp(
  `^(?:(?:${fillerPattern(FILLERS_EN)})(?=[\\s\\d]|$)|(?:${fillerPattern(FILLERS_ZH)}))`,
  'u',
);
const TRAILING_FILLER = new RegExp(
  `(?:(?<=^|[\\s\\d])(?:${fillerPattern(FILLERS_EN)})|(?:${fillerPattern(FILLERS_ZH)}))$`,
  'u',
);

/** "4", "v4.0", "4.0.x", "4.0.0" → "4.0.0"; anything else → undefined. */
function canonicalVersion(answer: string): string | undefined {
  const match = /^v?(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?$/.exec(answer);
  if (!match) return undefined;
  const part = (p: string | undefined) => (p === undefined || p === 'x' ? '0' : String(Number(p)));
  return `${Number(match[1])}.${part(match[2])}.${part(match[3])}`;
}

/**
 * The spellings an accepted answer stands for: a part in square brackets may be left out
 * (`[__consumer_offsets 的]分区数` accepts "分区数" and "__consumer_offsets 的分区数"); brackets may nest.
 */
export function answerForms(accepted: string): string[] {
  const open = accepted.indexOf('[');
  if (open < 0) return [accepted];
  let depth = 0;
  for (let i = open; i < accepted.length; i++) {
    if (accepted[i] === '[') depth++;
    else if (accepted[i] === ']' && --depth === 0) {
      const before = accepted.slice(0, open);
      const inner = accepted.slice(open + 1, i);
      const after = accepted.slice(i + 1);
      return [
        ...answerForms(before + after),
        ...answerForms(inner).flatMap((form) => answerForms(before + form + after)),
      ];
    }
  }
  throw new Error(`unbalanced [ in accepted answer '${accepted}'`);
}

/** A gap answer is right when it matches any accepted answer of the session's language (or, failing that, the other). */
export function gradeGap(card: Card, lang: BodyLang, typed: string): Grade {
  if (card.meta.type !== 'gap') throw new Error(`card ${card.meta.id} is a ${card.meta.type} card, not a gap card`);
  const answer = normaliseAnswer(typed);
  if (answer === '') return gradeOf(false);
  const other: BodyLang = lang === 'zh' ? 'en' : 'zh';
  const accepted = [...card.meta.answers[lang], ...card.meta.answers[other]].flatMap(answerForms).map(normaliseAnswer);
  return gradeOf(accepted.includes(answer));
}
