/**
 * Random search: each trial's values come from a generator seeded by (sweep seed, trial number),
 * so a suggestion depends on nothing but those two and can be recomputed at any time.
 */
import type { Space } from '../contracts/space';
import type { HyperValue } from '../contracts/trial-config';
import { createRng, deriveSeed } from './rng';
import { valueAt, type Searcher } from './searcher';

export function createRandomSearcher(space: Space): Searcher {
  // Sorted so that the order keys appear in the file does not change the draws.
  const names = Object.keys(space.params).sort();
  return {
    suggest(trial) {
      const rng = createRng(deriveSeed(space.seed, trial, 0x5eed));
      const values: Record<string, HyperValue> = {};
      for (const name of names) values[name] = valueAt(space.params[name]!, rng());
      return values;
    },
  };
}
