/**
 * mulberry32: a small, fast, seedable generator of numbers in [0, 1), so anything random that a test or a run must
 * replay (Raft's election timeouts, the fuzzer's frames, a crash test's kill points) replays exactly from its seed.
 * Not for anything that must be unpredictable. Each call returns an independent generator.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
