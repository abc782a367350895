import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { RATINGS, type Rating } from '../srs/fsrs-scheduler.js';
import { cardBack, cardFront } from './card-sides.js';
import type { DemoLauncher } from './demo-launcher.js';
import { PickError, isPickCard, parsePicks } from './grading.js';
import { QuizInputError, type PresentedCard, type QuizSession } from './quiz-session.js';
import { observedOutcome, scenarioKnobs } from './observed-outcome.js';
import { CHOICE_LETTERS } from '../bank/card-markdown.js';
import { summaryLines } from './summary-text.js';
import { plainMarkdown } from '../text/plain-markdown.js';
import { UI_TEXT, type UiText } from './ui-text.js';

/**
 * `kq quiz --plain`: the session as lines, for pipes, CI and screen readers (the line-based twin of the ink
 * app in src/tui; it never imports ink). The first word of each line is protocol and never changes with the
 * language; the prose after it follows the session's language (ui-text.ts). One reply per input line:
 *   out  `card <id> <type>` then the question;  `graded <id> correct|wrong suggested <1-4>`;
 *        on a predict card then `observed <id> proven|not-proven|failed|missing`, the demo's checks indented;
 *        `rated <id> <1-4>` (printed only after the rating is fsync'd);  `undone <id>`;  `summary …` at the end.
 *   in   empty line — reveal (open, predict) or take the suggested rating; `1`–`4` — rate; letters (`a`, `ac`)
 *        — pick choices; other text on a gap card — the answer; `:u` undo, `:b` bury, `:s` suspend, `:d` demo
 *        (`:d knob=value …` with what-if knobs; `:k` lists them as `knob <knob>=<default> …` lines),
 *        `:l` language, `:?` help, `:q` quit. End of input is `:q`.
 */
export interface PlainQuizIo {
  input: Readable;
  write: (text: string) => void;
  demos: DemoLauncher;
  /** The schedule's clock, for "next due in …". */
  clock: () => Date;
  /** Run demos on Apache Kafka (`kq quiz --kafka`). */
  kafka?: boolean;
}

