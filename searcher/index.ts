/**
 * Picks the searcher a space names and builds a trial's full parameter set from its suggestion.
 */
import type { Space } from '../contracts/space';
import type { TrialParams } from '../contracts/trial-config';
import { createGridSearcher } from './grid';
import { createRandomSearcher } from './random';
import { trialSeed } from './rng';
import type { Observation, Searcher, SearcherFactory } from './searcher';
import { createTpeSearcher } from './tpe';

const SEARCHERS: Record<Space['searcher'], SearcherFactory> = {
  tpe: createTpeSearcher,
  random: createRandomSearcher,
  grid: createGridSearcher,
};

export function createSearcher(space: Space): Searcher {
  return SEARCHERS[space.searcher](space);
}

/** Fixed values, then the suggestion, then the trial's seed unless the space fixes one. */
export function suggestTrialParams(space: Space, trial: number, history: readonly Observation[]): TrialParams {
  const suggestion = createSearcher(space).suggest(trial, history);
  return { seed: trialSeed(space.seed, trial), ...space.fixed, ...suggestion };
}

export type { Observation, Searcher } from './searcher';
