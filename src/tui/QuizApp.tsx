import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CHOICE_LETTERS } from '../bank/card-markdown.js';
import type { CardType } from '../bank/card-schema.js';
import type { DemoRunner } from '../quiz/demo-runner.js';
import { PickError, isPickCard, parsePicks } from '../quiz/grading.js';
import { QuizInputError, type PresentedCard, type QuizSession, type SessionSummary } from '../quiz/quiz-session.js';
import { UI_TEXT, type Phrase, type UiText } from '../quiz/ui-text.js';
import type { Rating } from '../srs/scheduler.js';
import { CardBody } from './CardBody.js';
import { HelpPanel } from './HelpPanel.js';
import { RatingBar } from './RatingBar.js';
import { SummaryView } from './SummaryView.js';
import { cardLines } from './card-lines.js';
import { useTerminalSize } from './use-terminal-size.js';

/**
 * `kq quiz` on a terminal: draws the QuizSession's current card and turns keys into session calls. All
 * scheduling, grading and logging is the session's; this component holds only what is on screen (cursor,
 * marks, typed text, scroll, help, the last message). A rating is on disk when `session.rate` returns, so
 * the next card is never drawn before its predecessor's rating is durable. Every string it draws comes from
 * the session language's UiText; the message is kept as a Phrase, so `l` re-says it in the new language.
 */
export interface QuizAppProps {
  session: QuizSession;
  demos: DemoRunner;
  clock: () => Date;
  color: boolean;
}

/** Rows the app draws around the card: header, hint, rating/answer line, message, key line. */
const CHROME_ROWS = 7;
const DEMO_ROWS = 6;

