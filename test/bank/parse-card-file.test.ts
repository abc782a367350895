import { describe, expect, it } from 'vitest';
import { parseCardFile } from '../../src/bank/load-bank.js';
import { cardVariant, exampleCard } from './temp-bank.js';

const parse = (source: string, id = 'what-is-kafka') => parseCardFile(source, `questions/${id}.md`, id);
const messages = (source: string, id?: string) => parse(source, id).problems.map((p) => `${p.line}: ${p.message}`);

describe('parseCardFile', () => {
  it('accepts the example card and pulls out every section in both languages', () => {
    const { card, problems } = parse(exampleCard);
    expect(problems).toEqual([]);
    expect(card?.meta.id).toBe('what-is-kafka');
    expect(card?.text.zh.question).toMatch(/^用一两句话说明/);
    expect(card?.text.en.answer).toContain('commit log');
    expect(card?.text.zh.keyPoints).toHaveLength(5);
    expect(card?.text.en.keyPoints[0]).toBe('The core abstraction is a partitioned, append-only log, not a queue');
    expect(card?.text.en.followUps).toContain('When is data deleted?');
    expect(card?.text.en.probes).toMatch(/^Whether you see Kafka as a log/);
  });

  it('keeps a diagram in a code block whole, even when it holds # lines', () => {
    const source = exampleCard.replace('```\nproducer', '```\n# not a heading\n## nor this\nproducer');
    const { card, problems } = parse(source);
    expect(problems).toEqual([]);
    expect(card?.text.zh.answer).toContain('## nor this');
  });

  // Each row: what is broken, the edit, the exact `line: message` expected.
  const badFrontMatter: Array<[string, Array<[string | RegExp, string]>, string[]]> = [
    [
      'an id that is not kebab-case',
      [[/^id: .*$/m, 'id: What_Is']],
      ['2: front matter id: must be kebab-case: lower-case letters, digits and single hyphens'],
    ],
    [
      'a missing English title',
      [[/^ {2}en: What Apache Kafka is\n/m, '']],
      ['3: front matter title.en: Invalid input: expected string, received undefined'],
    ],
    [
      'a difficulty out of range',
      [[/^difficulty: 1$/m, 'difficulty: 4']],
      ['7: front matter difficulty: Too big: expected number to be <=3'],
    ],
    [
      'an unknown type',
      [[/^type: open$/m, 'type: essay']],
      ["8: front matter type: Invalid discriminator value. Expected 'open' | 'choice' | 'multi' | 'gap' | 'predict'"],
    ],
    ['no tags', [[/^tags: \[basics\]$/m, 'tags: []']], ['6: front matter tags: needs at least one tag']],
    [
      'a malformed FACTS id',
      [[/^facts: \[\]$/m, 'facts: [F1, fact-2]']],
      ['11: front matter facts.1: must look like F12'],
    ],
    [
      'an unknown field',
      [[/^demo: log-anatomy$/m, 'demo: log-anatomy\ncolour: blue']],
      ['13: front matter colour: unknown field (see questions/README.md for the fields)'],
    ],
    [
      'a choice card with two correct answers',
      [
        [
          /^type: open$/m,
          'type: choice\nchoices:\n  - { zh: 甲, en: A, correct: true }\n  - { zh: 乙, en: B, correct: true }',
        ],
      ],
      ['9: front matter choices: needs exactly one correct choice, has 2'],
    ],
    [
      'a gap card without answers',
      [[/^type: open$/m, 'type: gap']],
      ['2: front matter answers: Invalid input: expected object, received undefined'],
    ],
    [
      'a version note with a bad version',
      [[/^facts: \[\]$/m, 'facts: []\nversions:\n  - { since: "four", zh: 甲, en: A }']],
      ['13: front matter versions.0.since: must be a Kafka version such as "3.0" or "2.4.1"'],
    ],
  ];

  it.each(badFrontMatter)('reports %s with its line', (_what, edits, expected) => {
    let source = exampleCard;
    for (const [from, to] of edits) source = source.replace(from, to);
    expect(source).not.toBe(exampleCard);
    expect(messages(source)).toEqual(expected);
  });

  it('reports invalid YAML with the line of the error', () => {
    expect(messages(exampleCard.replace('tags: [basics]', 'tags: [basics'))).toEqual([
      expect.stringMatching(/^\d+: front matter is not valid YAML: /),
    ]);
  });

  it('reports an id that differs from the file name', () => {
    expect(messages(cardVariant('other-id'))).toEqual([
      "2: id 'other-id' differs from the file name 'what-is-kafka.md'",
    ]);
  });

  const badBodies: Array<[string, string | RegExp, string, string]> = [
    ['a missing English block', /# English[\s\S]*$/, '', "14: missing language block '# English'"],
    [
      'an unknown section',
      '## 追问',
      '## 延伸',
      "47: unknown section '## 延伸' in the zh block; valid: 问题, 答案, 要点, 面试官想考察什么, 追问, 版本说明",
    ],
    [
      'an empty answer',
      /## Answer\n[\s\S]*?## Key points/,
      '## Answer\n\n## Key points',
      "52: the en block needs a non-empty '## Answer' section",
    ],
    [
      'too few key points',
      /## Key points\n[\s\S]*?\n## What/,
      '## Key points\n\n- one\n- two\n\n## What',
      "73: '## Key points' needs 3–6 bullet points, has 2",
    ],
    [
      'text before the first block',
      /^# 中文$/m,
      'stray\n\n# 中文',
      "15: text before the first language block; start the body with '# 中文'",
    ],
  ];

  it.each(badBodies)('reports %s', (_what, from, to, expected) => {
    const source = exampleCard.replace(from, to);
    expect(source).not.toBe(exampleCard);
    expect(messages(source)).toContain(expected);
  });

  it('needs version notes in both languages when the front matter lists versions', () => {
    const source = exampleCard.replace(/^facts: \[\]$/m, 'facts: []\nversions:\n  - { since: "4.0", zh: 甲, en: A }');
    expect(messages(source)).toEqual([
      "17: the front matter lists versions, so the zh block needs a '## 版本说明' section",
      "54: the front matter lists versions, so the en block needs a '## Version notes' section",
    ]);
  });
});
