import { displayWidth, textTable } from './text-table.js';
import { wrapText } from './wrap-text.js';

/**
 * A text table squeezed into `width` columns: every column but the last keeps its natural width and the last
 * one wraps inside the room left (CJK-aware, wrap-text.ts), its continuation rows aligned under it. When that
 * room is too small for reading (a narrow terminal), each row becomes a line of the other columns followed by
 * the last column wrapped below it, indented. Loaded only when a table does not fit (it pulls in the line
 * breaker), so a piped `kq list` never pays for it.
 */
const MIN_LAST_COLUMN = 24;
const STACK_INDENT = 4;

export function fitTable(rows: string[][], width: number, gap = 2): string {
  const fixed = textTable(
    rows.map((row) => row.slice(0, -1)),
    gap,
  )
    .split('\n')
    .map((line) => line.trimEnd());
  const column = Math.max(0, ...fixed.map(displayWidth)) + gap;
  const room = width - column;
  const out: string[] = [];
  rows.forEach((row, i) => {
    const last = row.at(-1) ?? '';
    if (room >= MIN_LAST_COLUMN) {
      const pad = fixed[i]! + ' '.repeat(column - displayWidth(fixed[i]!));
      wrapText(last, room, { indent: 0 }).forEach((text, j) =>
        out.push(`${j === 0 ? pad : ' '.repeat(column)}${text}`),
      );
    } else {
      out.push(fixed[i]!);
      for (const text of wrapText(last, width - STACK_INDENT, { indent: 0 })) out.push(' '.repeat(STACK_INDENT) + text);
    }
  });
  return out.map((line) => line.trimEnd()).join('\n');
}
