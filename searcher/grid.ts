/**
 * Grid search over int and categorical params: trial n takes the n-th point of a seeded shuffle
 * of the grid, so every point comes once and a budget smaller than the grid still spreads out.
 * Space validation keeps continuous params out and `trials` within the grid's size.
 */
import type { Space } from '../contracts/space';
import { createRng, deriveSeed } from './rng';
import type { Searcher } from './searcher';
import { gridSize, pointAt } from './space-points';

/**
 * Position `n` of a seeded Fisher-Yates shuffle of 0..size-1, run only as far as `n` and kept in a
 * map of swapped slots, so the cost is O(n) whatever the grid's size.
 */
export function shuffledIndex(seed: number, size: number, n: number): number {
  const rng = createRng(seed);
  const swapped = new Map<number, number>();
  const at = (i: number) => swapped.get(i) ?? i;
  let picked = 0;
  for (let i = 0; i <= n; i++) {
    const j = i + Math.floor(rng() * (size - i));
    picked = at(j);
    swapped.set(j, at(i));
    swapped.set(i, picked);
  }
  return picked;
}

export function createGridSearcher(space: Space): Searcher {
  const size = gridSize(space.params);
  return {
    suggest(trial) {
      if (trial >= size) throw new Error(`grid search has ${size} points; trial ${trial} is past the end`);
      return pointAt(space.params, shuffledIndex(deriveSeed(space.seed, 0x96d), size, trial));
    },
  };
}
