/**
 * Asynchronous successive halving (Li et al., 2018; Optuna's SuccessiveHalvingPruner): rungs sit at
 * min_epochs * reduction_factor^k finished epochs. A trial reaching a rung goes on when its value
 * is among the top 1/reduction_factor of every trial that has reached that rung so far, and
 * otherwise stops. It never waits for peers, which is what makes it asynchronous: early trials
 * pass rungs that later ones must compete for.
 */
import { KEEP, type AshaOptions, type PruneDecision } from '../contracts/pruning';
import type { Pruner, TrialCurve } from './pruner';

/** The rung index when `epochsDone` is a rung, else null. */
export function rungAt(epochsDone: number, options: Pick<AshaOptions, 'min_epochs' | 'reduction_factor'>): number | null {
  let rung = 0;
  for (let at = options.min_epochs; at <= epochsDone; at *= options.reduction_factor, rung++) {
    if (at === epochsDone) return rung;
  }
  return null;
}

export function createAshaPruner(options: AshaOptions): Pruner {
  return {
    decide(trial: number, epoch: number, trials: readonly TrialCurve[]): PruneDecision {
      const epochsDone = epoch + 1;
      const rung = rungAt(epochsDone, options);
      if (rung === null) return KEEP;
      const own = trials.find((t) => t.trial === trial)?.values[epoch];
      if (own === undefined) return KEEP;
      if (own === null) return { prune: true, rule: 'asha', reason: `no finite validation accuracy at rung ${rung} (epoch ${epochsDone})` };
      const peers = trials.filter((t) => t.trial !== trial && t.values.length > epoch);
      if (peers.length < options.min_peers) return KEEP;
      // A peer without a finite value ranks below every finite one.
      const ranked = [own, ...peers.map((t) => t.values[epoch] ?? -Infinity)].sort((a, b) => b - a);
      const promoted = Math.max(1, Math.floor(ranked.length / options.reduction_factor));
      const cutoff = ranked[promoted - 1]!;
      if (own >= cutoff) return KEEP;
      return {
        prune: true,
        rule: 'asha',
        reason: `rung ${rung} (epoch ${epochsDone}): val_acc ${own.toFixed(4)} below the top ${promoted} of ${ranked.length} (cutoff ${cutoff.toFixed(4)})`,
      };
    },
  };
}
