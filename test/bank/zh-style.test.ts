import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultBankLocation } from '../../src/bank/bank-location.js';
import { loadBank } from '../../src/bank/load-bank.js';
import { cardTextIn } from './card-text.js';

// Translation smells a Chinese reader notices, listed in questions/GLOSSARY.md ("避免的说法"): no card's Chinese
// text may use them. The glossary is the one list; this test reads it.
const location = defaultBankLocation({});
const bank = loadBank(location);
const glossary = readFileSync(join(location.root, 'questions', 'GLOSSARY.md'), 'utf8');

function bannedPhrasings(markdown: string): Array<{ banned: string; instead: string }> {
  const section = markdown.split(/^## 避免的说法.*$/m)[1] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| 避免') && !line.startsWith('|---'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, banned, instead]) => ({ banned: banned ?? '', instead: instead ?? '' }));
}

const banned = bannedPhrasings(glossary);

describe('natural Chinese in the cards', () => {
  it('reads the banned phrasings from the glossary', () => {
    expect(banned.map((b) => b.banned)).toEqual(
      expect.arrayContaining(['今天的 Kafka', '仲裁', '追尾读', '干净的选举', '属主', '差一错误', '再均衡']),
    );
  });

  it('flags a banned phrasing in sample text (the check can fail)', () => {
    const offending = banned.filter((b) => '由 Raft 仲裁复制，触发再均衡'.includes(b.banned)).map((b) => b.banned);
    expect(offending).toEqual(['仲裁', '再均衡']);
  });

  it.each(bank.cards.map((c) => [c.meta.id, c] as const))('%s uses none of them', (_id, card) => {
    const zh = cardTextIn(card, 'zh');
    const found = banned.filter((b) => zh.includes(b.banned)).map((b) => `"${b.banned}" → ${b.instead}`);
    expect(found).toEqual([]);
  });
});
