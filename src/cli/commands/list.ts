import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { cardSummary, type CardSummary } from '../../bank/card-json.js';
import { effectiveDue, type CardProgress } from '../../srs/deck-state.js';
import { formatInterval } from '../../srs/interval.js';
import { reviewLogPath } from '../../store/data-dir.js';
import { cardsWithTags, openBank } from '../bank-access.js';
import { LANGS, resolveLang } from '../lang.js';
import { openProgress, type Progress } from '../progress-access.js';
import { textTable } from '../text-table.js';

/** A card summary with when it is next due: an ISO time, or null (never reviewed, suspended, or no log). */
export interface ListedCard extends CardSummary {
  due: string | null;
}

/**
 * `kq list [--tag T ...] [--json]`: every card, one line each, or the JSON array of summaries. Once a
 * review log exists, each line also says when the card is due ("new", "now", "in 3d", "suspended").
 */
export function listCommand(): Command {
  return new Command('list')
    .description('list the question cards')
    .option('-t, --tag <tag...>', 'only cards with every one of these tags')
    .addOption(new Option('--lang <lang>', 'language of the titles').choices(LANGS))
    .option('--json', 'print one JSON array of card summaries on stdout')
    .action((options: { tag?: string[]; lang?: string; json?: boolean }) => {
      const bank = openBank();
      const cards = cardsWithTags(bank, options.tag ?? []);
      // without a log there is nothing to say about due dates, and nothing to read
      const progress = existsSync(reviewLogPath()) ? openProgress() : null;
      if (options.json) {
        const listed: ListedCard[] = cards.map((c) => ({ ...cardSummary(c), due: effectiveDue(progress?.cards.get(c.meta.id))?.toISOString() ?? null }));
        process.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
        return;
      }
      const lang = resolveLang(options.lang);
      const rows = cards.map((c) => {
        const row = [c.meta.id, c.meta.type, '★'.repeat(c.meta.difficulty), c.meta.title[lang], c.meta.tags.join(',')];
        if (progress) row.splice(1, 0, dueLabel(progress, progress.cards.get(c.meta.id)));
        return row;
      });
      process.stdout.write(`${textTable(rows)}\n`);
      process.stderr.write(`${cards.length} card${cards.length === 1 ? '' : 's'}\n`);
    });
}

/** "new", "now", "in 3d" or "suspended". */
export function dueLabel(progress: Progress, card: CardProgress | undefined): string {
  if (card?.suspended) return 'suspended';
  const due = effectiveDue(card);
  if (due === null) return 'new';
  const wait = due.getTime() - progress.now.getTime();
  return wait <= 0 ? 'now' : `in ${formatInterval(wait)}`;
}
