import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BankLocation } from './bank-location.js';
import type { Bank } from './load-bank.js';

/**
 * A cache of the parsed bank, keyed by a hash of every card file's name and bytes. Why: parsing YAML and
 * validating with zod means loading ~300 KB of library code on every `kq list`, which alone would break the
 * start-up goal; hashing 50 small files costs about a millisecond. The full loader is imported only when the
 * cache is missing or stale, so an edited card is always re-validated. The cache file is owned by the package
 * (dist/); where it cannot be written (a read-only install) kq just loads the bank in full each time.
 */
const INDEX_VERSION = 1;

interface BankIndexFile {
  version: number;
  fingerprint: string;
  bank: Bank;
}

export function bankFingerprint(location: BankLocation): string {
  const hash = createHash('sha1');
  for (const name of readdirSync(location.questionsDir)
    .filter((n) => n.endsWith('.md'))
    .sort()) {
    hash
      .update(name)
      .update('\0')
      .update(readFileSync(join(location.questionsDir, name)))
      .update('\0');
  }
  return hash.digest('hex');
}

export async function loadBankCached(location: BankLocation, indexFile: string | undefined): Promise<Bank> {
  const fingerprint = indexFile ? bankFingerprint(location) : '';
  if (indexFile) {
    try {
      const index = JSON.parse(readFileSync(indexFile, 'utf8')) as BankIndexFile;
      if (index.version === INDEX_VERSION && index.fingerprint === fingerprint) return index.bank;
    } catch {
      // missing or unreadable: rebuild below
    }
  }
  const { loadBank } = await import('./load-bank.js');
  const bank = loadBank(location);
  if (indexFile) {
    try {
      const temp = `${indexFile}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ version: INDEX_VERSION, fingerprint, bank } satisfies BankIndexFile));
      renameSync(temp, indexFile); // atomic: a concurrent reader sees the old index or the new one
    } catch {
      // read-only install: stay correct, just slower
    }
  }
  return bank;
}
