import type { Card } from './load-bank.js';
import type { Bilingual } from './card-schema.js';

/**
 * The JSON contracts of `kq list --json` and `kq show --json`: both languages always, whatever `--lang`,
 * so scripts get a stable shape.
 */
export interface CardSummary {
  id: string;
  title: Bilingual;
  tags: string[];
  type: Card['meta']['type'];
  difficulty: number;
  demo: string;
  seed: string[];
  facts: string[];
}

export function cardSummary(card: Card): CardSummary {
  const { id, title, tags, type, difficulty, demo, seed, facts } = card.meta;
  return { id, title, tags, type, difficulty, demo, seed, facts };
}

export function cardDetail(card: Card) {
  const both = <K extends 'question' | 'answer' | 'probes' | 'followUps'>(key: K): Bilingual => ({
    zh: card.text.zh[key],
    en: card.text.en[key],
  });
  const {
    id: _id,
    title: _title,
    tags: _tags,
    type: _type,
    difficulty: _d,
    demo: _demo,
    seed: _seed,
    facts: _facts,
    ...typeFields
  } = card.meta;
  return {
    ...cardSummary(card),
    question: both('question'),
    answer: both('answer'),
    keyPoints: { zh: card.text.zh.keyPoints, en: card.text.en.keyPoints },
    probes: both('probes'),
    followUps: both('followUps'),
    versionNotes:
      card.text.zh.versionNotes && card.text.en.versionNotes
        ? { zh: card.text.zh.versionNotes, en: card.text.en.versionNotes }
        : null,
    ...typeFields,
  };
}
