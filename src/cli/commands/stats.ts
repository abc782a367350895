import { Command } from 'commander';
import { deckStats } from '../../srs/deck-stats.js';
import { openBank } from '../bank-access.js';
import { colorEnabled } from '../color.js';
import { openProgress } from '../progress-access.js';
import { statsText } from '../stats-text.js';

/** `kq stats [--json]`: what the review log says about the learner's progress, at KQ_NOW or now. */
export function statsCommand(): Command {
  return new Command('stats')
    .description('show review counts, true retention, the 14-day due forecast and mastery per tag')
    .option('--json', 'print the statistics as one JSON object on stdout')
    .action(async (options: { json?: boolean }) => {
      const progress = openProgress();
      const cards = (await openBank()).cards.map((c) => ({ id: c.meta.id, tags: c.meta.tags }));
      const stats = deckStats(progress.log.events, cards, progress.now);
      if (options.json) process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      else process.stdout.write(statsText(stats, { color: colorEnabled(process.stdout) }));
    });
}
