import { CHOICE_LETTERS } from '../bank/card-markdown.js';
import type { CardType } from '../bank/card-schema.js';
import type { CardStage } from '../quiz/quiz-session.js';
import type { KeyAction, UiText } from '../quiz/ui-text.js';

/**
 * The quiz's keys as data: for each state of the card on screen, which key does what, and which of those the
 * footer names. The app's input handler dispatches through `resolveKey` and the footer is drawn from
 * `footerItems`, so the footer cannot name a key that does something else (test/tui/key-map.test.ts reads the
 * drawn footer back and checks each key it names against `resolveKey`).
 *
 * The scheme: lower-case letters are choices (a–z), commands are upper case (U B S D L Q, plus `?`) in every
 * state, so `b` picks choice b and `B` buries wherever the learner is. While a gap answer is being typed every
 * printable key is text: Enter submits, Esc gives up, Ctrl+C quits.
 */
/**
 * `demo`: the demo panel is open over the card (its output, scrollable); `knobs`: the knobs panel, where
 * `knob=value` settings are typed before the demo runs with them.
 */
export type KeyState = 'open' | 'pick' | 'predict' | 'multi' | 'gap' | 'answer' | 'demo' | 'knobs';

/** One key press as ink reports it: the text typed and the named keys held or pressed. */
export interface KeyPress {
  input: string;
  key: Partial<Record<KeyName, boolean>>;
}

const NAMED_KEYS = [
  'return',
  'escape',
  'upArrow',
  'downArrow',
  'pageUp',
  'pageDown',
  'backspace',
  'delete',
  'ctrl',
  'meta',
  'tab',
] as const;
export type KeyName = (typeof NAMED_KEYS)[number];

export interface ResolvedKey {
  action: KeyAction;
  /** The choice a letter names (pick, toggle), or the rating a digit gives. */
  index?: number;
}

interface Binding {
  action: KeyAction;
  /** How the footer and help write the key; null keeps the binding out of the footer. */
  label: ((choices: number) => string) | null;
  matches: (press: KeyPress, choices: number) => ResolvedKey | null;
}

const is =
  (action: KeyAction, test: (press: KeyPress) => boolean) =>
  (press: KeyPress): ResolvedKey | null =>
    test(press) ? { action } : null;

const named = (name: KeyName) => (press: KeyPress) => press.key[name] === true;
const typed = (text: string) => (press: KeyPress) => press.input === text && !press.key.ctrl && !press.key.meta;

function choiceLetter(action: KeyAction) {
  return (press: KeyPress, choices: number): ResolvedKey | null => {
    if (press.key.ctrl || press.key.meta || !/^[a-z]$/.test(press.input)) return null;
    const index = CHOICE_LETTERS.indexOf(press.input);
    return index < choices ? { action, index } : null;
  };
}

const letterRange = (choices: number) => `a–${CHOICE_LETTERS[Math.max(0, choices - 1)]}`;

/** Upper-case commands, the same in every state but the gap prompt. */
const COMMANDS: Binding[] = [
  { action: 'knobs', label: () => 'K', matches: is('knobs', typed('K')) },
  { action: 'undo', label: () => 'U', matches: is('undo', typed('U')) },
  { action: 'bury', label: () => 'B', matches: is('bury', typed('B')) },
  { action: 'suspend', label: () => 'S', matches: is('suspend', typed('S')) },
  { action: 'demo', label: () => 'D', matches: is('demo', typed('D')) },
  { action: 'language', label: () => 'L', matches: is('language', typed('L')) },
  { action: 'help', label: () => '?', matches: is('help', typed('?')) },
  { action: 'quit', label: () => 'Q', matches: is('quit', typed('Q')) },
];

const SCROLL: Binding[] = [
  { action: 'pageUp', label: null, matches: is('pageUp', named('pageUp')) },
  { action: 'pageDown', label: null, matches: is('pageDown', named('pageDown')) },
];

const MOVE: Binding[] = [
  { action: 'cursorUp', label: () => '↑↓', matches: is('cursorUp', named('upArrow')) },
  { action: 'cursorDown', label: null, matches: is('cursorDown', named('downArrow')) },
];

