import type { BodyLang } from './card-body.js';
import { SECTION_HEADINGS } from './card-body.js';
import type { Card } from './load-bank.js';

/**
 * A card as one Markdown document in one language — what `kq show` renders and the quiz reveals. The bank
 * produces Markdown only; turning it into terminal text is the CLI's job.
 */
export interface CardMarkdownOptions {
  /** false: the question (and choices) only, for `--no-answer` and the quiz's front side. */
  answer: boolean;
}

export const CHOICE_LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export function questionMarkdown(card: Card, lang: BodyLang): string {
  const parts = [card.text[lang].question];
  if (card.meta.type === 'predict') parts.push(`**${card.meta.prompt[lang]}**`);
  if ('choices' in card.meta) {
    parts.push(card.meta.choices.map((c, i) => `${CHOICE_LETTERS[i]}) ${c[lang]}`).join('\n'));
  }
  return parts.join('\n\n');
}

export function correctAnswerMarkdown(card: Card, lang: BodyLang): string | undefined {
  const label = lang === 'zh' ? '正确答案' : 'Correct answer';
  if ('choices' in card.meta) {
    const letters = card.meta.choices.flatMap((c, i) => (c.correct ? [CHOICE_LETTERS[i]] : []));
    return `**${label}: ${letters.join(', ')}**`;
  }
  if (card.meta.type === 'gap') return `**${label}: ${card.meta.answers[lang].join(' / ')}**`;
  return undefined;
}

export function cardMarkdown(card: Card, lang: BodyLang, options: CardMarkdownOptions): string {
  const h = SECTION_HEADINGS[lang];
  const text = card.text[lang];
  const out = [
    `# ${card.meta.title[lang]}`,
    `*${card.meta.id} · ${card.meta.type} · ${'★'.repeat(card.meta.difficulty)} · ${card.meta.tags.join(', ')}*`,
  ];
  out.push(`## ${h.question}`, questionMarkdown(card, lang));
  if (options.answer) {
    const correct = correctAnswerMarkdown(card, lang);
    out.push(`## ${h.answer}`, ...(correct ? [correct] : []), text.answer);
    out.push(`## ${h.keyPoints}`, text.keyPoints.map((p) => `- ${p}`).join('\n'));
    out.push(`## ${h.probes}`, text.probes);
    out.push(`## ${h.followUps}`, text.followUps);
    if (text.versionNotes) out.push(`## ${h.versionNotes}`, text.versionNotes);
    out.push(`*demo: kq demo ${card.meta.demo}*`);
  }
  return out.join('\n\n') + '\n';
}
