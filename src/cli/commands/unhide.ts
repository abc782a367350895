import { Argument, Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { replayLog, undoneIds } from '../../srs/deck-state.js';
import { newEventId, type ReviewEvent } from '../../srs/review-event.js';
import { dataDir } from '../../store/data-dir.js';
import { findCard, openBank } from '../bank-access.js';
import { openProgress } from '../progress-access.js';

/**
 * `kq unsuspend <id>` and `kq unbury <id>`: bring a hidden card back into the schedule. Both only append to the
 * review log (it is never rewritten): unsuspend writes an `unsuspend` event; unbury writes an `undo` of each
 * burial still in effect, the same event the quiz's `u` writes, so replaying the log needs no new event type.
 * A card that is not hidden is left alone and said so (exit 0: the card is in the state asked for).
 */
export function unsuspendCommand(): Command {
  return new Command('unsuspend')
    .description('bring a suspended card back into the schedule')
    .addArgument(new Argument('<id>', 'card id'))
    .action(async (id: string) => {
      const cardId = await knownCardId(id);
      const { log, cards, now } = openProgress();
      if (!cards.get(cardId)?.suspended) {
        process.stderr.write(`kq: ${cardId} is not suspended; nothing to do\n`);
        return;
      }
      log.append({ type: 'unsuspend', id: newEventId(), cardId, at: now.toISOString(), session: cliSession() });
      process.stderr.write(`kq: ${cardId} is back in the schedule\n`);
    });
}

export function unburyCommand(): Command {
  return new Command('unbury')
    .description('bring a buried card back before its burial ends')
    .addArgument(new Argument('<id>', 'card id'))
    .action(async (id: string) => {
      const cardId = await knownCardId(id);
      const { log, now } = openProgress();
      const undone = undoneIds(log.events);
      const burials = log.events.filter(
        (e) => e.type === 'bury' && e.cardId === cardId && !undone.has(e.id) && Date.parse(e.until) > now.getTime(),
      );
      if (burials.length === 0) {
        process.stderr.write(`kq: ${cardId} is not buried; nothing to do\n`);
        return;
      }
      const session = cliSession();
      const undos: ReviewEvent[] = burials.map((b) => ({
        type: 'undo',
        id: newEventId(),
        undoes: b.id,
        at: now.toISOString(),
        session,
      }));
      log.appendMany(undos);
      const still = replayLog(log.events).get(cardId);
      process.stderr.write(
        `kq: ${cardId} is ${still?.suspended ? 'no longer buried (still suspended)' : 'back in the schedule'}\n`,
      );
    });
}

/** The id of a card in the bank (exit 2 naming the closest ids otherwise); checks the data dir is writable. */
async function knownCardId(id: string): Promise<string> {
  const card = findCard(await openBank(), id);
  dataDir();
  return card.meta.id;
}

/** Events written outside a quiz still belong to a session; each command run is its own. */
function cliSession(): string {
  return `cli-${randomUUID()}`;
}
