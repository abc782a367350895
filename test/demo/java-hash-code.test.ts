import { describe, expect, it } from 'vitest';
import { javaHashCode, kafkaAbs } from '../../src/demo/java-hash-code.js';

describe('javaHashCode', () => {
  // Values printed by Java 17's String.hashCode: "Aa"/"BB" collide, "polygenelubricants" overflows to exactly
  // Integer.MIN_VALUE, "été" hashes UTF-16 units ((233·31 + 116)·31 + 233), the last one wraps around.
  it.each([
    ['', 0],
    ['a', 97],
    ['hello', 99162322],
    ['Aa', 2112],
    ['BB', 2112],
    ['polygenelubricants', -2147483648],
    ['\u00e9t\u00e9', 227742],
    ['console-consumer-12345', 158455506],
  ])('%j hashes to %i as in Java', (text, hash) => {
    expect(javaHashCode(text)).toBe(hash);
  });
});

describe('kafkaAbs', () => {
  it.each([
    [5, 5],
    [-5, 5],
    [0, 0],
    [-(2 ** 31), 0],
    [2 ** 31 - 1, 2 ** 31 - 1],
  ])('maps %i to %i (Integer.MIN_VALUE to 0, unlike Math.abs)', (n, abs) => {
    expect(kafkaAbs(n)).toBe(abs);
  });
});
