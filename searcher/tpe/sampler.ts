/**
 * The TPE step for one group of params: fit a Parzen estimator to the good trials and one to the
 * bad, draw candidates from the good one, and rank them by log l(x) - log g(x).
 */
import type { ParamSpec } from '../../contracts/space';
import type { HyperValue } from '../../contracts/trial-config';
import type { Observation } from '../searcher';
import { sameValue } from '../space-points';
import { buildParzenEstimator, estimatorLogPdf, sampleEstimator, type Columns, type EstimatorOptions } from './parzen-estimator';
import { defaultWeights, type Split } from './split-trials';

export interface GroupOptions extends EstimatorOptions {
  candidates: number;
}

export interface Ranked {
  values: Record<string, HyperValue>;
  score: number;
}

/**
 * A param's value in an observation, as the kernels see it (a choice index for a categorical);
 * null when the trial lacks it or holds something the spec no longer allows.
 */
function internalValue(spec: ParamSpec, value: unknown): number | null {
  if (value === undefined) return null;
  if (spec.type === 'categorical') {
    const index = spec.values.findIndex((choice) => sameValue(choice, value as HyperValue));
    return index < 0 ? null : index;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.min(spec.high, Math.max(spec.low, value));
}

/** Columns of the observations that hold every param of the group; the others are skipped. */
function columnsOf(specs: Readonly<Record<string, ParamSpec>>, observations: readonly Observation[]): { columns: Columns; count: number } {
  const names = Object.keys(specs);
  const columns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  let count = 0;
  for (const o of observations) {
    const row = names.map((n) => internalValue(specs[n]!, o.params[n]));
    if (row.some((v) => v === null)) continue;
    row.forEach((v, i) => columns[names[i]!]!.push(v!));
    count += 1;
  }
  return { columns, count };
}

function externalValue(spec: ParamSpec, value: number): HyperValue {
  return spec.type === 'categorical' ? spec.values[value]! : value;
}

/** Candidates for the group, best first. */
export function rankCandidates(
  specs: Readonly<Record<string, ParamSpec>>,
  split: Split,
  rng: () => number,
  options: GroupOptions,
): Ranked[] {
  const good = columnsOf(specs, split.below);
  const bad = columnsOf(specs, split.above);
  const l = buildParzenEstimator(specs, good.columns, defaultWeights(good.count), options);
  const g = buildParzenEstimator(specs, bad.columns, defaultWeights(bad.count), options);
  const ranked = sampleEstimator(l, options.candidates, rng).map((point) => {
    const score = estimatorLogPdf(l, point) - estimatorLogPdf(g, point);
    return {
      values: Object.fromEntries(Object.entries(point).map(([name, v]) => [name, externalValue(specs[name]!, v)])),
      // Both densities vanish only far outside the data; such a candidate ranks last, not NaN.
      score: Number.isNaN(score) ? -Infinity : score,
    };
  });
  // Stable: equal scores keep draw order, as Optuna's argmax takes the first.
  return ranked.sort((a, b) => b.score - a.score || 0);
}
