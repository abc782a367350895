import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { RATINGS, type Rating } from '../srs/scheduler.js';
import { cardBack, cardFront } from './card-sides.js';
import type { DemoRunner } from './demo-runner.js';
import { PickError, isPickCard, parsePicks } from './grading.js';
import { QuizInputError, RATING_NAMES, type QuizSession } from './quiz-session.js';
import { summaryLines } from './summary-text.js';

/**
 * `kq quiz --plain`: the session as lines, for pipes, CI and screen readers (the line-based twin of the ink
 * app in src/tui; it never imports ink). Protocol, one reply per input line:
 *   out  `card <id> <type>` then the question;  `graded <id> correct|wrong suggested <1-4>`;
 *        `rated <id> <1-4>` (printed only after the rating is fsync'd);  `undone <id>`;  `summary …` at the end.
 *   in   empty line — reveal (open, predict) or take the suggested rating; `1`–`4` — rate; letters (`a`, `ac`)
 *        — pick choices; other text on a gap card — the answer; `:u` undo, `:b` bury, `:s` suspend, `:d` demo,
 *        `:l` language, `:?` help, `:q` quit. End of input is `:q`.
 */
export interface PlainQuizIo {
  input: Readable;
  write: (text: string) => void;
  demos: DemoRunner;
  /** The schedule's clock, for "next due in …". */
  clock: () => Date;
}

const HELP = [
  'help: empty line reveals the answer (open, predict) or takes the suggested rating',
  'help: 1 Again · 2 Hard · 3 Good · 4 Easy rate the card once it is answered',
  "help: letters pick choices ('a', or 'ac' on a multi card); on a gap card type the answer",
  'help: :u undo the last rating · :b bury until tomorrow · :s suspend · :d run the demo · :l switch language · :q quit',
];

export async function runPlainQuiz(session: QuizSession, io: PlainQuizIo): Promise<void> {
  const say = (line: string) => io.write(`${line}\n`);
  const lines = createInterface({ input: io.input, crlfDelay: Infinity, terminal: false });

  const showCurrent = () => {
    const p = session.current;
    if (!p) return;
    say(`card ${p.card.meta.id} ${p.card.meta.type}${p.isNew ? ' new' : ''}${session.mode === 'cram' ? ' cram' : ''}`);
    say(cardFront(p.card, session.lang));
    say(`> ${promptFor(session)}`);
  };

  const showBack = () => {
    const p = session.current!;
    const back = cardBack(p.card, session.lang);
    say(`answer ${p.card.meta.id}`);
    say(back.answer);
    say(`${back.keyPointsHeading}:`);
    for (const point of back.keyPoints) say(`- ${point}`);
    const preview = session.preview();
    const choices = RATINGS.map((r) => `${r} ${RATING_NAMES[r]}${preview ? ` ${preview[r]}` : ''}`).join(' · ');
    say(`> rate ${choices}${p.grade ? ` (empty line takes ${p.grade.suggested})` : ''}`);
  };

  const handle = async (line: string): Promise<'quit' | void> => {
    const p = session.current;
    if (!p) return 'quit';
    const text = line.trim();
    if (text.startsWith(':')) {
      switch (text.toLowerCase()) {
        case ':q':
          return 'quit';
        case ':u':
          say(`undone ${session.undo()}`);
          return showCurrent();
        case ':b': {
          const id = session.bury();
          say(`buried ${id} until the next study day`);
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
        case ':d': {
          const run = await io.demos.run(p.card.meta.demo, 'inherit');
          say(`demo ${run.message}`);
          return;
        }
        case ':?':
        case ':h':
          for (const h of HELP) say(h);
          return;
        default:
          throw new QuizInputError(`unknown command '${text}'; commands: :u :b :s :d :l :? :q`);
      }
    }
    if (p.stage === 'answer') {
      if (text !== '' && !/^[1-4]$/.test(text)) throw new QuizInputError(`rate with 1–4${p.grade ? ', or an empty line for the suggested rating' : ''}`);
      const outcome = session.rate(text === '' ? undefined : (Number(text) as Rating));
      say(`rated ${outcome.cardId} ${outcome.rating}`);
      return showCurrent();
    }
    // question stage
    if (p.card.meta.type === 'gap') {
      const grade = session.answerGap(text);
      say(`graded ${p.card.meta.id} ${grade.correct ? 'correct' : 'wrong'} suggested ${grade.suggested}`);
      return showBack();
    }
    if (text === '') {
      session.reveal();
      return showBack();
    }
    if (/^[1-4]$/.test(text)) throw new QuizInputError(p.card.meta.type === 'open' ? 'reveal the answer first (empty line), then rate 1–4' : 'answer first, then rate 1–4');
    if (!isPickCard(p.card)) throw new QuizInputError('an empty line reveals the answer');
    const grade = session.pick(parsePicks(p.card, text));
    say(`graded ${p.card.meta.id} ${grade.correct ? 'correct' : 'wrong'} suggested ${grade.suggested}`);
    return showBack();
  };

  if (session.finished) say('nothing to review now');
  showCurrent();
  try {
    for await (const line of lines) {
      let result: 'quit' | void;
      try {
        result = await handle(line);
      } catch (error) {
        if (!(error instanceof QuizInputError || error instanceof PickError)) throw error;
        say(`error ${error.message}`);
        continue;
      }
      if (result === 'quit' || session.finished) break;
    }
  } finally {
    lines.close();
  }
  for (const line of summaryLines(session.summary(), io.clock())) say(line);
}

function promptFor(session: QuizSession): string {
  const card = session.current!.card;
  switch (card.meta.type) {
    case 'open':
      return 'think of your answer; empty line reveals it';
    case 'predict':
      return 'predict: pick one letter (empty line reveals without guessing)';
    case 'choice':
      return 'pick one letter';
    case 'multi':
      return "pick every right letter, e.g. 'ac'";
    case 'gap':
      return 'type the missing words';
  }
}
