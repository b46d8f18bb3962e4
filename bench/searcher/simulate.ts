/**
 * Runs a searcher against an objective as the sweep workflow would, with `workers` trials in
 * flight: suggest until `workers` run, then finish the oldest and suggest the next. Running
 * trials reach the searcher as running observations (value null), as in the workflow.
 */
import type { HyperValue } from '../../contracts/trial-config';
import type { Observation, Searcher } from '../../searcher/searcher';

/** Objective values (minimised) in the order trials finished. */
export function simulate(searcher: Searcher, f: (p: Readonly<Record<string, HyperValue>>) => number, budget: number, workers: number): number[] {
  const history: Observation[] = [];
  const finished: number[] = [];
  let next = 0;
  while (finished.length < budget) {
    while (next < budget && next - finished.length < workers) {
      const params = searcher.suggest(next, history);
      history.push({ trial: next, params, state: 'running', value: null });
      next += 1;
    }
    // FIFO completion: the oldest running trial finishes first.
    const oldest = history[finished.length]!;
    const value = f(oldest.params as Record<string, HyperValue>);
    finished.push(value);
    // The searchers maximise, the benchmark functions are minimised.
    history[finished.length - 1] = { ...oldest, state: 'completed', value: -value };
  }
  return finished;
}
