/**
 * Joins the soft line breaks inside Markdown paragraphs and list items. Card files wrap their prose at ~120
 * columns, and the terminal renderer keeps those breaks (reflow is off so CJK text is not split badly), which
 * on another width leaves ragged half-lines. The quiz and `kq show` re-wrap to the terminal themselves
 * (wrap-text.ts), so the lines are joined first: without a space between CJK characters, with one otherwise.
 * A list item's indented continuation lines join the item. Fenced code, tables, quotes and headings keep
 * their lines.
 */
const STRUCTURE = /^\s*([-*+]\s|\d+[.)]\s|#|\||>|```|~~~)/;
const LIST_ITEM = /^\s*([-*+]\s|\d+[.)]\s)/;
const CJK_END = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]$/u;
const CJK_START = /^[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

export function joinSoftBreaks(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  // what the previous line belongs to: a paragraph or list item a following line may continue, or nothing
  let open: 'none' | 'paragraph' | 'item' = 'none';
  const join = (line: string) => {
    const previous = out.pop()!;
    const glue = CJK_END.test(previous) || CJK_START.test(line.trimStart()) ? '' : ' ';
    out.push(previous.trimEnd() + glue + line.trimStart());
  };
  for (const line of markdown.split('\n')) {
    const fence = /^\s*(```|~~~)/.test(line);
    if (fence) inFence = !inFence;
    if (fence || inFence || line.trim() === '' || (STRUCTURE.test(line) && !LIST_ITEM.test(line))) {
      out.push(line);
      open = 'none';
    } else if (LIST_ITEM.test(line)) {
      out.push(line);
      open = 'item';
    } else if (open !== 'none' && (open === 'item' || !/^\s{4}/.test(line))) {
      join(line); // a paragraph's next line, or an item's (indented or lazy) continuation
    } else {
      out.push(line);
      open = /^\s{4}/.test(line) ? 'none' : 'paragraph'; // four spaces start indented code
    }
  }
  return out.join('\n');
}
