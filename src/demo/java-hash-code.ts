/**
 * Java's String.hashCode and Kafka's Utils.abs, written out for demos that show where Kafka puts a key (the group
 * coordinator's partition of __consumer_offsets). Deliberately not the broker's own implementation: a demo that
 * computed the expected partition with the code under test could not catch that code being wrong.
 */

/** Java's String.hashCode: s[0]·31^(n−1) + … + s[n−1] over UTF-16 code units, in 32-bit two's complement. */
export function javaHashCode(text: string): number {
  let hash = 0n;
  for (let i = 0; i < text.length; i++) hash = (hash * 31n + BigInt(text.charCodeAt(i))) % 2n ** 32n;
  return Number(BigInt.asIntN(32, hash));
}

/** Kafka's Utils.abs: like Math.abs, except Integer.MIN_VALUE (which has no positive int) becomes 0. */
export function kafkaAbs(n: number): number {
  return n === -(2 ** 31) ? 0 : Math.abs(n);
}
