import chalk from 'chalk';
import { Marked } from 'marked';
import { markedTerminal } from 'marked-terminal';

/**
 * Markdown → terminal text with marked + marked-terminal. Loaded only by the commands that draw (it costs
 * ~0.35 s bundled). With colour off, every style is the identity and chalk's level is 0, so the output has no
 * escape codes at all; tables are laid out by cli-table3, which measures CJK characters as two columns.
 */
export function renderMarkdown(markdown: string, options: { color: boolean; width?: number }): string {
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
  const marked = new Marked(
    markedTerminal({
      ...styles,
      width,
      reflowText: false,
      emoji: false,
      tab: 2,
      tableOptions: options.color ? {} : { style: { head: [], border: [] } },
    }),
  );
  return marked.parse(markdown, { async: false }).replace(/\n{3,}/g, '\n\n');
}
