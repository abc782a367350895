import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { cardSummary, type CardSummary } from '../../bank/card-json.js';
import { formatInterval } from '../../srs/interval.js';
import { now, reviewLogPath } from '../../store/data-dir.js';
import { logIdentity, readDueCache, writeDueCache, type DueEntry } from '../../store/due-cache.js';
import { cardsWithTags, openBank } from '../bank-access.js';
import { LANGS, resolveLang } from '../lang.js';
import { displayWidth, textTable } from '../../text/text-table.js';

/** A card summary with when it is next due: an ISO time, or null (never reviewed, suspended, or no log). */
export interface ListedCard extends CardSummary {
  due: string | null;
  state: CardState;
}

/**
 * Where a card stands for the learner: never reviewed (new), due now, scheduled later, hidden until a time
 * (buried) or until unsuspended. Suspended wins over buried, and buried over new: a buried new card is hidden.
 */
export const CARD_STATES = ['new', 'due', 'scheduled', 'buried', 'suspended'] as const;
export type CardState = (typeof CARD_STATES)[number];

export function cardState(entry: DueEntry | undefined, clock: Date): CardState {
  if (entry?.suspended) return 'suspended';
  if (entry?.buriedUntil && Date.parse(entry.buriedUntil) > clock.getTime()) return 'buried';
  if (!entry?.due) return 'new';
  return Date.parse(entry.due) <= clock.getTime() ? 'due' : 'scheduled';
}

/**
 * `kq list [--tag T ...] [--state S] [--grep TEXT] [--json]`: every card, one line each, or the JSON array of
 * summaries. Once a review log exists, each line also says when the card is due ("new", "now", "in 3d",
 * "buried", "suspended"). --grep matches the id, the titles in every language and the tags, ignoring case.
 */
export function listCommand(): Command {
  return new Command('list')
    .description('list the question cards')
    .option('-t, --tag <tag...>', 'only cards with every one of these tags')
    .addOption(new Option('--state <state>', 'only cards in this state').choices(CARD_STATES))
    .option('--grep <text>', 'only cards whose id, title or tags contain this text (any case, any language)')
    .addOption(new Option('--lang <lang>', 'language of the titles').choices(LANGS))
    .option('--json', 'print one JSON array of card summaries on stdout')
    .action(async (options: { tag?: string[]; state?: CardState; grep?: string; lang?: string; json?: boolean }) => {
      const bank = await openBank();
      const clock = now(); // first: a bad KQ_NOW is a usage error
      const due = await dueEntries();
      const needle = options.grep?.toLowerCase();
      const cards = cardsWithTags(bank, options.tag ?? []).filter(
        (c) =>
          (!options.state || cardState(due?.get(c.meta.id), clock) === options.state) &&
          (!needle ||
            [c.meta.id, ...Object.values(c.meta.title), ...c.meta.tags].some((t) => t.toLowerCase().includes(needle))),
      );
      if (options.json) {
        const listed: ListedCard[] = cards.map((c) => ({
          ...cardSummary(c),
          due: due?.get(c.meta.id)?.due ?? null,
          state: cardState(due?.get(c.meta.id), clock),
        }));
        process.stdout.write(`${JSON.stringify(listed, null, 2)}\n`);
        return;
      }
      const lang = resolveLang(options.lang);
      const rows = cards.map((c) => {
        const row = [c.meta.id, c.meta.type, '★'.repeat(c.meta.difficulty), c.meta.title[lang], c.meta.tags.join(',')];
        if (due) row.splice(1, 0, dueLabel(due.get(c.meta.id), clock));
        return row;
      });
      const table = textTable(rows);
      // On a terminal (or with COLUMNS set) a table wider than the screen wraps its title and tags inside the
      // room left; a pipe gets one line per card, for grep.
      const width = process.stdout.isTTY ? process.stdout.columns : Number(process.env.COLUMNS) || undefined;
      if (width && table.split('\n').some((line) => displayWidth(line) > width - 1)) {
        const { fitTable } = await import('../../text/fit-table.js');
        const merged = rows.map((row) => [...row.slice(0, -2), `${row.at(-2)!} · ${row.at(-1)!}`]);
        process.stdout.write(`${fitTable(merged, width - 1)}\n`);
      } else process.stdout.write(`${table}\n`);
      process.stderr.write(`${cards.length} card${cards.length === 1 ? '' : 's'}\n`);
    });
}

/**
 * Each card's due entry, or null when there is no review log (nothing to say, nothing to read). Served from
 * the due cache while the log is unchanged; otherwise the log is loaded, validated and replayed (those modules
 * are imported only then) and the cache refreshed.
 */
async function dueEntries(): Promise<Map<string, DueEntry> | null> {
  const logFile = reviewLogPath();
  if (!existsSync(logFile)) return null;
  const cached = readDueCache(logFile);
  if (cached) return cached;
  const before = logIdentity(logFile);
  const [{ openProgress }, { effectiveDue }] = await Promise.all([
    import('../progress-access.js'),
    import('../../srs/deck-state.js'),
  ]);
  const progress = openProgress();
  const entries = new Map<string, DueEntry>();
  for (const [id, card] of progress.cards)
    entries.set(id, {
      due: effectiveDue(card)?.toISOString() ?? null,
      suspended: card.suspended,
      buriedUntil: card.buriedUntil,
    });
  writeDueCache(logFile, entries, before);
  return entries;
}

/** "new", "now", "in 3d", "buried" or "suspended". */
export function dueLabel(entry: DueEntry | undefined, clock: Date): string {
  const state = cardState(entry, clock);
  if (state === 'due') return 'now';
  if (state === 'scheduled' && entry?.due) return `in ${formatInterval(Date.parse(entry.due) - clock.getTime())}`;
  return state;
}