export function QuizApp({ session, demos, clock, color }: QuizAppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [, setVersion] = useState(0);
  const rerender = () => setVersion((v) => v + 1);
  const [message, setMessage] = useState<Phrase | null>(null);
  // a Phrase is a function, and React's setState would call a function: wrap it
  const say = (phrase: Phrase | null) => setMessage(() => phrase);
  const [help, setHelp] = useState(false);
  const [demoOutput, setDemoOutput] = useState<string[]>([]);
  const [summary, setSummary] = useState<SessionSummary | null>(null);
  // What the keys edit (cursor, marks, typed text, scroll) lives in a ref, changed synchronously by each key:
  // keys typed faster than React re-renders (a paste, a quick "a c Enter") must see each other's effect.
  const ui = useRef<CardUi>(freshUi(session.current));
  // Set synchronously on quit so a key already queued behind `q` does nothing.
  const quitting = useRef(false);
  if (ui.current.card !== session.current) ui.current = freshUi(session.current); // a new card, or the same after undo
  const { cursor, marked, typed } = ui.current;
  const current = session.current;
  const width = Math.max(20, Math.min(columns, 100) - 1);

  useEffect(() => {
    if (summary || !session.finished) return;
    quitting.current = true;
    if (session.summary().ratings === 0) say((t) => t.nothingToReviewNow);
    setSummary(session.summary());
  }, [summary, current]);

  useEffect(() => {
    if (summary) exit();
  }, [summary]);

  const lines = useMemo(
    () => (current ? cardLines(current, session.lang, { cursor, marked }, width, color) : []),
    // session.lang and the stage change through session calls, which bump the version
    [current, current?.stage, session.lang, cursor, marked, width, color],
  );
  const bodyHeight = Math.max(3, rows - CHROME_ROWS - (demoOutput.length > 0 ? DEMO_ROWS + 1 : 0));
  const maxScroll = Math.max(0, lines.length - bodyHeight);
  const scroll = Math.min(ui.current.scroll, maxScroll);

  /** Runs a session call; a QuizInputError becomes the message line instead of a crash. */
  const act = (call: () => Phrase | null | void) => {
    try {
      say(call() ?? null);
    } catch (error) {
      if (!(error instanceof QuizInputError || error instanceof PickError)) throw error;
      say(error.phrase);
    }
    rerender();
  };

  const quit = () => {
    quitting.current = true;
    setSummary(session.summary());
  };

  useInput((input: string, key: Key) => {
    if (quitting.current) return;
    if (key.ctrl && input === 'c') return quit();
    // Read the session, not this render's snapshot: keys may arrive before React has drawn the last one's effect.
    const current = session.current;
    if (!current) return;
    if (ui.current.card !== current) ui.current = freshUi(current);
    const state = ui.current;
    setDemoOutput([]);
    const update = (change: Partial<CardUi>) => {
      Object.assign(state, change);
      rerender();
    };
    const scrollBy = (delta: number) =>
      update({ scroll: Math.min(maxScroll, Math.max(0, Math.min(state.scroll, maxScroll) + delta)) });
    if (key.pageDown) return scrollBy(bodyHeight - 1);
    if (key.pageUp) return scrollBy(-(bodyHeight - 1));

    const type = current.card.meta.type;
    // While typing a gap answer every printable key is text; Esc gives up (graded wrong).
    if (current.stage === 'question' && type === 'gap') {
      if (key.return || key.escape) return act(() => graded(session.answerGap(key.escape ? '' : state.typed).correct));
      if (key.backspace || key.delete) return update({ typed: [...state.typed].slice(0, -1).join('') });
      if (input && !key.ctrl && !key.meta && !key.upArrow && !key.downArrow) update({ typed: state.typed + input });
      return;
    }

    // Before a pick, a letter naming a choice is that choice (b is often one); the command keys also work in
    // upper case, so bury and demo stay one key away on every card.
    const count = 'choices' in current.card.meta ? current.card.meta.choices.length : 0;
    const isChoiceLetter =
      current.stage === 'question' && /^[a-z]$/.test(input) && CHOICE_LETTERS.indexOf(input) < count;
    const command = isChoiceLetter ? '' : input.toLowerCase();
    if (command === '?') return setHelp((h) => !h);
    if (command === 'q') return quit();
    // the session call runs first; its note is then said in whatever language is current when drawn
    if (command === 'u') return act(() => noteOn(session.undo(), (t, id) => t.undone(id)));
    if (command === 'b') return act(() => noteOn(session.bury(), (t, id) => t.buried(id)));
    if (command === 's') return act(() => noteOn(session.suspend(), (t, id) => t.suspended(id)));
    if (command === 'l') return act(() => noteOn(session.switchLanguage(), (t, lang) => t.languageSwitched(lang)));
    if (command === 'd') {
      const demo = current.card.meta.demo;
      say((t) => t.runningDemo(demo));
      // Fire and forget: the quiz keeps taking keys while the demo runs. run() resolves on every outcome (a
      // spawn error becomes a failed DemoRun), so there is no rejection to lose.
      void demos.run(demo, 'capture', session.lang).then((run) => {
        say((t) => t.demoResult(demo, run));
        setDemoOutput(
          run.output
            .trimEnd()
            .split('\n')
            .filter((l) => l !== '')
            .slice(-DEMO_ROWS),
        );
      });
      return;
    }

    if (current.stage === 'question') {
      if (type === 'open') {
        if (input === ' ' || key.return) return act(() => session.reveal());
        if (/^[1-4]$/.test(input)) return say((t) => t.revealFirst);
        return;
      }
      if (isPickCard(current.card)) {
        if (key.upArrow) return update({ cursor: (state.cursor + count - 1) % count });
        if (key.downArrow) return update({ cursor: (state.cursor + 1) % count });
        if (type === 'multi') {
          const toggle = (i: number) =>
            update({
              cursor: i,
              marked: state.marked.includes(i) ? state.marked.filter((x) => x !== i) : [...state.marked, i].sort(),
            });
          if (input === ' ') return toggle(state.cursor);
          if (key.return) {
            if (state.marked.length === 0) return say((t) => t.markFirst);
            return act(() => graded(session.pick(state.marked).correct));
          }
          if (/^[a-z]$/.test(input)) {
            try {
              const [i] = parsePicks(current.card, input);
              if (i !== undefined) toggle(i);
            } catch (error) {
              if (error instanceof PickError) say(error.phrase);
              else throw error;
            }
          }
          return;
        }
        // a prediction may be skipped: Space shows what the demo will show, without a guess to grade
        if (type === 'predict' && input === ' ') return act(() => session.reveal());
        if (key.return) return act(() => graded(session.pick([state.cursor]).correct));
        if (/^[a-z]$/.test(input)) return act(() => graded(session.pick(parsePicks(current.card, input)).correct));
      }
      return;
    }

    // answer stage
    if (key.upArrow) return scrollBy(-1);
    if (key.downArrow) return scrollBy(1);
    if (/^[1-4]$/.test(input) || key.return) {
      if (key.return && !current.grade) return say((t) => t.rateWhich);
      return act(() => {
        const { cardId, rating, interval } = session.rate(key.return ? undefined : (Number(input) as Rating));
        return (t) => t.rated(cardId, t.rating[rating], interval);
      });
    }
  });

  const text = UI_TEXT[session.lang];
  if (summary) {
    return (
      <Box flexDirection="column">
        {message ? <Text>{message(text)}</Text> : null}
        <SummaryView summary={summary} now={clock()} lang={session.lang} color={color} />
      </Box>
    );
  }
  if (!current) return <Text>{text.nothingToReview}</Text>;

  const meta = current.card.meta;
  return (
    <Box flexDirection="column">
      <Text dimColor={color} wrap="truncate-end">
        {text.header({
          mode: session.mode === 'scheduled' ? null : session.mode,
          id: meta.id,
          type: meta.type,
          isNew: current.isNew,
          remaining: session.remaining,
        })}
      </Text>
      {help ? (
        <HelpPanel text={text} color={color} />
      ) : (
        <CardBody lines={lines} scroll={scroll} height={bodyHeight} text={text} color={color} />
      )}
      {current.stage === 'question' && meta.type === 'gap' ? <Text>{`${text.answerPrompt}${typed}█`}</Text> : null}
      {current.stage === 'answer' ? (
        <RatingBar
          preview={session.preview()}
          suggested={current.grade?.suggested ?? null}
          text={text}
          width={width}
          color={color}
        />
      ) : null}
      {demoOutput.length > 0 ? (
        <Box flexDirection="column" borderStyle="single" paddingX={1}>
          {demoOutput.map((line, i) => (
            <Text key={i} wrap="truncate">
              {line}
            </Text>
          ))}
        </Box>
      ) : null}
      <Text wrap="truncate-end">{message ? message(text) : ' '}</Text>
      <Text dimColor={color} wrap="truncate-end">
        {hintLine(text, meta.type, current.stage)}
      </Text>
    </Box>
  );
}

/** The screen state of the card on show; replaced whenever the session presents a card. */
interface CardUi {
  card: PresentedCard | undefined;
  cursor: number;
  marked: number[];
  typed: string;
  scroll: number;
}

function freshUi(card: PresentedCard | undefined): CardUi {
  return { card, cursor: 0, marked: [], typed: '', scroll: 0 };
}

function graded(correct: boolean): Phrase {
  return (t) => t.graded(correct);
}

/** A Phrase about a value a session call returned (a card id, the new language). */
function noteOn<T>(value: T, note: (t: UiText, value: T) => string): Phrase {
  return (t) => note(t, value);
}

function hintLine(text: UiText, type: CardType, stage: 'question' | 'answer'): string {
  const { hints } = text;
  if (stage === 'answer') return `${hints.answer} · ${hints.common}`;
  switch (type) {
    case 'open':
      return `${hints.open} · ${hints.common}`;
    case 'multi':
      return `${hints.multi} · ${hints.common}`;
    case 'gap':
      return hints.gap;
    default:
      return `${hints.pick} · ${hints.common}`;
  }
}
