import type { BodyLang } from '../bank/card-body.js';
import { SECTION_HEADINGS } from '../bank/card-body.js';
import { correctAnswerMarkdown, questionMarkdown } from '../bank/card-markdown.js';
import type { Card } from '../bank/load-bank.js';

/**
 * A card's two sides as the quiz shows them, in Markdown: the front (title and question, with choices) and
 * the back (the correct choice or accepted answers, the answer, and the key points kept apart so a front end
 * can highlight them). Both front ends draw from here, so plain and ink show the same text.
 */
export interface CardBack {
  /** The correct choice / accepted answers line and the answer. */
  answer: string;
  keyPointsHeading: string;
  keyPoints: readonly string[];
}

export function cardFront(card: Card, lang: BodyLang): string {
  return `# ${card.meta.title[lang]}\n\n${questionMarkdown(card, lang)}`;
}

/** The front with the choices kept apart, for a front end that draws its own pick list. */
export interface CardFrontParts {
  title: string;
  /** The question, and for `predict` the prediction asked for. */
  question: string;
  choices: readonly string[];
}

export function cardFrontParts(card: Card, lang: BodyLang): CardFrontParts {
  const question = [card.text[lang].question];
  if (card.meta.type === 'predict') question.push(`**${card.meta.prompt[lang]}**`);
  return {
    title: card.meta.title[lang],
    question: question.join('\n\n'),
    choices: 'choices' in card.meta ? card.meta.choices.map((c) => c[lang]) : [],
  };
}

export function cardBack(card: Card, lang: BodyLang): CardBack {
  const correct = correctAnswerMarkdown(card, lang);
  return {
    answer: [...(correct ? [correct] : []), card.text[lang].answer].join('\n\n'),
    keyPointsHeading: SECTION_HEADINGS[lang].keyPoints,
    keyPoints: card.text[lang].keyPoints,
  };
}

/** A section an interviewer cares about beyond the answer: what they probe for, follow-ups, version notes. */
export interface InterviewSection {
  heading: string;
  markdown: string;
}

/** The card's interview sections that have text, in the card's order, in `lang`. */
export function interviewSections(card: Card, lang: BodyLang): InterviewSection[] {
  const h = SECTION_HEADINGS[lang];
  const text = card.text[lang];
  return [
    { heading: h.probes, markdown: text.probes },
    { heading: h.followUps, markdown: text.followUps },
    { heading: h.versionNotes, markdown: text.versionNotes ?? '' },
  ].filter((s) => s.markdown.trim() !== '');
}
