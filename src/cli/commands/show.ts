import { Command, Option } from 'commander';
import { cardDetail } from '../../bank/card-json.js';
import { cardMarkdown } from '../../bank/card-markdown.js';
import { findCard, openBank } from '../bank-access.js';
import { colorEnabled } from '../color.js';
import { LANGS, resolveLang } from '../lang.js';
import { outputWidth } from '../terminal-width.js';

/** `kq show <id>`: one card rendered for the terminal, or its full JSON (both languages). */
export function showCommand(): Command {
  return new Command('show')
    .description('show one card with its answer')
    .argument('<id>', 'card id (see kq list)')
    .addOption(
      new Option('--lang <lang>', 'language (default: KQ_LANG, then the config, then LC_ALL/LANG)').choices(LANGS),
    )
    .option('--no-answer', 'show only the question')
    .option('--json', 'print the card as JSON on stdout (both languages)')
    .action(async (id: string, options: { lang?: string; answer: boolean; json?: boolean }) => {
      const card = findCard(await openBank(), id);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(cardDetail(card), null, 2)}\n`);
        return;
      }
      const markdown = cardMarkdown(card, resolveLang(options.lang), { answer: options.answer });
      const { layoutMarkdown } = await import('../../text/terminal-markdown.js');
      // one column short of the terminal, so a full row never makes the terminal wrap it again
      const rows = layoutMarkdown(markdown, {
        color: colorEnabled(process.stdout),
        width: outputWidth(process.stdout) - 1,
      });
      process.stdout.write(`${rows.join('\n')}\n`);
    });
}
