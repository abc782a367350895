/**
 * Joins the soft line breaks inside Markdown paragraphs. Card files wrap their prose at ~120 columns, and the
 * terminal renderer keeps those breaks (reflow is off so CJK text is not split badly), which on a narrower
 * screen leaves ragged half-lines. The quiz re-wraps to the terminal itself, so it joins a paragraph's lines
 * first: without a space between CJK characters, with one otherwise. Fenced code, lists, tables, quotes and
 * headings keep their lines.
 */
const STRUCTURE = /^\s*([-*+]\s|\d+[.)]\s|#|\||>|```|~~~)/;
const CJK_END = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]$/u;
const CJK_START = /^[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

export function joinSoftBreaks(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  let joinable = false;
  for (const line of markdown.split('\n')) {
    const fence = /^\s*(```|~~~)/.test(line);
    if (fence) inFence = !inFence;
    const prose = !inFence && !fence && line.trim() !== '' && !STRUCTURE.test(line) && !/^\s{4}/.test(line);
    if (prose && joinable && out.length > 0) {
      const previous = out.pop()!;
      const glue = CJK_END.test(previous) || CJK_START.test(line.trimStart()) ? '' : ' ';
      out.push(previous.trimEnd() + glue + line.trimStart());
    } else {
      out.push(line);
    }
    // a list item's continuation lines stay as written; only paragraph lines join
    joinable = prose;
  }
  return out.join('\n');
}
