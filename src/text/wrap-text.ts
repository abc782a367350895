import { createRequire } from 'node:module';
import type LineBreakerClass from 'linebreak';
import { displayWidth } from './text-table.js';

/**
 * Wraps terminal text (possibly with SGR colour codes) to a column width, breaking only where the Unicode line
 * breaking algorithm (UAX #14, via the `linebreak` package) allows: at spaces in Latin text, between CJK
 * characters, never before closing punctuation (`。`, `，`, `）`, `」`) nor after opening punctuation, never
 * inside a Latin word mixed into Chinese. A piece wider than a whole line (a URL) is cut by columns.
 *
 * Continuation lines are indented to where the first line's text starts after a list bullet, choice letter or
 * checkbox (`  * `, `▸ `, `❯ [ ] b) `), so wrapped items stay readable. A colour open at a break is closed at
 * the end of the row and reopened on the next, as each row is drawn on its own.
 *
 * Why not wrap-ansi (ink's wrapper): it breaks only at spaces, so a Chinese paragraph is one word cut
 * anywhere, and a row may start with `。`.
 */
export interface WrapOptions {
  /** Columns to indent continuation lines; default: detected from the line's bullet or choice prefix. */
  indent?: number;
}

// An SGR escape sequence is the point of this pattern.
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;
/** Marks a row must not start with (UAX #14 classes CL, CP, IS, EX in CJK text). */
const CLOSING = /^[，。、；：？！）」』】》〉,.;:!?)\]]$/u;
const HANGING_PREFIX = /^\s*(?:(?:[-*+•▸❯✓✗]|\d+[.)])\s+)?(?:\[[ xX]\]\s+)?(?:[a-z]\)\s+)?/u;

export function wrapText(text: string, width: number, options: WrapOptions = {}): string[] {
  const max = Math.max(10, Math.floor(width));
  return text.split('\n').flatMap((line) => wrapLine(line, max, options));
}

function wrapLine(line: string, max: number, options: WrapOptions): string[] {
  const { plain, codesAt } = splitCodes(line);
  if (displayWidth(plain) <= max) return [line];
  const detected = displayWidth(HANGING_PREFIX.exec(plain)?.[0] ?? '');
  const indent = Math.min(options.indent ?? detected, Math.floor(max / 2));

  // [start, end) ranges of `plain`, one per row
  const breaks = breakOpportunities(plain);
  const rows: Array<[number, number]> = [];
  let rowStart = 0;
  let rowEnd = 0;
  let used = 0;
  const room = () => (rows.length === 0 ? max : max - indent);
  let previous = 0;
  for (const position of breaks) {
    const chunk = plain.slice(previous, position);
    const fit = displayWidth(chunk.trimEnd());
    if (used > 0 && used + fit > room()) {
      rows.push([rowStart, rowEnd]);
      rowStart = previous;
      used = 0;
    }
    if (used === 0 && fit > room()) {
      // wider than a whole row: cut it by columns, never leaving a closing mark to start the next row
      const chars = [...chunk];
      let cut = previous;
      let cutUsed = 0;
      chars.forEach((ch, k) => {
        const w = displayWidth(ch);
        if (cutUsed + w > room() && cutUsed > 0) {
          const back = CLOSING.test(ch) && k > 0 && cut - chars[k - 1]!.length > rowStart ? chars[k - 1]! : '';
          rows.push([rowStart, cut - back.length]);
          rowStart = cut - back.length;
          cutUsed = displayWidth(back);
        }
        cut += ch.length;
        cutUsed += w;
      });
      used = cutUsed;
    } else used += displayWidth(chunk);
    rowEnd = position;
    previous = position;
  }
  if (rowEnd > rowStart || rows.length === 0) rows.push([rowStart, plain.length]);

  const active: string[] = [];
  return rows.map(([start, end], i) => {
    let out = i === 0 ? '' : ' '.repeat(indent) + active.join('');
    for (let at = start; at < end; at++) {
      for (const code of codesAt.get(at) ?? []) {
        out += code;
        track(active, code);
      }
      out += plain[at];
    }
    if (end === plain.length) {
      for (const code of codesAt.get(end) ?? []) {
        out += code;
        track(active, code);
      }
    }
    out = out.replace(/ +((?:\x1b\[[0-9;]*m)*)$/, '$1'); // eslint-disable-line no-control-regex
    return active.length > 0 && end < plain.length ? `${out}\x1b[0m` : out;
  });
}

/** East Asian scripts and full-width forms: a row with any of them needs the full line breaking rules. */
const EAST_ASIAN = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/u;

let lineBreaker: typeof LineBreakerClass | undefined;

/**
 * Where `text` may break: after each run of spaces for Latin text (what UAX #14 gives there, hyphens aside),
 * the `linebreak` package's opportunities once East Asian text is in it. The package (~100 KB with its
 * Unicode tables) is loaded on first need, so an English quiz's first frame does not pay for it.
 */
function breakOpportunities(text: string): number[] {
  if (!EAST_ASIAN.test(text)) {
    const positions = [...text.matchAll(/ +/g)].map((m) => m.index + m[0].length);
    if (positions.at(-1) !== text.length) positions.push(text.length);
    return positions;
  }
  // a runtime require, not an import: the bundler keeps it out of the start-up chunks
  lineBreaker ??= createRequire(import.meta.url)('linebreak') as typeof LineBreakerClass;
  const breaker = new lineBreaker(text);
  const positions: number[] = [];
  for (let b = breaker.nextBreak(); b; b = breaker.nextBreak()) positions.push(b.position);
  return positions;
}

/** The text without escape codes, and the codes found before each index of it. */
function splitCodes(line: string): { plain: string; codesAt: Map<number, string[]> } {
  const codesAt = new Map<number, string[]>();
  let plain = '';
  let last = 0;
  for (const match of line.matchAll(SGR)) {
    plain += line.slice(last, match.index);
    const list = codesAt.get(plain.length) ?? [];
    list.push(match[0]);
    codesAt.set(plain.length, list);
    last = match.index + match[0].length;
  }
  plain += line.slice(last);
  return { plain, codesAt };
}

/** Which attribute each SGR "off" code ends: 22 bold/dim, 23 italic, 24 underline, 39 colour, 49 background. */
const CLOSES: Record<string, (n: number) => boolean> = {
  '22': (n) => n === 1 || n === 2,
  '23': (n) => n === 3,
  '24': (n) => n === 4,
  '27': (n) => n === 7,
  '29': (n) => n === 9,
  '39': (n) => (n >= 30 && n <= 38) || (n >= 90 && n <= 97),
  '49': (n) => (n >= 40 && n <= 48) || (n >= 100 && n <= 107),
};

/** Keeps `active` the list of SGR codes in effect after `code`. */
function track(active: string[], code: string): void {
  const params = code.slice(2, -1);
  if (params === '' || params === '0') {
    active.length = 0;
    return;
  }
  const closes = CLOSES[params];
  if (!closes) {
    active.push(code);
    return;
  }
  for (let i = active.length - 1; i >= 0; i--) {
    const first = Number(active[i]!.slice(2, -1).split(';')[0]);
    if (closes(first)) active.splice(i, 1);
  }
}
