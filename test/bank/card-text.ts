import type { BodyLang } from '../../src/bank/card-body.js';
import type { Card } from '../../src/bank/load-bank.js';

/** Everything a card says in one language: title, body sections, choices, prompt and version notes. */
export function cardTextIn(card: Card, lang: BodyLang): string {
  const t = card.text[lang];
  const choices = 'choices' in card.meta ? card.meta.choices.map((c) => c[lang]) : [];
  const prompt = card.meta.type === 'predict' ? [card.meta.prompt[lang]] : [];
  return [
    card.meta.title[lang],
    t.question,
    t.answer,
    ...t.keyPoints,
    t.probes,
    t.followUps,
    t.versionNotes ?? '',
    ...choices,
    ...prompt,
    ...card.meta.versions.map((v) => v[lang]),
  ].join('\n');
}
