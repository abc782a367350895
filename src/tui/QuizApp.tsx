import { Box, Text, useApp, useInput, type Key } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CHOICE_LETTERS } from '../bank/card-markdown.js';
import type { DemoLauncher } from '../quiz/demo-launcher.js';
import { RUNNING, observedOutcome, scenarioKnobs } from '../quiz/observed-outcome.js';
import { PickError, choiceCount } from '../quiz/grading.js';
import { QuizInputError, type PresentedCard, type QuizSession, type SessionSummary } from '../quiz/quiz-session.js';
import { UI_TEXT, type Phrase, type UiText } from '../quiz/ui-text.js';
import { displayWidth } from '../text/text-table.js';
import type { Rating } from '../srs/fsrs-scheduler.js';
import { CardBody } from './CardBody.js';
import { HelpPanel } from './HelpPanel.js';
import { RatingBar } from './RatingBar.js';
import { SummaryView } from './SummaryView.js';
import { cardLines, type CardLine } from './card-lines.js';
import { flowRows, footerItems, footerRows, keyState, resolveKey, splitPresses, type KeyPress } from './key-map.js';
import { useTerminalSize } from './use-terminal-size.js';
import { wrapText } from '../text/wrap-text.js';

/**
 * `kq quiz` on a terminal: draws the QuizSession's current card and turns keys into session calls. All
 * scheduling, grading and logging is the session's; this component holds only what is on screen (cursor,
 * marks, typed text, scroll, help, the last message). A rating is on disk when `session.rate` returns, so
 * the next card is never drawn before its predecessor's rating is durable. Every string it draws comes from
 * the session language's UiText; the message is kept as a Phrase, so `l` re-says it in the new language.
 */
export interface QuizAppProps {
  session: QuizSession;
  demos: DemoLauncher;
  clock: () => Date;
  color: boolean;
  /** Run demos on Apache Kafka (`kq quiz --kafka`) instead of kq's broker. */
  kafka?: boolean;
}

/** Rows the app draws around the card besides header, message and footer: the rating/answer line, scroll hint. */
const FIXED_CHROME_ROWS = 2;
/** The command letters (upper case); their lower-case twins get a nudge where they pick nothing. */
const COMMAND_LETTERS = 'UBSDLQ';

