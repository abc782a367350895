import chalk from 'chalk';
import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';
import { joinSoftBreaks } from './soft-breaks.js';
import { wrapText } from './wrap-text.js';

/**
 * Markdown → terminal text with marked + marked-terminal. Loaded only by the commands that draw (it costs
 * ~0.35 s bundled). With colour off, every style is the identity and chalk's level is 0, so the output has no
 * escape codes at all; tables are laid out by cli-table3, which measures CJK characters as two columns.
 */
export function renderMarkdown(markdown: string, options: { color: boolean; width?: number }): string {
  return terminalMarked(options)
    .parse(markdown, { async: false })
    .replace(/\n{3,}/g, '\n\n');
}

/**
 * Markdown laid out for a terminal `width` columns wide, as rows: the source's own line breaks inside
 * paragraphs and list items are joined, then the rendered text is wrapped by wrap-text.ts's rules (CJK-aware,
 * continuation rows indented under their bullet). `kq show` and the quiz both draw cards through it.
 */
export function layoutMarkdown(markdown: string, options: { color: boolean; width: number }): string[] {
  const rendered = renderMarkdown(joinSoftBreaks(markdown), options).replace(/\n+$/, '');
  return wrapText(strongLeftOver(rendered, options.color), options.width);
}

/**
 * CommonMark does not open `**` after a CJK character when punctuation follows (`来自**"处理"…**`), so the
 * markers reach the screen; the text between them is made bold (or left plain) here instead.
 */
function strongLeftOver(text: string, color: boolean): string {
  return text.replace(/\*\*(\S(?:[^*\n]*?\S)?)\*\*/g, (_all, inner: string) => (color ? chalk.bold(inner) : inner));
}

/** One line of Markdown (a choice, a key point): its **bold**, *emphasis* and `code` styled, markers gone. */
export function renderInline(markdown: string, options: { color: boolean }): string {
  return terminalMarked(options).parseInline(markdown, { async: false });
}

function terminalMarked(options: { color: boolean; width?: number }): Marked {
  chalk.level = options.color ? (Math.max(chalk.level, 1) as 1 | 2 | 3) : 0;
  const width = Math.max(40, Math.min(options.width ?? 80, 100));
  const plain = (s: string) => s;
  const styles = options.color
    ? {}
    : {
        code: plain,
        blockquote: plain,
        html: plain,
        heading: plain,
        firstHeading: plain,
        hr: plain,
        listitem: plain,
        table: plain,
        paragraph: plain,
        strong: plain,
        em: plain,
        codespan: plain,
        del: plain,
        link: plain,
        href: plain,
      };
  return new Marked(
    markedTerminal({
      ...styles,
      width,
      reflowText: false,
      emoji: false,
      tab: 2,
      tableOptions: options.color ? {} : { style: { head: [], border: [] } },
    }),
    {
      // marked-terminal draws a tight list item's text token as raw text, so `**bold**` and backticks showed
      // through in list items; render the token's inline children as marked's own renderer does.
      renderer: {
        text(token) {
          return 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
        },
      },
    },
  );
}
