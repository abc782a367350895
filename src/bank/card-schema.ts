// Named imports, not the `z` namespace: the namespace drags every locale into the bundle (750 KB → 170 KB),
// and `kq list` parses that bundle on every start.
import {
  array,
  boolean,
  discriminatedUnion,
  literal,
  number,
  record,
  strictObject,
  string,
  union,
  type RefinementCtx,
  type infer as Infer,
} from 'zod';

/**
 * The front matter of a quiz card (`questions/<id>.md`), the one registry every other part reads:
 * the quiz grades with it, `kq validate` checks coverage with it, and `demo` is the only link from a
 * card to the demo that proves it. The Markdown body is parsed separately (card-body.ts).
 */

const text = string().trim().min(1, 'must not be empty');

/** A string in both of kq's languages. */
export const Bilingual = strictObject({ zh: text, en: text });
export type Bilingual = Infer<typeof Bilingual>;

export const CARD_TYPES = ['open', 'choice', 'multi', 'gap', 'predict'] as const;
export type CardType = (typeof CARD_TYPES)[number];

const kebabId = string().regex(
  /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  'must be kebab-case: lower-case letters, digits and single hyphens',
);

const Choice = strictObject({ zh: text, en: text, correct: boolean().default(false) });
export type Choice = Infer<typeof Choice>;

/** A Kafka release where the answer changed, e.g. `{ since: "4.0", kip: "KIP-1030", zh, en }`. */
const VersionNote = strictObject({
  since: string().regex(/^\d+\.\d+(?:\.\d+)?$/, 'must be a Kafka version such as "3.0" or "2.4.1"'),
  kip: string()
    .regex(/^KIP-\d+$/, 'must look like KIP-123')
    .optional(),
  zh: text,
  en: text,
});
export type VersionNote = Infer<typeof VersionNote>;

const common = {
  id: kebabId,
  title: Bilingual,
  tags: array(kebabId).min(1, 'needs at least one tag'),
  difficulty: number().int().min(1).max(3),
  seed: array(text).min(1, 'must name at least one seed heading'),
  facts: array(string().regex(/^F\d+$/, 'must look like F12')).default([]),
  demo: kebabId,
  versions: array(VersionNote).default([]),
};

const choices = array(Choice).min(2, 'needs at least two choices');

function exactlyOneCorrect(list: Choice[], ctx: RefinementCtx) {
  const correct = list.filter((c) => c.correct).length;
  if (correct !== 1) ctx.addIssue({ code: 'custom', message: `needs exactly one correct choice, has ${correct}` });
}

function atLeastOneCorrect(list: Choice[], ctx: RefinementCtx) {
  if (!list.some((c) => c.correct)) ctx.addIssue({ code: 'custom', message: 'needs at least one correct choice' });
}

const OpenCard = strictObject({ ...common, type: literal('open') });
const ChoiceCard = strictObject({
  ...common,
  type: literal('choice'),
  choices: choices.superRefine(exactlyOneCorrect),
});
const MultiCard = strictObject({ ...common, type: literal('multi'), choices: choices.superRefine(atLeastOneCorrect) });
/** An accepted gap answer; `[…]` marks words the learner may leave out, so its brackets must balance. */
const gapAnswer = text.refine(
  (answer) => bracketsBalance(answer),
  'has an unbalanced [ or ] (mark optional words as [words])',
);

function bracketsBalance(answer: string): boolean {
  let depth = 0;
  for (const ch of answer) {
    if (ch === '[') depth++;
    else if (ch === ']' && --depth < 0) return false;
  }
  return depth === 0;
}

/** `gap`: the question has a blank (____); any accepted answer of the reader's language counts. */
const GapCard = strictObject({
  ...common,
  type: literal('gap'),
  answers: strictObject({ zh: array(gapAnswer).min(1), en: array(gapAnswer).min(1) }),
});
/**
 * `predict`: asks what the card's demo will show before it runs; graded like `choice`, and the quiz then runs
 * the demo and shows what happened beside the prediction. `knobs` sets the demo's what-if knobs for this
 * card's scenario ("what happens with acks=1?"), as `kq demo <id> --set knob=value` would.
 */
const PredictCard = strictObject({
  ...common,
  type: literal('predict'),
  prompt: Bilingual,
  choices: choices.superRefine(exactlyOneCorrect),
  knobs: record(string(), union([string(), number(), boolean()])).optional(),
});

export const CardFrontMatter = discriminatedUnion('type', [OpenCard, ChoiceCard, MultiCard, GapCard, PredictCard]);
export type CardFrontMatter = Infer<typeof CardFrontMatter>;
