/**
 * The pruner interface: after each epoch, compare a running trial with its peers and say whether
 * it should stop. A pruner is pure and stores nothing (the workflow keeps the values), so it runs
 * inside the deterministic sweep workflow.
 */
import type { PruneDecision } from '../contracts/pruning';
import type { TrialState } from '../contracts/sweep-events';

export interface TrialCurve {
  trial: number;
  state: TrialState;
  /** Validation accuracy after each epoch (index = 0-based epoch); null where it was not finite. */
  values: ReadonlyArray<number | null>;
}

export interface Pruner {
  /** `trial` has just reported `epoch`; `trials` holds every trial of the sweep, that one included. */
  decide(trial: number, epoch: number, trials: readonly TrialCurve[]): PruneDecision;
}
