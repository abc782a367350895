import { describe, expect, it } from 'vitest';
import { UI_TEXT, type KeyAction, type UiText } from '../../src/quiz/ui-text.js';
import { displayWidth } from '../../src/text/text-table.js';
import {
  footerItems,
  footerRows,
  resolveKey,
  splitPresses,
  type KeyPress,
  type KeyState,
} from '../../src/tui/key-map.js';

/**
 * The footer never names a key that does something else: every footer the app can draw is read back as the
 * learner reads it (key, then what it does), each key it names is pressed through the handler's resolver, and
 * the action that comes back must be one the footer's words describe.
 */
const STATES: Array<{ state: KeyState; choices: number; graded: boolean }> = [
  { state: 'open', choices: 0, graded: false },
  ...[2, 3, 4, 5, 6].flatMap((choices) => [
    { state: 'pick' as const, choices, graded: false },
    { state: 'predict' as const, choices, graded: false },
    { state: 'multi' as const, choices, graded: false },
  ]),
  { state: 'gap', choices: 0, graded: false },
  { state: 'answer', choices: 0, graded: false },
  { state: 'answer', choices: 4, graded: true },
  { state: 'demo', choices: 0, graded: false },
  { state: 'knobs', choices: 0, graded: false },
];

const KEY_TOKEN = /^(?:[a-z]–[a-z]|1–4|↑↓|Space\/Enter|Space|Enter|Esc|Ctrl\+C|PgUp|PgDn|[A-Z?])$/;

/** The key presses a footer key label stands for, as a learner would type them. */
function pressesFor(label: string): KeyPress[] {
  const range = /^([a-z1-4])–([a-z1-4])$/.exec(label);
  if (range) {
    const presses: KeyPress[] = [];
    for (let c = range[1]!.charCodeAt(0); c <= range[2]!.charCodeAt(0); c++)
      presses.push({ input: String.fromCharCode(c), key: {} });
    return presses;
  }
  switch (label) {
    case '↑↓':
      return [
        { input: '', key: { upArrow: true } },
        { input: '', key: { downArrow: true } },
      ];
    case 'Space/Enter':
      return [...pressesFor('Space'), ...pressesFor('Enter')];
    case 'Space':
      return [{ input: ' ', key: {} }];
    case 'Enter':
      return [{ input: '', key: { return: true } }];
    case 'Esc':
      return [{ input: '', key: { escape: true, meta: true } }];
    case 'PgUp':
      return [{ input: '', key: { pageUp: true } }];
    case 'PgDn':
      return [{ input: '', key: { pageDown: true } }];
    case 'Ctrl+C':
      return [{ input: 'c', key: { ctrl: true } }];
    default:
      return [{ input: label, key: {} }];
  }
}

/** The actions whose footer words are `words` in this language ("move" is both cursor keys). */
function actionsNamed(text: UiText, words: string): KeyAction[] {
  return (Object.keys(text.keyActions) as KeyAction[]).filter((a) => text.keyActions[a] === words);
}

describe('the quiz footer and its key handler', () => {
  for (const lang of ['en', 'zh'] as const) {
    for (const width of [60, 80, 100, 120]) {
      it.each(STATES)(
        `${lang} at ${width} columns: every key the footer of $state ($choices choices, graded $graded) names does what it says`,
        ({ state, choices, graded }) => {
          const text = UI_TEXT[lang];
          const rows = footerRows(footerItems(state, text, { choices, graded }), width, displayWidth);
          expect(rows.length).toBeGreaterThan(0);
          for (const row of rows) expect(displayWidth(row), row).toBeLessThanOrEqual(width);
          const items = rows.join(' · ').split(' · ');
          for (const item of items) {
            const [first, ...rest] = item.split(' ');
            const hasKey = KEY_TOKEN.test(first!);
            const words = hasKey ? rest.join(' ') : item;
            const expected = actionsNamed(text, words);
            expect(expected, `footer words '${words}' name no action`).not.toEqual([]);
            // an item without a key is typing itself (the gap prompt): any letter types
            const presses = hasKey ? pressesFor(first!) : [{ input: 'x', key: {} }];
            for (const press of presses) {
              const resolved = resolveKey(state, press, choices);
              expect(resolved?.action, `'${first}' in '${item}' (${state})`).toBeOneOf(expected);
            }
          }
        },
      );
    }
  }

  it('lower-case letters pick choices and upper-case letters are commands on every card with choices', () => {
    for (const state of ['pick', 'predict', 'multi'] as const) {
      for (const letter of 'bdlqsu') {
        const pressed = resolveKey(state, { input: letter, key: {} }, 26);
        expect(pressed?.action).toBe(state === 'multi' ? 'toggleLetter' : 'pickLetter');
      }
      expect(resolveKey(state, { input: 'B', key: {} }, 26)?.action).toBe('bury');
      expect(resolveKey(state, { input: 'D', key: {} }, 26)?.action).toBe('demo');
    }
  });

  it('types every key into a gap answer, upper-case command letters included', () => {
    for (const input of ['B', 'q', 'D', '?', '中']) {
      expect(resolveKey('gap', { input, key: { shift: input === 'B' } as KeyPress['key'] }, 0)?.action).toBe(
        'typeText',
      );
    }
  });

  it('splits keys typed together into one press each, Enter included', () => {
    expect(splitPresses('bc', {})).toEqual([
      { input: 'b', key: {} },
      { input: 'c', key: {} },
    ]);
    expect(splitPresses('a\r', {}).map((p) => p.key.return === true)).toEqual([false, true]);
    expect(splitPresses('', { upArrow: true })).toEqual([{ input: '', key: { upArrow: true } }]);
    // ink reports PgDn with the rest of its escape sequence as input: one key, not three
    expect(splitPresses('[6~', { pageDown: true })).toEqual([{ input: '[6~', key: { pageDown: true } }]);
  });
});
