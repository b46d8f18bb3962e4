/**
 * The median rule (Google Vizier; Optuna's MedianPruner): after a warm-up, a trial stops when its
 * best validation accuracy so far is below the median of completed trials' accuracy at the same
 * epoch.
 */
import { KEEP, type MedianOptions, type PruneDecision } from '../contracts/pruning';
import type { Pruner, TrialCurve } from './pruner';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function createMedianPruner(options: MedianOptions): Pruner {
  return {
    decide(trial: number, epoch: number, trials: readonly TrialCurve[]): PruneDecision {
      if (epoch + 1 <= options.warmup_epochs) return KEEP;
      const completed = trials.filter((t) => t.trial !== trial && t.state === 'completed');
      if (completed.length < options.startup_trials) return KEEP;
      const peerValues = completed.map((t) => t.values[epoch]).filter((v): v is number => v != null);
      if (peerValues.length === 0 || peerValues.length < options.min_peers) return KEEP;
      const own = trials.find((t) => t.trial === trial)?.values.slice(0, epoch + 1) ?? [];
      const finite = own.filter((v): v is number => v != null);
      const best = finite.length > 0 ? Math.max(...finite) : null;
      const bar = median(peerValues);
      if (best !== null && best >= bar) return KEEP;
      const shown = best === null ? 'no finite val_acc' : `best val_acc ${best.toFixed(4)}`;
      return {
        prune: true,
        rule: 'median',
        reason: `epoch ${epoch + 1}: ${shown} below the median ${bar.toFixed(4)} of ${peerValues.length} completed trials`,
      };
    },
  };
}
