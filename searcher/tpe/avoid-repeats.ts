/**
 * In a fully discrete space a repeated point teaches nothing, so TPE never suggests a point any
 * earlier trial holds (running, completed, failed or stopped) while the grid has unseen points.
 */
import type { Space } from '../../contracts/space';
import type { HyperValue } from '../../contracts/trial-config';
import type { Observation } from '../searcher';
import { gridSize, isFullyDiscrete, pointAt, pointKey } from '../space-points';

/** Keys of the points tried so far; null when the space has a continuous param (no repeats). */
export function seenPoints(space: Space, history: readonly Observation[]): Set<string> | null {
  if (!isFullyDiscrete(space.params)) return null;
  return new Set(history.map((o) => pointKey(space.params, o.params)));
}

export function isSeen(space: Space, seen: Set<string> | null, values: Readonly<Record<string, HyperValue>>): boolean {
  return seen !== null && seen.has(pointKey(space.params, values));
}

/**
 * An unseen grid point, scanning from a random index. At most seen.size of any seen.size + 1
 * distinct indices can be seen, so the scan is short; null means the grid is exhausted.
 */
export function unseenPoint(space: Space, seen: Set<string>, rng: () => number): Record<string, HyperValue> | null {
  const size = gridSize(space.params);
  const start = Math.floor(rng() * size);
  const tries = Math.min(size, seen.size + 1);
  for (let i = 0; i < tries; i++) {
    const point = pointAt(space.params, (start + i) % size);
    if (!seen.has(pointKey(space.params, point))) return point;
  }
  return null;
}