export function QuizApp({ session, demos, clock, color, kafka = false }: QuizAppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [, setVersion] = useState(0);
  const rerender = () => setVersion((v) => v + 1);
  const [message, setMessage] = useState<Phrase | null>(null);
  // a Phrase is a function, and React's setState would call a function: wrap it
  const say = (phrase: Phrase | null) => setMessage(() => phrase);
  const [help, setHelp] = useState(false);
  const [summary, setSummary] = useState<SessionSummary | null>(null);
  // What the keys edit (cursor, marks, typed text, scroll) lives in a ref, changed synchronously by each key:
  // keys typed faster than React re-renders (a paste, a quick "a c Enter") must see each other's effect.
  const ui = useRef<CardUi>(freshUi(session.current));
  // The demo panel (a demo's whole output over the card), open once a run finishes; Esc closes it.
  const panel = useRef<DemoPanel | null>(null);
  // The knobs panel (K): the demo's what-if knobs, and the knob=value settings being typed for the next run.
  const knobsPanel = useRef<KnobsPanel | null>(null);
  // Set synchronously on quit so a key already queued behind `q` does nothing.
  const quitting = useRef(false);
  /**
   * The body's height and scroll limit as last drawn. The key handler reads them here, not from its closure: ink
   * re-subscribes useInput's handler in an effect after the frame is written, so a key pressed right after a panel
   * appears would otherwise be judged against the previous frame's limits (a 60-line panel scrolled as an empty one).
   */
  const layout = useRef({ bodyHeight: 3, maxScroll: 0 });
  if (ui.current.card !== session.current) ui.current = freshUi(session.current); // a new card, or the same after undo
  const { cursor, marked, typed, sections } = ui.current;
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
    () => (current ? cardLines(current, session.lang, { cursor, marked, sections, kafka }, width, color) : []),
    // session.lang and the stage change through session calls, which bump the version
    [current, current?.stage, current?.observed, session.lang, cursor, marked, sections, width, color],
  );
  const text = UI_TEXT[session.lang];
  const open = panel.current;
  const knobs = knobsPanel.current;
  const shown: CardLine[] = knobs
    ? [
        { text: text.knobsPanel.title(knobs.demoId), tone: 'heading' },
        ...(knobs.lines === null ? ['…'] : knobs.lines.length > 0 ? knobs.lines : [text.knobsPanel.none(knobs.demoId)])
          .flatMap((line) => wrapText(line, width))
          .map((t) => ({ text: t, tone: 'text' as const })),
        { text: '', tone: 'text' },
        ...wrapText(`${text.knobsPanel.prompt}${knobs.typed}█`, width).map((t) => ({ text: t, tone: 'key' as const })),
      ]
    : open
      ? [
          { text: text.demoPanelTitle(open.demoId, open.lines.length), tone: 'heading' },
          ...open.lines.flatMap((line) => wrapText(line, width)).map((t) => ({ text: t, tone: 'text' as const })),
        ]
      : lines;
  // header, message and footer wrap to the width (never cut); the card gets the rows they leave
  const headerRows = current
    ? flowRows(
        text
          .header({
            mode: session.mode === 'scheduled' ? null : session.mode,
            id: current.card.meta.id,
            type: current.card.meta.type,
            isNew: current.isNew,
            ...session.left,
          })
          .split(' · '),
        width,
        displayWidth,
      )
    : [];
  const messageRows = message ? wrapText(message(text), width) : [' '];
  const footer = current
    ? footerRows(
        footerItems(knobs ? 'knobs' : open ? 'demo' : keyState(current.card.meta.type, current.stage), text, {
          choices: choiceCount(current.card),
          graded: current.grade !== null,
        }),
        width,
        displayWidth,
      )
    : [];
  const chromeRows = headerRows.length + messageRows.length + footer.length + FIXED_CHROME_ROWS;
  const bodyHeight = Math.max(3, rows - 1 - chromeRows);
  const maxScroll = Math.max(0, shown.length - bodyHeight);
  const scroll = knobs ? 0 : Math.min(open ? open.scroll : ui.current.scroll, maxScroll);
  layout.current = { bodyHeight, maxScroll };

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
    // keys typed together (a paste, a fast typist) arrive as one string: each character is its own key
    for (const press of splitPresses(input, key)) handleKey(press);
  });

  const handleKey = ({ input, key }: KeyPress) => {
    if (quitting.current) return;
    if (key.ctrl && input === 'c') return quit();
    // Read the session, not this render's snapshot: keys may arrive before React has drawn the last one's effect.
    const current = session.current;
    if (!current) return;
    if (ui.current.card !== current) ui.current = freshUi(current);
    const state = ui.current;
    const update = (change: Partial<CardUi>) => {
      Object.assign(state, change);
      rerender();
    };
    // the arrows scroll whatever is shown: the demo panel when it is open, else the card
    const { bodyHeight, maxScroll } = layout.current;
    const scrollBy = (delta: number) => {
      const target = panel.current ?? state;
      target.scroll = Math.min(maxScroll, Math.max(0, Math.min(target.scroll, maxScroll) + delta));
      rerender();
    };
    const count = choiceCount(current.card);
    const keys = knobsPanel.current
      ? 'knobs'
      : panel.current
        ? 'demo'
        : keyState(current.card.meta.type, current.stage);
    const resolved = resolveKey(keys, { input, key }, count);
    if (!resolved) return nudge(current, input);
    const toggle = (i: number) =>
      update({
        cursor: i,
        marked: state.marked.includes(i) ? state.marked.filter((x) => x !== i) : [...state.marked, i].sort(),
      });
    switch (resolved.action) {
      case 'pageUp':
        return scrollBy(-(bodyHeight - 1));
      case 'pageDown':
        return scrollBy(bodyHeight - 1);
      case 'scrollUp':
        return scrollBy(-1);
      case 'scrollDown':
        return scrollBy(1);
      case 'help':
        return setHelp((h) => !h);
      case 'quit':
        return quit();
      // the session call runs first; its note is then said in whatever language is current when drawn
      case 'undo':
        return act(() => noteOn(session.undo(), (t, id) => t.undone(id)));
      case 'bury':
        return act(() => noteOn(session.bury(), (t, id) => t.buried(id)));
      case 'suspend':
        return act(() => noteOn(session.suspend(), (t, id) => t.suspended(id)));
      case 'language':
        return act(() => noteOn(session.switchLanguage(), (t, lang) => t.languageSwitched(lang)));
      case 'demo':
        return runDemo(current.card.meta.demo, {});
      case 'knobs': {
        const demo = current.card.meta.demo;
        const opened: KnobsPanel = { demoId: demo, lines: null, typed: '' };
        knobsPanel.current = opened;
        rerender();
        void (demos.knobs?.(demo, session.lang) ?? Promise.resolve([])).then((lines) => {
          opened.lines = lines;
          rerender();
        });
        return;
      }
      case 'runWithKnobs': {
        const settings = knobsPanel.current!;
        knobsPanel.current = null;
        const knobs = Object.fromEntries(
          settings.typed
            .split(/\s+/)
            .filter((pair) => pair.includes('='))
            .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
        );
        return runDemo(settings.demoId, knobs);
      }
      case 'closePanel':
        if (knobsPanel.current) knobsPanel.current = null;
        else panel.current = null;
        return rerender();
      case 'sections': {
        // expand (or fold) the interview sections and bring them into view: they start where the card ended
        const end = cardLines(current, session.lang, { cursor: state.cursor, marked: state.marked }, width, color);
        return update({ sections: !state.sections, scroll: state.sections ? state.scroll : end.length });
      }
      case 'reveal':
      case 'skipPrediction':
        return act(() => session.reveal());
      case 'cursorUp':
        return update({ cursor: (state.cursor + count - 1) % count });
      case 'cursorDown':
        return update({ cursor: (state.cursor + 1) % count });
      case 'pickCursor':
        act(() => graded(session.pick([state.cursor]).correct));
        return runPrediction(current);
      case 'pickLetter':
        act(() => graded(session.pick([resolved.index!]).correct));
        return runPrediction(current);
      case 'toggleCursor':
        return toggle(state.cursor);
      case 'toggleLetter':
        return toggle(resolved.index!);
      case 'submitMarks':
        if (state.marked.length === 0) return say((t) => t.markFirst);
        return act(() => graded(session.pick(state.marked).correct));
      case 'typeText':
        if (knobsPanel.current) return ((knobsPanel.current.typed += input), rerender());
        return update({ typed: state.typed + input });
      case 'deleteChar':
        if (knobsPanel.current) {
          knobsPanel.current.typed = [...knobsPanel.current.typed].slice(0, -1).join('');
          return rerender();
        }
        return update({ typed: [...state.typed].slice(0, -1).join('') });
      case 'submitGap':
        return act(() => graded(session.answerGap(state.typed).correct));
      case 'giveUp':
        return act(() => graded(session.answerGap('').correct));
      case 'rate':
      case 'takeSuggested':
        if (resolved.action === 'takeSuggested' && !current.grade) return say((t) => t.rateWhich);
        return act(() => {
          const { cardId, rating, interval } = session.rate(resolved.index as Rating | undefined);
          return (t) => t.rated(cardId, t.rating[rating], interval);
        });
    }
  };

  /**
   * Runs a demo (with what-if knobs, `--set`), fire and forget: the quiz keeps taking keys meanwhile. run()
   * resolves on every outcome (a spawn error becomes a failed DemoRun), so there is no rejection to lose. Its
   * whole output then opens in the demo panel, scrollable, never cut.
   */
  const runDemo = (demo: string, knobs: Record<string, string>) => {
    say((t) => t.runningDemo(demo));
    void demos.run(demo, 'capture', session.lang, { knobs, kafka }).then((run) => {
      say((t) => t.demoResult(demo, run));
      const output = run.output.replace(/\s+$/, '');
      if (output !== '') panel.current = { demoId: demo, lines: output.split('\n'), scroll: 0 };
      rerender();
    });
  };

  /**
   * Predict, then run: once a prediction is committed, the card's demo runs (with the card's scenario knobs)
   * and what it showed is drawn beside the prediction as soon as it is known; the learner may rate meanwhile.
   */
  const runPrediction = (p: PresentedCard) => {
    const card = p.card;
    if (card.meta.type !== 'predict' || p.picks === null || session.current !== p) return;
    const cardId = card.meta.id;
    session.observe(RUNNING, cardId);
    void demos.run(card.meta.demo, 'capture', session.lang, { knobs: scenarioKnobs(card), kafka }).then((run) => {
      session.observe(observedOutcome(run), cardId);
      rerender();
    });
  };

  /** A key that does nothing in this state: say what would, when the learner plainly meant something. */
  const nudge = (current: PresentedCard, input: string) => {
    if (current.stage === 'question' && /^[1-4]$/.test(input))
      return say(current.card.meta.type === 'open' ? (t) => t.revealFirst : (t) => t.errors.answerFirst);
    if (!/^[a-z]$/.test(input)) return;
    if (COMMAND_LETTERS.includes(input.toUpperCase())) return say((t) => t.commandsAreUpperCase(input));
    const last = CHOICE_LETTERS[choiceCount(current.card) - 1];
    if (current.stage === 'question' && last) return say((t) => t.errors.notAChoice(input, last));
  };

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
      {headerRows.map((row, i) => (
        <Text key={`header-${i}`} dimColor={color}>
          {row}
        </Text>
      ))}
      {help ? (
        <HelpPanel text={text} color={color} />
      ) : (
        <CardBody lines={shown} scroll={scroll} height={bodyHeight} text={text} color={color} />
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
      {messageRows.map((row, i) => (
        <Text key={`message-${i}`}>{row}</Text>
      ))}
      {footer.map((row, i) => (
        <Text key={`footer-${i}`} dimColor={color}>
          {row}
        </Text>
      ))}
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
  /** The interview sections expanded below the answer (`I`). */
  sections: boolean;
}

function freshUi(card: PresentedCard | undefined): CardUi {
  return { card, cursor: 0, marked: [], typed: '', scroll: 0, sections: false };
}

/** The knobs panel: the demo's knobs as `kq demo --knobs` lists them (null while loading) and what is typed. */
interface KnobsPanel {
  demoId: string;
  lines: string[] | null;
  typed: string;
}

/** A finished demo's output, shown whole over the card and scrolled like it. */
interface DemoPanel {
  demoId: string;
  lines: string[];
  scroll: number;
}

function graded(correct: boolean): Phrase {
  return (t) => t.graded(correct);
}

/** A Phrase about a value a session call returned (a card id, the new language). */
function noteOn<T>(value: T, note: (t: UiText, value: T) => string): Phrase {
  return (t) => note(t, value);
}
