/**
 * Splitting the history into good ("below", in Optuna's minimising terms) and bad ("above")
 * trials, and the weights their kernels get. The objective is maximised.
 */
import type { Observation } from '../searcher';

/** How many of n scored trials count as good: 10%, rounded up, at most 25. */
export function gamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Kernel weights for n observations in trial order: flat up to 25, then the older ones ramp
 * from 1/n up to 1 so that the estimators follow where the search has moved.
 */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const weights = new Array<number>(n).fill(1);
  for (let i = 0; i < ramp; i++) weights[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return weights;
}

/** A trial that finished with a usable objective. */
export function isScored(o: Observation): o is Observation & { value: number } {
  return o.state === 'completed' && o.value !== null && Number.isFinite(o.value);
}

/** A pruned trial's rank key: how deep it got (epochs reported), then its last finite value there. */
function prunedKey(o: Observation): { depth: number; last: number } {
  const values = o.values ?? [];
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v != null && Number.isFinite(v)) return { depth: i + 1, last: v };
  }
  return { depth: 0, last: -Infinity };
}

/** Trials that inform the model: scored ones and pruned ones (Optuna's COMPLETE and PRUNED). */
export function countsForModel(o: Observation): boolean {
  return isScored(o) || o.state === 'pruned';
}

export interface Split {
  below: Observation[];
  above: Observation[];
}

/**
 * The best gamma(n) scored trials are good; the other scored trials are bad, and so are running
 * ones under the constant liar (a running trial is assumed to be as bad as can be, so that
 * parallel suggestions avoid the points still being tried). Failed and stopped trials, and
 * completed ones without a finite value, say nothing about the objective and are left out.
 *
 * Pruned trials rank after every completed trial, by the epoch they reached and then by their
 * last validation accuracy, as Optuna ranks them; they count towards gamma(n), so while few trials
 * have completed the best pruned ones can be good.
 */
export function splitTrials(history: readonly Observation[], constantLiar: boolean): Split {
  const scored = history.filter(isScored);
  // Ties go to the earlier trial, so the split does not depend on the history's order.
  const ranked: Observation[] = [...scored].sort((a, b) => b.value - a.value || a.trial - b.trial);
  const pruned = history
    .filter((o) => o.state === 'pruned')
    .map((o) => ({ o, ...prunedKey(o) }))
    .sort((a, b) => b.depth - a.depth || b.last - a.last || a.o.trial - b.o.trial);
  ranked.push(...pruned.map((p) => p.o));
  const nBelow = Math.min(gamma(ranked.length), ranked.length);
  const below: Observation[] = ranked.slice(0, nBelow);
  const above: Observation[] = ranked.slice(nBelow);
  if (constantLiar) above.push(...history.filter((o) => o.state === 'running'));
  // Trial order, because the weights ramp by age.
  const byTrial = (a: Observation, b: Observation) => a.trial - b.trial;
  return { below: below.sort(byTrial), above: above.sort(byTrial) };
}
