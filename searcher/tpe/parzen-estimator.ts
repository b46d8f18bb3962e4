/**
 * A Parzen estimator over a group of params: a weighted mixture whose k-th component is the
 * product of the params' k-th kernels (one component per observation, plus the prior last).
 * With one param this is Optuna's independent estimator; with several, its multivariate one.
 * Bandwidths follow Optuna 5: the same neighbour rule per param in both modes.
 */
import type { ParamSpec } from '../../contracts/space';
import {
  addKernelLogPdfs,
  categoricalFromRows,
  forward,
  numericAxis,
  numericKernels,
  pickIndex,
  sampleKernel,
  type Kernels,
  type NumericAxis,
} from './kernels';

export interface EstimatorOptions {
  priorWeight: number;
}

/** Column per param: its value in each observation (choice index for a categorical). */
export type Columns = Record<string, readonly number[]>;

export interface ParzenEstimator {
  names: readonly string[];
  /** Component weights, normalised; the prior's is last. */
  weights: number[];
  /** Their logs, the starting terms of every density evaluation. */
  logWeights: Float64Array;
  kernels: Record<string, Kernels>;
}

/**
 * `weights` holds one weight per observation (the recency ramp); the prior's weight is appended.
 * Every column must have as many entries as `weights`.
 */
export function buildParzenEstimator(
  specs: Readonly<Record<string, ParamSpec>>,
  columns: Columns,
  weights: readonly number[],
  options: EstimatorOptions,
): ParzenEstimator {
  const names = Object.keys(specs);
  const n = weights.length;
  const raw = n === 0 ? [1] : [...weights, options.priorWeight];
  const total = raw.reduce((a, b) => a + b, 0);
  const kernels: Record<string, Kernels> = {};
  for (const name of names) {
    const spec = specs[name]!;
    const column = columns[name] ?? [];
    kernels[name] =
      spec.type === 'categorical'
        ? categoricalKernels(spec.values.length, column, options.priorWeight)
        : numericFromObservations(numericAxis(spec), column);
  }
  const normalised = raw.map((w) => w / total);
  return { names, weights: normalised, logWeights: Float64Array.from(normalised, Math.log), kernels };
}

/**
 * Each observation's row puts prior_weight / n_kernels on every choice and 1 more on its own,
 * then is normalised; the prior's row is uniform.
 */
function categoricalKernels(nChoices: number, observed: readonly number[], priorWeight: number): Kernels {
  const nKernels = observed.length + 1;
  const base = priorWeight / nKernels;
  const rows = observed.map((choice) => {
    const row = new Array<number>(nChoices).fill(base);
    row[choice]! += 1;
    const sum = base * nChoices + 1;
    return row.map((w) => w / sum);
  });
  rows.push(new Array<number>(nChoices).fill(1 / nChoices));
  return categoricalFromRows(rows);
}

function numericFromObservations(axis: NumericAxis, values: readonly number[]): Kernels {
  const mus = values.map((v) => forward(axis, v));
  const range = axis.high - axis.low;
  // Magic clip: no kernel narrower than the range over the kernel count (capped at 100), so a
  // cluster of close observations cannot collapse into a spike.
  const minSigma = range / Math.min(100, 1 + (mus.length + 1));
  const sigmas = neighbourSigmas(mus, axis).map((s) => Math.min(range, Math.max(minSigma, s)));
  // The prior: one wide kernel centred on the range.
  mus.push(0.5 * (axis.low + axis.high));
  sigmas.push(range);
  return numericKernels(axis, mus, sigmas);
}

/**
 * Each kernel's bandwidth is the larger gap to its neighbours among the observations and the
 * bounds; the outermost two use their inner gap only (endpoints not considered), so a point at
 * the edge of the range does not get a kernel as wide as the empty space beside it.
 */
function neighbourSigmas(mus: readonly number[], axis: NumericAxis): number[] {
  const order = mus.map((_, i) => i).sort((i, j) => mus[i]! - mus[j]! || i - j);
  const points = [axis.low, ...order.map((i) => mus[i]!), axis.high];
  const sorted = order.map((_, r) => Math.max(points[r + 1]! - points[r]!, points[r + 2]! - points[r + 1]!));
  if (points.length >= 4) {
    sorted[0] = points[2]! - points[1]!;
    sorted[sorted.length - 1] = points[points.length - 2]! - points[points.length - 3]!;
  }
  const sigmas = new Array<number>(mus.length);
  order.forEach((i, r) => (sigmas[i] = sorted[r]!));
  return sigmas;
}

/** `count` points from the mixture: pick a component, then draw every param from its kernel. */
export function sampleEstimator(estimator: ParzenEstimator, count: number, rng: () => number): Record<string, number>[] {
  const samples: Record<string, number>[] = [];
  for (let s = 0; s < count; s++) {
    const k = pickIndex(estimator.weights, rng());
    const point: Record<string, number> = {};
    for (const name of estimator.names) point[name] = sampleKernel(estimator.kernels[name]!, k, rng);
    samples.push(point);
  }
  return samples;
}

/** log density of the mixture at a point: logsumexp over components of log w + sum of kernel logs. */
export function estimatorLogPdf(estimator: ParzenEstimator, point: Readonly<Record<string, number>>): number {
  const terms = Float64Array.from(estimator.logWeights);
  for (const name of estimator.names) addKernelLogPdfs(estimator.kernels[name]!, point[name]!, terms);
  let max = -Infinity;
  for (const t of terms) if (t > max) max = t;
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum);
}
