/**
 * The Java client's default partitioner for keyed records (Kafka: `Utils.murmur2`, `Utils.toPositive`,
 * `BuiltInPartitioner.partitionForKey`): murmur2 of the key bytes, made positive, modulo the current partition count.
 * kafkajs' `Partitioners.DefaultPartitioner` and librdkafka's `murmur2_random` compute the same, which is why a key's
 * partition is predictable from the outside — and why it changes when the partition count does.
 * Pure functions; demos use them to state where a key *should* land and compare with where it did.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Kafka's murmur2 (32-bit, signed like Java's int). */
export function murmur2(data: Buffer): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  // Java's switch falls through: 3 bytes left mixes all three, then multiplies once
  const left = length % 4;
  if (left >= 3) h ^= data[whole + 2]! << 16;
  if (left >= 2) h ^= data[whole + 1]! << 8;
  if (left >= 1) {
    h ^= data[whole]!;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition the default partitioner picks for `key` among `numPartitions`. */
export function partitionForKey(key: Buffer | string, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1)
    throw new RangeError(`numPartitions must be a positive integer, got ${numPartitions}`);
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return (murmur2(bytes) & 0x7fffffff) % numPartitions;
}