export async function runPlainQuiz(session: QuizSession, io: PlainQuizIo): Promise<void> {
  const say = (line: string) => io.write(`${line}\n`);
  const text = (): UiText => UI_TEXT[session.lang];
  const lines = createInterface({ input: io.input, crlfDelay: Infinity, terminal: false });

  const showCurrent = () => {
    const p = session.current;
    if (!p) return;
    say(`card ${p.card.meta.id} ${p.card.meta.type}${p.isNew ? ' new' : ''}${session.mode === 'cram' ? ' cram' : ''}`);
    say(plainMarkdown(cardFront(p.card, session.lang)));
    say(`> ${text().prompts[p.card.meta.type]}`);
  };

  const showBack = () => {
    const p = session.current!;
    const back = cardBack(p.card, session.lang);
    say(`answer ${p.card.meta.id}`);
    say(plainMarkdown(back.answer));
    say(`${back.keyPointsHeading}:`);
    for (const point of back.keyPoints) say(`- ${plainMarkdown(point)}`);
    const preview = session.preview();
    const choices = RATINGS.map((r) => `${r} ${text().rating[r]}${preview ? ` ${preview[r]}` : ''}`).join(' · ');
    say(`> ${text().ratePrompt(choices, p.grade?.suggested ?? null)}`);
  };

  /**
   * Predict, then run: the card's demo runs with the card's scenario, then `observed <id> <status>` and the
   * demo's checks and verdict, each indented two spaces, and a line saying what the outcome means.
   */
  const observe = async (p: PresentedCard) => {
    const card = p.card;
    const run = await io.demos.run(card.meta.demo, 'capture', session.lang, {
      knobs: scenarioKnobs(card),
      kafka: io.kafka ?? false,
    });
    const outcome = observedOutcome(run);
    session.observe(outcome, card.meta.id);
    say(`observed ${card.meta.id} ${outcome.status}`);
    for (const line of outcome.lines) say(`  ${line}`);
    const o = text().observed;
    const correct = 'choices' in card.meta ? card.meta.choices.findIndex((c) => c.correct) : -1;
    say(
      `> ${
        outcome.status === 'proven'
          ? o.proven(CHOICE_LETTERS[correct] ?? '?', p.grade?.correct ?? false)
          : outcome.status === 'not-proven'
            ? o.notProven
            : outcome.status === 'missing'
              ? o.missing
              : o.failed
      }`,
    );
  };

  const handle = async (line: string): Promise<'quit' | void> => {
    const p = session.current;
    if (!p) return 'quit';
    const command = line.trim();
    // `:d knob=value …` runs the demo with what-if knobs (`kq demo <id> --set knob=value`)
    const withKnobs = /^:d\s+(\S+=\S*(?:\s+\S+=\S*)*)$/.exec(command);
    if (withKnobs) {
      const knobs: Record<string, string> = {};
      for (const pair of withKnobs[1]!.split(/\s+/))
        knobs[pair.slice(0, pair.indexOf('='))] = pair.slice(pair.indexOf('=') + 1);
      const run = await io.demos.run(p.card.meta.demo, 'inherit', session.lang, { knobs, kafka: io.kafka ?? false });
      say(`demo ${text().demoResult(p.card.meta.demo, run)}`);
      return;
    }
    if (command.startsWith(':')) {
      switch (command.toLowerCase()) {
        case ':q':
          return 'quit';
        case ':u':
          say(`undone ${session.undo()}`);
          return showCurrent();
        case ':b': {
          const id = session.bury();
          say(`buried ${id} ${text().plainBuried}`);
          return showCurrent();
        }
        case ':s':
          say(`suspended ${session.suspend()}`);
          return showCurrent();
        case ':l':
          say(`lang ${session.switchLanguage()}`);
          showCurrent();
          if (p.stage === 'answer') showBack();
          return;
        case ':k':
          for (const knob of (await io.demos.knobs?.(p.card.meta.demo, session.lang)) ?? []) say(`knob ${knob}`);
          return;
        case ':d': {
          const run = await io.demos.run(p.card.meta.demo, 'inherit', session.lang, { kafka: io.kafka ?? false });
          say(`demo ${text().demoResult(p.card.meta.demo, run)}`);
          return;
        }
        case ':?':
        case ':h':
          for (const h of text().plainHelp) say(`help: ${h}`);
          return;
        default:
          throw new QuizInputError((t) => t.errors.unknownCommand(command));
      }
    }
    if (p.stage === 'answer') {
      const hasSuggestion = p.grade !== null;
      if (command !== '' && !/^[1-4]$/.test(command)) throw new QuizInputError((t) => t.errors.rateWith(hasSuggestion));
      const outcome = session.rate(command === '' ? undefined : (Number(command) as Rating));
      say(`rated ${outcome.cardId} ${outcome.rating}`);
      return showCurrent();
    }
    // question stage
    if (p.card.meta.type === 'gap') {
      const grade = session.answerGap(command);
      say(`graded ${p.card.meta.id} ${grade.correct ? 'correct' : 'wrong'} suggested ${grade.suggested}`);
      return showBack();
    }
    if (command === '') {
      session.reveal();
      return showBack();
    }
    if (/^[1-4]$/.test(command))
      throw new QuizInputError(
        p.card.meta.type === 'open' ? (t) => t.errors.revealFirstPlain : (t) => t.errors.answerFirst,
      );
    if (!isPickCard(p.card)) throw new QuizInputError((t) => t.errors.emptyLineReveals);
    const grade = session.pick(parsePicks(p.card, command));
    say(`graded ${p.card.meta.id} ${grade.correct ? 'correct' : 'wrong'} suggested ${grade.suggested}`);
    if (p.card.meta.type === 'predict') await observe(p);
    return showBack();
  };

  if (session.finished) say(text().nothingToReviewNow);
  showCurrent();
  try {
    for await (const line of lines) {
      let result: 'quit' | void;
      try {
        result = await handle(line);
      } catch (error) {
        if (!(error instanceof QuizInputError || error instanceof PickError)) throw error;
        say(`error ${error.messageIn(session.lang)}`);
        continue;
      }
      if (result === 'quit' || session.finished) break;
    }
  } finally {
    lines.close();
  }
  for (const line of summaryLines(session.summary(), io.clock(), session.lang)) say(line);
}
