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
 * Pruned trials, when they exist, belong between the two: ranked after every completed trial by
 * the last step they reached, then by their last intermediate value.
 */
export function splitTrials(history: readonly Observation[], constantLiar: boolean): Split {
  const scored = history.filter(isScored);
  // Ties go to the earlier trial, so the split does not depend on the history's order.
  const ranked = [...scored].sort((a, b) => b.value - a.value || a.trial - b.trial);
  const nBelow = Math.min(gamma(scored.length), ranked.length);
  const below: Observation[] = ranked.slice(0, nBelow);
  const above: Observation[] = ranked.slice(nBelow);
  if (constantLiar) above.push(...history.filter((o) => o.state === 'running'));
  // Trial order, because the weights ramp by age.
  const byTrial = (a: Observation, b: Observation) => a.trial - b.trial;
  return { below: below.sort(byTrial), above: above.sort(byTrial) };
}
