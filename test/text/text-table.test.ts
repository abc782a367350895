import { describe, expect, it } from 'vitest';
import { displayWidth, textTable } from '../../src/text/text-table.js';

describe('displayWidth', () => {
  it.each([
    ['kafka', 5],
    ['消费者组', 8],
    ['ISR 伸缩', 8],
    ['（全角）', 8],
    ['e\u0301', 1], // combining accent takes no cell
    ['a\u200bb', 2], // zero-width space
    ['★★', 2],
  ])('measures %j as %i cells', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('textTable', () => {
  it('aligns columns after Chinese cells and leaves no trailing spaces', () => {
    const out = textTable([
      ['acks-levels', 'acks 是什么', 'producer'],
      ['isr', 'ISR 与 AR', 'replication'],
    ]);
    const lines = out.split('\n');
    expect(lines.map((l) => displayWidth(l.slice(0, l.lastIndexOf(' ') + 1)))).toEqual([26, 26]);
    expect(lines.every((l) => l === l.trimEnd())).toBe(true);
  });
});
