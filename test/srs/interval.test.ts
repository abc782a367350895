import { describe, expect, it } from 'vitest';
import { formatInterval } from '../../src/srs/interval.js';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

describe('formatInterval', () => {
  it.each([
    [0, '1m'],
    [30_000, '1m'],
    [10 * M, '10m'],
    [59 * M, '59m'],
    [5 * H, '5h'],
    [3 * D, '3d'],
    [29 * D, '29d'],
    [60 * D, '2mo'],
    [548 * D, '1.5y'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatInterval(ms)).toBe(text);
  });
});
