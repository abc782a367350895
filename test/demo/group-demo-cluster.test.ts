import { describe, expect, it } from 'vitest';
import { describeOffsets } from '../../src/demo/group-demo-cluster.js';

describe('describeOffsets', () => {
  // offsets as numbers here only so vitest can name the cases (it cannot print a bigint)
  it.each([
    { offsets: [], text: 'none' },
    { offsets: [7], text: '7' },
    { offsets: [5, 6], text: '5, 6' },
    { offsets: [5, 6, 7], text: '5–7' },
    { offsets: [0, 1, 2, 10, 12, 13], text: '0–2, 10, 12, 13' },
    { offsets: Array.from({ length: 310 }, (_, i) => 500 + i), text: '500–809' },
  ])('prints runs of three or more as ranges: $text', ({ offsets, text }) => {
    expect(describeOffsets(offsets.map(BigInt))).toBe(text);
  });
});
