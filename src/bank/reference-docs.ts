import { readFileSync } from 'node:fs';

/**
 * Readers for the two reference documents the bank is checked against: the seed interview bank (every
 * `##`/`###` heading must be covered by a card) and FACTS.md (every row id must be corrected by a card).
 */
export interface SeedHeading {
  text: string;
  line: number;
  level: 2 | 3;
}

/** Sections of the seed that are not interview questions. */
const NOT_QUESTIONS = new Set(['参考文档']);

export function readSeedHeadings(file: string): SeedHeading[] {
  const headings: SeedHeading[] = [];
  let inFence = false;
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      if (/^\s*(```|~~~)/.test(raw)) inFence = !inFence;
      const match = inFence ? null : /^(#{2,3})\s+(.+?)\s*$/.exec(raw);
      if (match && !NOT_QUESTIONS.has(match[2]!)) {
        headings.push({ text: match[2]!, line: index + 1, level: match[1]!.length as 2 | 3 });
      }
    });
  return headings;
}

export interface FactRow {
  id: string;
  line: number;
  /** The seed section the row corrects, as FACTS.md names it. */
  section: string;
}

export function readFactRows(file: string): FactRow[] {
  const rows: FactRow[] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const match = /^\|\s*(F\d+)\s*\|\s*([^|]*?)\s*\|/.exec(raw);
      if (match) rows.push({ id: match[1]!, line: index + 1, section: match[2]! });
    });
  return rows;
}
