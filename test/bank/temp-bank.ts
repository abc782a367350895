import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bankLocation, type BankLocation } from '../../src/bank/bank-location.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The example card shipped with the repo: a valid card to copy and break. */
export const exampleCard = readFileSync(join(repoRoot, 'questions', 'what-is-kafka.md'), 'utf8');

/**
 * A throwaway bank tree (questions/, demos/, data/) holding the given card files, with the repo's real seed and
 * FACTS copies unless replaced. Point the CLI at it with KQ_BANK_ROOT.
 */
export function makeTempBank(
  files: Record<string, string>,
  data?: { seed?: string; facts?: string },
): BankLocation & { dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'kq-bank-'));
  mkdirSync(join(root, 'questions'));
  mkdirSync(join(root, 'demos'));
  cpSync(join(repoRoot, 'data'), join(root, 'data'), { recursive: true });
  if (data?.seed !== undefined) writeFileSync(join(root, 'data', 'seed', 'kafka-interview-questions.zh.md'), data.seed);
  if (data?.facts !== undefined) writeFileSync(join(root, 'data', 'FACTS.md'), data.facts);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return { ...bankLocation(root), dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** The example card with its id (and file name) changed, and optional text replacements. */
export function cardVariant(id: string, replacements: Array<[string | RegExp, string]> = []): string {
  let text = exampleCard.replace(/^id: what-is-kafka$/m, `id: ${id}`);
  for (const [from, to] of replacements) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`cardVariant: '${String(from)}' not found in the example card`);
    text = next;
  }
  return text;
}
