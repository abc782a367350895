import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Terminal cells a string takes: CJK and other wide characters count two, combining marks and zero-width
 * characters none. Not string-width: it segments graphemes with Intl.Segmenter, whose ICU start-up alone cost
 * ~27 ms of `kq list`; card titles hold no emoji sequences that would need it.
 */
export function displayWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length; // printable ASCII: the common case, one cell each
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || ZERO_WIDTH.test(char)) continue;
    width += eastAsianWidth(code);
  }
  return width;
}

const ZERO_WIDTH = /^[\p{Mark}\p{Default_Ignorable_Code_Point}]$/u;

/**
 * Left-aligned columns measured in terminal cells, for list-like output that must stay aligned in Chinese.
 * The last column is never padded, so lines carry no trailing spaces.
 */
export function textTable(rows: string[][], gap = 2): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - displayWidth(cell) + gap)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}
