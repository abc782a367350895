import type { BodyLang } from '../bank/card-body.js';
import { CHOICE_LETTERS } from '../bank/card-markdown.js';
import { layoutMarkdown, renderInline } from '../text/terminal-markdown.js';
import { wrapText } from '../text/wrap-text.js';
import { cardBack, cardFrontParts, interviewSections } from '../quiz/card-sides.js';
import type { PresentedCard } from '../quiz/quiz-session.js';
import { UI_TEXT } from '../quiz/ui-text.js';

/**
 * The card as a list of screen rows, each with a tone the components map to colour (or to nothing when colour
 * is off). Built as plain rows rather than nested boxes so the app can show a window of them — long answers
 * scroll instead of pushing the frame past the bottom of the terminal.
 */
export type LineTone = 'title' | 'text' | 'cursor' | 'picked' | 'right' | 'wrong' | 'key' | 'heading';

export interface CardLine {
  text: string;
  tone: LineTone;
}

export interface ChoiceUi {
  cursor: number;
  /** Letters marked so far on a multi card. */
  marked: readonly number[];
  /** After the answer: the interview sections (probes, follow-ups, version notes) expanded below it. */
  sections?: boolean;
  /** Demos run on Apache Kafka (`kq quiz --kafka`), for the predict card's "what happened" heading. */
  kafka?: boolean;
}

export function cardLines(p: PresentedCard, lang: BodyLang, ui: ChoiceUi, width: number, color: boolean): CardLine[] {
  const md = (markdown: string) => layoutMarkdown(markdown, { color, width });
  // choices and key points are one Markdown line each: their **bold** and `code` are rendered, not shown
  const inline = (markdown: string) => renderInline(markdown, { color });
  const uiText = UI_TEXT[lang];
  const front = cardFrontParts(p.card, lang);
  const lines: CardLine[] = [
    ...wrapText(front.title, width).map((text) => ({ text, tone: 'title' as const })),
    { text: '', tone: 'text' },
  ];
  lines.push(...md(front.question).map((text) => ({ text, tone: 'text' as const })));
  if (front.choices.length > 0) {
    lines.push({ text: '', tone: 'text' });
    const correct = 'choices' in p.card.meta ? p.card.meta.choices.map((c) => c.correct) : [];
    front.choices.forEach((choice, i) => {
      const letter = CHOICE_LETTERS[i];
      if (p.stage === 'question') {
        const here = ui.cursor === i;
        const box = p.card.meta.type === 'multi' ? (ui.marked.includes(i) ? '[x] ' : '[ ] ') : '';
        const label = wrapText(`${here ? '❯' : ' '} ${box}${letter}) ${inline(choice)}`, width);
        for (const text of label)
          lines.push({ text, tone: here ? 'cursor' : ui.marked.includes(i) ? 'picked' : 'text' });
      } else {
        const picked = p.picks?.includes(i) ?? false;
        const mark = correct[i] ? '✓' : picked ? '✗' : ' ';
        const label = wrapText(`${mark} ${letter}) ${inline(choice)}${picked ? `  ${uiText.yourPick}` : ''}`, width);
        for (const text of label) lines.push({ text, tone: correct[i] ? 'right' : picked ? 'wrong' : 'text' });
      }
    });
  }
  if (p.stage === 'answer' && p.observed) {
    // a predict card: what the demo showed, right under the prediction
    const o = uiText.observed;
    lines.push({ text: '', tone: 'text' });
    lines.push(
      ...wrapText(o.heading(p.card.meta.demo, ui.kafka ?? false), width).map((text) => ({
        text,
        tone: 'heading' as const,
      })),
    );
    const correct = 'choices' in p.card.meta ? p.card.meta.choices.findIndex((c) => c.correct) : -1;
    const right = p.grade?.correct ?? false;
    const note =
      p.observed.status === 'running'
        ? { text: o.running, tone: 'text' as const }
        : p.observed.status === 'proven'
          ? {
              text: o.proven(CHOICE_LETTERS[correct] ?? '?', right),
              tone: right ? ('right' as const) : ('wrong' as const),
            }
          : { text: o[p.observed.status === 'not-proven' ? 'notProven' : p.observed.status], tone: 'wrong' as const };
    lines.push(...wrapText(note.text, width).map((text) => ({ text, tone: note.tone })));
    for (const line of p.observed.lines)
      lines.push(...wrapText(`  ${line}`, width).map((text) => ({ text, tone: 'text' as const })));
  }
  if (p.stage === 'answer') {
    if (p.typed !== null)
      lines.push(
        { text: '', tone: 'text' },
        { text: `${uiText.yourAnswer}: ${p.typed || '—'}`, tone: p.grade?.correct ? 'right' : 'wrong' },
      );
    const back = cardBack(p.card, lang);
    lines.push({ text: '', tone: 'text' });
    lines.push(...md(back.answer).map((text) => ({ text, tone: 'text' as const })));
    lines.push({ text: '', tone: 'text' }, { text: back.keyPointsHeading, tone: 'heading' });
    for (const point of back.keyPoints) {
      for (const text of wrapText(`▸ ${inline(point)}`, width)) lines.push({ text, tone: 'key' });
    }
    if (ui.sections) {
      for (const section of interviewSections(p.card, lang)) {
        lines.push({ text: '', tone: 'text' }, { text: section.heading, tone: 'heading' });
        lines.push(...md(section.markdown).map((text) => ({ text, tone: 'text' as const })));
      }
    }
  }
  return lines;
}
