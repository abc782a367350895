import { Command, Option } from 'commander';
import { deckStats } from '../../srs/deck-stats.js';
import { openBank } from '../bank-access.js';
import { colorEnabled } from '../color.js';
import { LANGS, resolveLang } from '../lang.js';
import { openProgress } from '../progress-access.js';
import { statsText } from '../stats-text.js';

/** `kq stats [--json] [--lang]`: what the review log says about the learner's progress, at KQ_NOW or now. */
export function statsCommand(): Command {
  return new Command('stats')
    .description('show review counts, true retention, the 14-day due forecast and mastery per tag')
    .option('--json', 'print the statistics as one JSON object on stdout')
    .addOption(
      new Option(
        '--lang <lang>',
        'language of the text output (default: KQ_LANG, then the config, then LC_ALL/LANG)',
      ).choices(LANGS),
    )
    .action(async (options: { json?: boolean; lang?: string }) => {
      const progress = openProgress();
      const cards = (await openBank()).cards.map((c) => ({ id: c.meta.id, tags: c.meta.tags }));
      const stats = deckStats(progress.log.events, cards, progress.now);
      if (options.json) return void process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      // the same order as `kq quiz`, so both speak the same language
      const env = process.env;
      const lang = resolveLang(options.lang, env);
      process.stdout.write(statsText(stats, { color: colorEnabled(process.stdout), lang }));
    });
}
