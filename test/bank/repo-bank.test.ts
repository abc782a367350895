import { describe, expect, it } from 'vitest';
import { defaultBankLocation } from '../../src/bank/bank-location.js';
import { loadBank, type Card } from '../../src/bank/load-bank.js';
import { readFactRows, readSeedHeadings } from '../../src/bank/reference-docs.js';
import { validateBank } from '../../src/bank/validate-bank.js';
import { displayWidth } from '../../src/text/text-table.js';

// The shipped bank itself: complete, corrected, and readable in 80 columns.
const location = defaultBankLocation({});
const bank = loadBank(location);
const problems = validateBank(location, bank);
const cardsListing = (fact: string) => bank.cards.filter((c) => c.meta.facts.includes(fact));
const allText = (card: Card) =>
  `${card.text.en.answer}\n${card.text.en.versionNotes ?? ''}\n${card.meta.versions.map((v) => v.en).join('\n')}`;

describe('the shipped question bank', () => {
  it('has no errors: every seed heading and FACTS row is covered, every card well-formed', () => {
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('covers the 34 seed headings and the 28 FACTS rows', () => {
    expect(readSeedHeadings(location.seedFile)).toHaveLength(34);
    const facts = readFactRows(location.factsFile).map((f) => f.id);
    expect(facts).toHaveLength(28);
    for (const id of facts) expect(cardsListing(id).length, `${id} is listed by no card`).toBeGreaterThan(0);
  });

  it('has at least 86 cards, at least 40 % of them auto-gradable', () => {
    expect(bank.cards.length).toBeGreaterThanOrEqual(86);
    const graded = bank.cards.filter((c) => c.meta.type !== 'open').length;
    expect(graded / bank.cards.length).toBeGreaterThanOrEqual(0.4);
  });

  // The topics interviews ask in 2025–2026 that the seed never had (issue 14), each reachable by `kq list --tag`.
  it.each([
    'duplicates',
    'lag',
    'backlog',
    'idempotence',
    'retry',
    'dlq',
    'partitions',
    'comparison',
    'monitoring',
    'kraft',
  ])('has cards tagged %s', (tag) => {
    expect(bank.cards.filter((c) => c.meta.tags.includes(tag)).length).toBeGreaterThanOrEqual(2);
  });

  // Where the seed is outdated, the card that corrects it must say what is true now and since when.
  const truths: Array<[string, RegExp[]]> = [
    ['F5', [/KRaft/, /4\.0/]],
    ['F8', [/5 ms/, /4\.0/]],
    ['F14', [/acks=all/, /3\.0/]],
    ['F18', [/num\.partitions/, /\b1\b/]],
    ['F19', [/replica\.lag\.time\.max\.ms/, /30 s/]],
    ['F25', [/by_duration/]],
    ['F27', [/45 s/]],
  ];
  it.each(truths)('the card listing %s teaches the current behaviour', (fact, patterns) => {
    const texts = cardsListing(fact).map(allText);
    for (const pattern of patterns)
      expect(
        texts.some((t) => pattern.test(t)),
        `${fact}: no card text matches ${pattern}`,
      ).toBe(true);
  });

  it('says since which version for every FACTS row whose truth changed in a Kafka release', () => {
    // rows that correct folklore, other products, or claims that were never true carry no Kafka version
    const versionless = new Set(['F1', 'F2', 'F3', 'F6', 'F10', 'F11', 'F15', 'F16', 'F28']);
    const facts = readFactRows(location.factsFile)
      .map((f) => f.id)
      .filter((id) => !versionless.has(id));
    const unversioned = facts.filter((id) => !cardsListing(id).some((c) => c.meta.versions.length > 0));
    expect(unversioned).toEqual([]);
  });

  it('draws every diagram within 80 columns', () => {
    const tooWide: string[] = [];
    for (const card of bank.cards) {
      for (const lang of ['zh', 'en'] as const) {
        const blocks = card.text[lang].answer.match(/```[\s\S]*?```/g) ?? [];
        for (const line of blocks.join('\n').split('\n')) {
          if (displayWidth(line) > 80) tooWide.push(`${card.meta.id} (${lang}): ${line}`);
        }
      }
    }
    expect(tooWide).toEqual([]);
  });
});
