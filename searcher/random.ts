/**
 * Random search: each trial's values come from a generator seeded by (sweep seed, trial number),
 * so a suggestion depends on nothing but those two and can be recomputed at any time.
 */
import type { Space } from '../contracts/space';
import type { HyperValue } from '../contracts/trial-config';
import { createRng, deriveSeed } from './rng';
import { valueAt, type Searcher } from './searcher';
import { isActive } from './space-points';

/** One random point of the space; conditional params whose parent value differs are left out. */
export function randomPoint(space: Space, trial: number): Record<string, HyperValue> {
  const rng = createRng(deriveSeed(space.seed, trial, 0x5eed));
  // Sorted so that the order keys appear in the file does not change the draws; every param takes
  // a draw, active or not, so adding a condition does not shift the other params' values.
  const names = Object.keys(space.params).sort();
  const values: Record<string, HyperValue> = {};
  for (const name of names) values[name] = valueAt(space.params[name]!, rng());
  for (const name of names) if (!isActive(space.params[name]!, values)) delete values[name];
  return values;
}

export function createRandomSearcher(space: Space): Searcher {
  return { suggest: (trial) => randomPoint(space, trial) };
}
