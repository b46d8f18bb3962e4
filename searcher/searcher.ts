/**
 * The searcher interface: given the sweep's history, propose the next trial's hyperparameters.
 * A searcher returns a decision and stores nothing; the workflow records it.
 */
import type { ParamSpec, Space } from '../contracts/space';
import type { TrialState } from '../contracts/sweep-events';
import type { HyperValue, TrialParams } from '../contracts/trial-config';

export interface Observation {
  trial: number;
  params: TrialParams;
  state: TrialState;
  /** The objective (validation accuracy, maximised); null while running or when the trial failed. */
  value: number | null;
  /** Validation accuracy after each epoch, as reported so far: what a pruned trial is ranked by. */
  values?: ReadonlyArray<number | null>;
}

export interface Searcher {
  /** Sampled values for the space's `params`, for trial number `trial`. */
  suggest(trial: number, history: readonly Observation[]): Record<string, HyperValue>;
}

export type SearcherFactory = (space: Space) => Searcher;

/** Maps one uniform draw u in [0, 1) to a value of the spec. */
export function valueAt(spec: ParamSpec, u: number): HyperValue {
  switch (spec.type) {
    case 'uniform':
      return spec.low + u * (spec.high - spec.low);
    case 'loguniform': {
      // exp(log(x)) can land a hair outside [low, high]; the trainer checks its bounds exactly.
      const value = Math.exp(Math.log(spec.low) + u * (Math.log(spec.high) - Math.log(spec.low)));
      return Math.min(spec.high, Math.max(spec.low, value));
    }
    case 'int': {
      if (spec.log) {
        // Uniform in log space over the cells [v - 1/2, v + 1/2], as Optuna's random sampler does.
        const low = Math.log(spec.low - 0.5);
        const value = Math.round(Math.exp(low + u * (Math.log(spec.high + 0.5) - low)));
        return Math.min(spec.high, Math.max(spec.low, value));
      }
      const steps = Math.floor((spec.high - spec.low) / spec.step);
      return spec.low + Math.min(steps, Math.floor(u * (steps + 1))) * spec.step;
    }
    case 'categorical':
      return spec.values[Math.min(spec.values.length - 1, Math.floor(u * spec.values.length))]!;
  }
}
