import stringWidth from 'string-width';

/**
 * Left-aligned columns measured in terminal cells (a CJK character is two), for list-like output that must
 * stay aligned in Chinese. The last column is never padded, so lines carry no trailing spaces.
 */
export function textTable(rows: string[][], gap = 2): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, stringWidth(cell))));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - stringWidth(cell) + gap)))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}
