import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BankLocation } from './bank-location.js';
import type { Bank, BankProblem } from './load-bank.js';
import { readFactRows, readSeedHeadings } from './reference-docs.js';
import { lineOfPath } from './yaml-lines.js';

/**
 * The bank-wide conventions `kq validate` enforces on top of the per-card checks of `loadBank`, in the spirit of
 * rustlings' `dev check`: every seed heading has a card, every FACTS row is corrected by a card, every card's demo
 * exists and every demo is used by a card. Missing demo modules are `pending` until the demos land.
 */
export function validateBank(location: BankLocation, bank: Bank): BankProblem[] {
  const problems: BankProblem[] = [...bank.problems];
  const seedFile = relative(location.root, location.seedFile);
  const factsFile = relative(location.root, location.factsFile);
  const headings = readReference(location.seedFile, seedFile, readSeedHeadings, problems);
  const facts = readReference(location.factsFile, factsFile, readFactRows, problems);
  const headingTexts = new Set(headings.map((h) => h.text));
  const factIds = new Set(facts.map((f) => f.id));
  const coveredHeadings = new Set<string>();
  const listedFacts = new Set<string>();
  const usedDemos = new Set<string>();

  for (const card of bank.cards) {
    const at = (path: PropertyKey[]) => lineOfPath(card.frontMatter, path, 2);
    card.meta.seed.forEach((heading, i) => {
      if (headingTexts.has(heading)) coveredHeadings.add(heading);
      else
        problems.push({
          file: card.file,
          line: at(['seed', i]),
          message: `seed heading '${heading}' is not a ## or ### heading of ${seedFile}`,
          severity: 'error',
        });
    });
    card.meta.facts.forEach((id, i) => {
      if (factIds.has(id)) listedFacts.add(id);
      else
        problems.push({
          file: card.file,
          line: at(['facts', i]),
          message: `unknown FACTS id '${id}' (${factsFile} has ${facts[0]?.id}–${facts.at(-1)?.id})`,
          severity: 'error',
        });
    });
    usedDemos.add(card.meta.demo);
    if (!existsSync(join(location.demosDir, `${card.meta.demo}.ts`))) {
      problems.push({
        file: card.file,
        line: at(['demo']),
        message: `demo 'demos/${card.meta.demo}.ts' does not exist yet`,
        severity: 'pending',
      });
    }
  }

  for (const heading of headings) {
    if (!coveredHeadings.has(heading.text)) {
      problems.push({
        file: seedFile,
        line: heading.line,
        message: `seed heading '${heading.text}' is covered by no card`,
        severity: 'error',
      });
    }
  }
  for (const fact of facts) {
    if (!listedFacts.has(fact.id)) {
      problems.push({
        file: factsFile,
        line: fact.line,
        message: `${fact.id} (${fact.section}) is corrected by no card: list it in the facts of the card that covers it`,
        severity: 'error',
      });
    }
  }
  if (existsSync(location.demosDir)) {
    for (const name of readdirSync(location.demosDir)
      .filter((n) => n.endsWith('.ts'))
      .sort()) {
      const id = name.slice(0, -3);
      if (!usedDemos.has(id)) {
        problems.push({
          file: relative(location.root, join(location.demosDir, name)),
          line: 1,
          message: `demo '${id}' is used by no card`,
          severity: 'error',
        });
      }
    }
  }
  return problems;
}

/** A reference document's rows, or none with a problem naming the file when it cannot be read. */
function readReference<T>(path: string, shown: string, read: (file: string) => T[], problems: BankProblem[]): T[] {
  try {
    return read(path);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'is missing'
        : `cannot be read (${(error as Error).message})`;
    problems.push({
      file: shown,
      line: 1,
      message: `${shown} ${reason}; kq checks the cards against it (restore it from the repository)`,
      severity: 'error',
    });
    return [];
  }
}
