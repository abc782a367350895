import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/broker/utils/closest.js';
import { suggestion } from '../../src/text/suggestion.js';

describe('closest', () => {
  it.each([
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ])('edit distance of %j and %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('ranks a near miss first and keeps names that contain the typed text', () => {
    expect(closest('acks-defualt', ['acks-default-today', 'acks-levels', 'isr-ar-osr'])).toEqual([
      'acks-default-today',
    ]);
    expect(closest('segment.byte', ['segment.bytes', 'segment.ms', 'retention.bytes'])).toEqual([
      'segment.bytes',
      'segment.ms',
    ]);
  });

  it('lists every valid choice when none is close', () => {
    expect(suggestion('zzzzzz', ['basics', 'storage'])).toBe('valid: basics, storage');
  });
});
