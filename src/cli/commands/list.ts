import { Command, Option } from 'commander';
import { cardSummary } from '../../bank/card-json.js';
import { cardsWithTags, openBank } from '../bank-access.js';
import { LANGS, resolveLang } from '../lang.js';
import { textTable } from '../text-table.js';

/** `kq list [--tag T ...] [--json]`: every card, one line each, or the JSON array of summaries. */
export function listCommand(): Command {
  return new Command('list')
    .description('list the question cards')
    .option('-t, --tag <tag...>', 'only cards with every one of these tags')
    .addOption(new Option('--lang <lang>', 'language of the titles').choices(LANGS))
    .option('--json', 'print one JSON array of card summaries on stdout')
    .action(async (options: { tag?: string[]; lang?: string; json?: boolean }) => {
      const bank = await openBank();
      const cards = cardsWithTags(bank, options.tag ?? []);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(cards.map(cardSummary), null, 2)}\n`);
        return;
      }
      const lang = resolveLang(options.lang);
      const rows = cards.map((c) => [c.meta.id, c.meta.type, '★'.repeat(c.meta.difficulty), c.meta.title[lang], c.meta.tags.join(',')]);
      process.stdout.write(`${textTable(rows)}\n`);
      process.stderr.write(`${cards.length} card${cards.length === 1 ? '' : 's'}\n`);
    });
}
