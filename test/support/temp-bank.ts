import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../cli/run-kq.js';

/**
 * A small question bank for CLI tests (pointed at with KQ_BANK_ROOT), so their numbers do not change as the
 * real bank grows: copies of the what-is-kafka card under the given ids and tags.
 */
export function writeTempBank(root: string, cards: ReadonlyArray<{ id: string; tags: string[] }>): string {
  const template = readFileSync(join(repoRoot, 'questions', 'what-is-kafka.md'), 'utf8');
  mkdirSync(join(root, 'questions'), { recursive: true });
  for (const card of cards) {
    const text = template
      .replace(/^id: what-is-kafka$/m, `id: ${card.id}`)
      .replace(/^tags: \[basics\]$/m, `tags: [${card.tags.join(', ')}]`);
    writeFileSync(join(root, 'questions', `${card.id}.md`), text);
  }
  return root;
}