const BINDINGS: Record<KeyState, Binding[]> = {
  open: [
    { action: 'reveal', label: () => 'Space/Enter', matches: is('reveal', (p) => typed(' ')(p) || named('return')(p)) },
  ],
  pick: [
    { action: 'pickLetter', label: letterRange, matches: choiceLetter('pickLetter') },
    ...MOVE,
    { action: 'pickCursor', label: () => 'Enter', matches: is('pickCursor', named('return')) },
  ],
  predict: [
    { action: 'pickLetter', label: letterRange, matches: choiceLetter('pickLetter') },
    ...MOVE,
    { action: 'pickCursor', label: () => 'Enter', matches: is('pickCursor', named('return')) },
    { action: 'skipPrediction', label: () => 'Space', matches: is('skipPrediction', typed(' ')) },
  ],
  multi: [
    { action: 'toggleLetter', label: letterRange, matches: choiceLetter('toggleLetter') },
    ...MOVE,
    { action: 'toggleCursor', label: () => 'Space', matches: is('toggleCursor', typed(' ')) },
    { action: 'submitMarks', label: () => 'Enter', matches: is('submitMarks', named('return')) },
  ],
  gap: [
    {
      action: 'typeText',
      label: () => '',
      matches: is('typeText', (p) => p.input !== '' && !NAMED_KEYS.some((name) => p.key[name] === true)),
    },
    { action: 'submitGap', label: () => 'Enter', matches: is('submitGap', named('return')) },
    { action: 'giveUp', label: () => 'Esc', matches: is('giveUp', named('escape')) },
    {
      action: 'deleteChar',
      label: null,
      matches: is('deleteChar', (p) => named('backspace')(p) || named('delete')(p)),
    },
    { action: 'quit', label: () => 'Ctrl+C', matches: is('quit', (p) => p.key.ctrl === true && p.input === 'c') },
  ],
  answer: [
    {
      action: 'rate',
      label: () => '1–4',
      matches: (p) => (/^[1-4]$/.test(p.input) && !p.key.ctrl ? { action: 'rate', index: Number(p.input) } : null),
    },
    { action: 'takeSuggested', label: () => 'Enter', matches: is('takeSuggested', named('return')) },
    { action: 'scrollUp', label: () => '↑↓', matches: is('scrollUp', named('upArrow')) },
    { action: 'scrollDown', label: null, matches: is('scrollDown', named('downArrow')) },
    { action: 'sections', label: () => 'I', matches: is('sections', typed('I')) },
  ],
  knobs: [
    {
      action: 'typeText',
      label: () => '',
      matches: is('typeText', (p) => p.input !== '' && !NAMED_KEYS.some((name) => p.key[name] === true)),
    },
    { action: 'runWithKnobs', label: () => 'Enter', matches: is('runWithKnobs', named('return')) },
    { action: 'closePanel', label: () => 'Esc', matches: is('closePanel', named('escape')) },
    {
      action: 'deleteChar',
      label: null,
      matches: is('deleteChar', (p) => named('backspace')(p) || named('delete')(p)),
    },
    { action: 'quit', label: () => 'Ctrl+C', matches: is('quit', (p) => p.key.ctrl === true && p.input === 'c') },
  ],
  demo: [
    { action: 'scrollUp', label: () => '↑↓', matches: is('scrollUp', named('upArrow')) },
    { action: 'scrollDown', label: null, matches: is('scrollDown', named('downArrow')) },
    { action: 'pageDown', label: () => 'PgDn', matches: is('pageDown', named('pageDown')) },
    { action: 'pageUp', label: () => 'PgUp', matches: is('pageUp', named('pageUp')) },
    {
      action: 'closePanel',
      label: () => 'Esc',
      matches: is('closePanel', (p) => named('escape')(p) || named('return')(p)),
    },
  ],
};

export function keyState(type: CardType, stage: CardStage): KeyState {
  if (stage === 'answer') return 'answer';
  if (type === 'choice') return 'pick';
  return type;
}

/** Commands that still make sense over the demo panel: run it again, its knobs, language, help, quit. */
const PANEL_COMMANDS = COMMANDS.filter((b) => ['demo', 'knobs', 'language', 'help', 'quit'].includes(b.action));

function bindingsOf(state: KeyState): Binding[] {
  // the gap prompt takes every printable key as text; only Ctrl+C (handled before the map) leaves it
  if (state === 'gap' || state === 'knobs') return BINDINGS[state];
  if (state === 'demo') return [...BINDINGS.demo, ...PANEL_COMMANDS];
  return [...BINDINGS[state], ...SCROLL, ...COMMANDS];
}

/** What a key press does in `state`, or null when it does nothing there. Ctrl+C is the app's, in every state. */
export function resolveKey(state: KeyState, press: KeyPress, choices: number): ResolvedKey | null {
  for (const binding of bindingsOf(state)) {
    const resolved = binding.matches(press, choices);
    if (resolved) return resolved;
  }
  return null;
}

/** Whether the answer stage has a suggestion for Enter to take (a graded card). */
export interface FooterContext {
  choices: number;
  graded: boolean;
}

export interface FooterItem {
  keys: string;
  action: KeyAction;
  text: string;
}

/** The footer's items for `state`, in the session's language: the keys that do something now, and what. */
export function footerItems(state: KeyState, text: UiText, context: FooterContext): FooterItem[] {
  return bindingsOf(state).flatMap((binding) => {
    if (!binding.label) return [];
    if (binding.action === 'takeSuggested' && !context.graded) return [];
    return [{ keys: binding.label(context.choices), action: binding.action, text: text.keyActions[binding.action] }];
  });
}

/** The footer as rows no wider than `width` (see flowRows), so nothing is cut at 60 columns. */
export function footerRows(items: readonly FooterItem[], width: number, measure: (s: string) => number): string[] {
  return flowRows(
    items.map((item) => (item.keys === '' ? item.text : `${item.keys} ${item.text}`)),
    width,
    measure,
  );
}

/**
 * Pieces joined with ` · ` into rows no wider than `width`: a new row starts where the next piece would not
 * fit. Used for the footer and the header, which would otherwise be cut at the right edge.
 */
export function flowRows(pieces: readonly string[], width: number, measure: (s: string) => number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const piece of pieces) {
    const candidate = row === '' ? piece : `${row} · ${piece}`;
    if (row !== '' && measure(candidate) > width) {
      rows.push(row);
      row = piece;
    } else row = candidate;
  }
  if (row !== '') rows.push(row);
  return rows;
}

/**
 * Splits what ink delivered as one input into the key presses it stands for: keys typed together (a paste,
 * tmux `send-keys 'bc'`, a fast typist) arrive as one string, and each character is its own key. A named key
 * (an arrow, Enter alone) is passed through unchanged.
 */
export function splitPresses(input: string, key: KeyPress['key']): KeyPress[] {
  const chars = [...input];
  // a named key keeps its input: ink leaves e.g. '[6~' as the input of PgDn
  if (chars.length <= 1 || NAMED_KEYS.some((name) => key[name] === true)) return [{ input, key }];
  return chars.map((ch) =>
    ch === '\r' || ch === '\n' ? { input: '', key: { return: true } } : { input: ch, key: {} },
  );
}
