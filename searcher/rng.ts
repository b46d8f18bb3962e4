/**
 * Seeded randomness for the searchers. Pure and dependency-free, so the same code runs in a
 * Temporal workflow sandbox, an activity or a test, and gives the same numbers everywhere.
 */

/** Mixes integers into one 31-bit seed (murmur3's finaliser over a running hash). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 1;
}

/** mulberry32: a small, fast generator with a 32-bit state; uniform floats in [0, 1). */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Each trial's training seed derives from the sweep seed and the trial number. */
export function trialSeed(sweepSeed: number, trial: number): number {
  return deriveSeed(sweepSeed, trial, 0x7a11);
}
