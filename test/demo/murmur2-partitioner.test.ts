import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey } from '../../src/demo/murmur2-partitioner.js';

// Vectors from Kafka's UtilsTest.testMurmur2: the Java client's hash, so kq predicts what real producers do.
describe('murmur2', () => {
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %j like the Java client (%i)', (key, expected) => {
    expect(murmur2(Buffer.from(key))).toBe(expected);
  });
});

describe('partitionForKey', () => {
  // kafkajs' DefaultPartitioner is what the demos produce with: both must agree on every key
  const require = createRequire(import.meta.url);
  const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: string) => number;

  it('agrees with kafkajs DefaultPartitioner on 1,000 keys and several partition counts', () => {
    for (let i = 0; i < 1000; i++) {
      const key = `order-${i}`;
      for (const n of [1, 3, 6, 7]) {
        expect(partitionForKey(key, n), `${key} over ${n}`).toBe((kafkajsMurmur2(key) & 0x7fffffff) % n);
      }
    }
  });

  it('rejects a partition count below 1', () => {
    expect(() => partitionForKey('k', 0)).toThrow(/positive integer/);
  });
});
