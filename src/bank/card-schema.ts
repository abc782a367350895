import { z } from 'zod';

/**
 * The front matter of a quiz card (`questions/<id>.md`), the one registry every other part reads:
 * the quiz grades with it, `kq validate` checks coverage with it, and `demo` is the only link from a
 * card to the demo that proves it. The Markdown body is parsed separately (card-body.ts).
 */

const text = z.string().trim().min(1, 'must not be empty');

/** A string in both of kq's languages. */
export const Bilingual = z.strictObject({ zh: text, en: text });
export type Bilingual = z.infer<typeof Bilingual>;

export const CARD_TYPES = ['open', 'choice', 'multi', 'gap', 'predict'] as const;
export type CardType = (typeof CARD_TYPES)[number];

const kebabId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case: lower-case letters, digits and single hyphens');

const Choice = z.strictObject({ zh: text, en: text, correct: z.boolean().default(false) });
export type Choice = z.infer<typeof Choice>;

/** A Kafka release where the answer changed, e.g. `{ since: "4.0", kip: "KIP-1030", zh, en }`. */
const VersionNote = z.strictObject({
  since: z.string().regex(/^\d+\.\d+(?:\.\d+)?$/, 'must be a Kafka version such as "3.0" or "2.4.1"'),
  kip: z
    .string()
    .regex(/^KIP-\d+$/, 'must look like KIP-123')
    .optional(),
  zh: text,
  en: text,
});
export type VersionNote = z.infer<typeof VersionNote>;

const common = {
  id: kebabId,
  title: Bilingual,
  tags: z.array(kebabId).min(1, 'needs at least one tag'),
  difficulty: z.number().int().min(1).max(3),
  seed: z.array(text).min(1, 'must name at least one seed heading'),
  facts: z.array(z.string().regex(/^F\d+$/, 'must look like F12')).default([]),
  demo: kebabId,
  versions: z.array(VersionNote).default([]),
};

const choices = z.array(Choice).min(2, 'needs at least two choices');

function exactlyOneCorrect(list: Choice[], ctx: z.RefinementCtx) {
  const correct = list.filter((c) => c.correct).length;
  if (correct !== 1) ctx.addIssue({ code: 'custom', message: `needs exactly one correct choice, has ${correct}` });
}

function atLeastOneCorrect(list: Choice[], ctx: z.RefinementCtx) {
  if (!list.some((c) => c.correct)) ctx.addIssue({ code: 'custom', message: 'needs at least one correct choice' });
}

const OpenCard = z.strictObject({ ...common, type: z.literal('open') });
const ChoiceCard = z.strictObject({ ...common, type: z.literal('choice'), choices: choices.superRefine(exactlyOneCorrect) });
const MultiCard = z.strictObject({ ...common, type: z.literal('multi'), choices: choices.superRefine(atLeastOneCorrect) });
/** `gap`: the question has a blank (____); any accepted answer of the reader's language counts. */
const GapCard = z.strictObject({
  ...common,
  type: z.literal('gap'),
  answers: z.strictObject({ zh: z.array(text).min(1), en: z.array(text).min(1) }),
});
/** `predict`: asks what the card's demo will show before it runs; graded like `choice`. */
const PredictCard = z.strictObject({
  ...common,
  type: z.literal('predict'),
  prompt: Bilingual,
  choices: choices.superRefine(exactlyOneCorrect),
});

export const CardFrontMatter = z.discriminatedUnion('type', [OpenCard, ChoiceCard, MultiCard, GapCard, PredictCard]);
export type CardFrontMatter = z.infer<typeof CardFrontMatter>;
