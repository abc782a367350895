/**
 * Markdown for plain-text output (`kq quiz --plain`, pipes, screen readers) without a renderer: the strong
 * emphasis markers go (`**Correct answer: d**` reads "Correct answer: d"); headings, lists and `code` stay
 * as written, since they read well as text. Light on purpose: plain mode must not load marked at start-up.
 */
export function plainMarkdown(markdown: string): string {
  const out: string[] = [];
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    out.push(inFence ? line : line.replace(/\*\*(\S(?:.*?\S)?)\*\*/g, '$1').replace(/__(\S(?:.*?\S)?)__/g, '$1'));
  }
  return out.join('\n');
}
