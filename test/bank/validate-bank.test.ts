import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBank } from '../../src/bank/load-bank.js';
import { readFactRows, readSeedHeadings } from '../../src/bank/reference-docs.js';
import { validateBank } from '../../src/bank/validate-bank.js';
import { cardVariant, makeTempBank } from './temp-bank.js';

const SEED = `# Bank\n\n## First question\ntext\n\n### A sub-question\ntext\n\n## 参考文档\n- links\n`;
const FACTS = `| Id | Seed section | Seed says |\n|---|---|---|\n| F1 | First question | old | \n| F2 | A sub-question | old |\n`;

const banks: Array<{ dispose(): void }> = [];
afterEach(() => banks.splice(0).forEach((b) => b.dispose()));

function check(files: Record<string, string>) {
  const location = makeTempBank(files, { seed: SEED, facts: FACTS });
  banks.push(location);
  return validateBank(location, loadBank(location)).map(
    (p) => `${p.file}:${p.line}: ${p.severity === 'pending' ? 'pending: ' : ''}${p.message}`,
  );
}

const covering = (id: string, seed: string[], facts: string[], demo = 'log-anatomy') =>
  cardVariant(id, [
    [/^seed:\n {2}- .*$/m, `seed:\n${seed.map((s) => `  - ${s}`).join('\n')}`],
    [/^facts: \[\]$/m, `facts: [${facts.join(', ')}]`],
    ...(demo === 'log-anatomy' ? [] : [[/^demo: log-anatomy$/m, `demo: ${demo}`] as [RegExp, string]]),
  ]);

describe('validateBank', () => {
  it('reads the seed headings except the references section, and the FACTS ids', () => {
    const location = makeTempBank({}, { seed: SEED, facts: FACTS });
    banks.push(location);
    expect(readSeedHeadings(location.seedFile)).toEqual([
      { text: 'First question', line: 3, level: 2 },
      { text: 'A sub-question', line: 6, level: 3 },
    ]);
    expect(readFactRows(location.factsFile).map((f) => `${f.id}@${f.line}`)).toEqual(['F1@3', 'F2@4']);
  });

  it('passes a bank that covers every heading and fact, with the missing demo only pending', () => {
    expect(check({ 'questions/a.md': covering('a', ['First question', 'A sub-question'], ['F1', 'F2']) })).toEqual([
      "questions/a.md:13: pending: demo 'demos/log-anatomy.ts' does not exist yet",
    ]);
  });

  it('reports uncovered seed headings and FACTS rows at their own lines', () => {
    expect(
      check({ 'questions/a.md': covering('a', ['First question'], ['F1'], 'a-demo'), 'demos/a-demo.ts': '' }),
    ).toEqual([
      "data/seed/kafka-interview-questions.zh.md:6: seed heading 'A sub-question' is covered by no card",
      'data/FACTS.md:4: F2 (A sub-question) is corrected by no card: list it in the facts of the card that covers it',
    ]);
  });

  it('reports unknown headings and FACTS ids at the line that names them', () => {
    const problems = check({
      'questions/a.md': covering(
        'a',
        ['First question', 'A sub-question', 'No such heading'],
        ['F1', 'F2', 'F9'],
        'a-demo',
      ),
      'demos/a-demo.ts': '',
    });
    expect(problems).toEqual([
      "questions/a.md:12: seed heading 'No such heading' is not a ## or ### heading of data/seed/kafka-interview-questions.zh.md",
      "questions/a.md:13: unknown FACTS id 'F9' (data/FACTS.md has F1–F2)",
    ]);
  });

  it('rejects a card whose id is not its file name, and reports demos that no card uses', () => {
    const card = covering('a', ['First question', 'A sub-question'], ['F1', 'F2'], 'a-demo');
    const problems = check({
      'questions/a.md': card,
      'questions/b.md': card,
      'demos/a-demo.ts': '',
      'demos/orphan.ts': '',
    });
    expect(problems).toEqual([
      "questions/b.md:2: id 'a' differs from the file name 'b.md'",
      "demos/orphan.ts:1: demo 'orphan' is used by no card",
    ]);
  });

  it('reports a missing seed file as a problem instead of failing', () => {
    const location = makeTempBank(
      { 'questions/a.md': covering('a', ['First question'], ['F1'], 'a-demo'), 'demos/a-demo.ts': '' },
      { facts: FACTS },
    );
    banks.push(location);
    rmSync(location.seedFile);
    const problems = validateBank(location, loadBank(location)).map((p) => `${p.file}:${p.line}: ${p.message}`);
    expect(problems).toContain(
      'data/seed/kafka-interview-questions.zh.md:1: data/seed/kafka-interview-questions.zh.md is missing; kq checks the cards against it (restore it from the repository)',
    );
  });
});
