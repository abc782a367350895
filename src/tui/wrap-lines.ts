import stringWidth from 'string-width';

/**
 * Wraps rendered (possibly ANSI-coloured) text to a column width, so the quiz knows exactly how many screen
 * rows a card takes and can keep its live area smaller than the terminal (a frame taller than the screen
 * makes ink clear and redraw everything, which flickers). Latin text breaks at spaces; CJK text may break
 * between any two characters; a word longer than the line is cut.
 */
// The escape character is the point: an SGR colour code (ESC [ … m) takes no columns and must never be split.
/* eslint-disable no-control-regex */
const TOKEN =
  /\x1b\[[0-9;]*m|\s+|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]|[^\s\x1b\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff00-\uffef]+/gu;
/* eslint-enable no-control-regex */

export function wrapLines(text: string, width: number): string[] {
  const max = Math.max(10, width);
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (stringWidth(line) <= max) {
      out.push(line);
      continue;
    }
    let current = '';
    let used = 0;
    const flush = () => {
      out.push(current.trimEnd());
      current = '';
      used = 0;
    };
    for (const token of line.match(TOKEN) ?? []) {
      if (token.startsWith('\x1b')) {
        current += token;
        continue;
      }
      let piece = token;
      let w = stringWidth(piece);
      if (/^\s+$/.test(piece) && used + w > max) {
        flush();
        continue;
      }
      if (used + w > max && used > 0) flush();
      while (w > max) {
        // a word wider than the whole line: cut it character by character
        let cut = '';
        for (const ch of piece) {
          if (stringWidth(cut + ch) > max) break;
          cut += ch;
        }
        out.push(cut);
        piece = piece.slice(cut.length);
        w = stringWidth(piece);
      }
      current += piece;
      used += w;
    }
    if (current !== '' || used > 0) flush();
  }
  return out;
}
