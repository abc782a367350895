import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBankLocation, type BankLocation } from '../bank/bank-location.js';
import { loadBankCached } from '../bank/bank-index.js';
import type { Bank, Card } from '../bank/load-bank.js';
import { suggestion } from '../text/suggestion.js';
import { EnvironmentError, UsageError } from './errors.js';

/**
 * How commands reach the bank: load it once, report malformed cards on stderr (they are skipped, never fatal
 * for the others), and resolve user-typed ids and tags with suggestions.
 */
export async function openBank(location: BankLocation = defaultBankLocation()): Promise<Bank> {
  assertBankExists(location);
  const bank = await loadBankCached(location, bankIndexFile(location));
  const broken = new Set(bank.problems.filter((p) => p.severity === 'error').map((p) => p.file));
  for (const file of broken) {
    const first = bank.problems.find((p) => p.file === file)!;
    process.stderr.write(
      `kq: skipping ${file}:${first.line}: ${first.message} (run \`kq validate\` for all problems)\n`,
    );
  }
  return bank;
}

/** Exit 3 with a clear message when there is no questions/ folder (a wrong KQ_BANK_ROOT, a broken install). */
export function assertBankExists(location: BankLocation): void {
  if (existsSync(location.questionsDir)) return;
  const hint = process.env.KQ_BANK_ROOT
    ? ' (KQ_BANK_ROOT points there; unset it to use the bank kq ships with)'
    : ' (reinstall kq)';
  throw new EnvironmentError(`no question bank at ${location.questionsDir}${hint}`);
}

/**
 * The package's own bank is cached in its dist/ folder (written by the build, refreshed when stale); a bank
 * named by KQ_BANK_ROOT (tests, authors' scratch trees) is never cached.
 */
function bankIndexFile(location: BankLocation): string | undefined {
  if (process.env.KQ_BANK_ROOT) return undefined;
  const dist = join(location.root, 'dist');
  return existsSync(dist) ? join(dist, 'bank-index.json') : undefined;
}

export function findCard(bank: Bank, id: string): Card {
  const card = bank.cards.find((c) => c.meta.id === id);
  if (card) return card;
  throw new UsageError(
    `unknown card id '${id}'; ${suggestion(
      id,
      bank.cards.map((c) => c.meta.id),
    )}`,
  );
}

export function allTags(bank: Bank): string[] {
  return [...new Set(bank.cards.flatMap((c) => c.meta.tags))].sort();
}

/** Cards carrying every one of `tags`; an unknown tag is a usage error naming the valid ones. */
export function cardsWithTags(bank: Bank, tags: readonly string[]): Card[] {
  const known = allTags(bank);
  for (const tag of tags) {
    if (!known.includes(tag)) throw new UsageError(`unknown tag '${tag}'; ${suggestion(tag, known)}`);
  }
  return bank.cards.filter((c) => tags.every((t) => c.meta.tags.includes(t)));
}
