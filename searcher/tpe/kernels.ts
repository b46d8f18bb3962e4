/**
 * The kernels of one param in a Parzen estimator: one per observation plus the prior, each a
 * distribution over the param's values. Numeric params get truncated normals (in log space for
 * log params; integrated over each grid cell for int params); categorical params get a weight row
 * per kernel. Values here are param values (numbers), or choice indices for a categorical.
 */
import type { ParamSpec } from '../../contracts/space';
import { LOG_SQRT_2PI, logNormalMass, sampleStandardTruncated } from './normal';

/** Where a numeric param's kernels live: value = forward^-1 of a point in [low, high]. */
export interface NumericAxis {
  /** The param's own bounds (value space). */
  valueLow: number;
  valueHigh: number;
  /** Grid spacing of an int param; null for a continuous one. */
  step: number | null;
  log: boolean;
  /** The kernels' support (transformed space): an int's bounds widen by half a step each side. */
  low: number;
  high: number;
}

export interface NumericKernels {
  kind: 'numeric';
  axis: NumericAxis;
  mus: number[];
  sigmas: number[];
  /** log of each kernel's mass over [low, high], the truncation's normaliser. */
  logMass: number[];
  /** log(sigma * sqrt(2 pi)) + logMass: a continuous kernel's whole log normaliser, precomputed
   * because scoring evaluates every kernel at every candidate. */
  logNorm: number[];
}

export interface CategoricalKernels {
  kind: 'categorical';
  /** One normalised row of choice probabilities per kernel. */
  rows: number[][];
  /** The rows' logs, for scoring. */
  logRows: number[][];
}

export type Kernels = NumericKernels | CategoricalKernels;

export function numericAxis(spec: Exclude<ParamSpec, { type: 'categorical' }>): NumericAxis {
  const step = spec.type === 'int' ? spec.step : null;
  const log = spec.type === 'loguniform' || (spec.type === 'int' && spec.log);
  const half = step === null ? 0 : step / 2;
  // An int's top value is the last one on its step grid, which `high` need not be.
  const high = step === null ? spec.high : spec.low + Math.floor((spec.high - spec.low) / step) * step;
  const forward = log ? Math.log : (v: number) => v;
  return { valueLow: spec.low, valueHigh: high, step, log, low: forward(spec.low - half), high: forward(high + half) };
}

/** A continuous param with low == high has one value, and every kernel is all mass on it. */
function isPoint(axis: NumericAxis): boolean {
  return axis.low === axis.high;
}

export function forward(axis: NumericAxis, value: number): number {
  return axis.log ? Math.log(value) : value;
}

export function numericKernels(axis: NumericAxis, mus: number[], sigmas: number[]): NumericKernels {
  const logMass = mus.map((mu, i) => logNormalMass((axis.low - mu) / sigmas[i]!, (axis.high - mu) / sigmas[i]!));
  const logNorm = sigmas.map((sigma, i) => LOG_SQRT_2PI + Math.log(sigma) + logMass[i]!);
  return { kind: 'numeric', axis, mus, sigmas, logMass, logNorm };
}

export function categoricalFromRows(rows: number[][]): CategoricalKernels {
  return { kind: 'categorical', rows, logRows: rows.map((row) => row.map(Math.log)) };
}

/** A draw from kernel k: a param value (choice index for a categorical). */
export function sampleKernel(kernels: Kernels, k: number, rng: () => number): number {
  if (kernels.kind === 'categorical') return pickIndex(kernels.rows[k]!, rng());
  const { axis, mus, sigmas } = kernels;
  if (isPoint(axis)) return axis.valueLow;
  const mu = mus[k]!;
  const sigma = sigmas[k]!;
  const x = mu + sigma * sampleStandardTruncated((axis.low - mu) / sigma, (axis.high - mu) / sigma, rng());
  let value = axis.log ? Math.exp(x) : x;
  if (axis.step !== null) value = axis.valueLow + Math.round((value - axis.valueLow) / axis.step) * axis.step;
  // Clamped because exp(log(v)) and the half-step margins can land a hair outside the bounds.
  return Math.min(axis.valueHigh, Math.max(axis.valueLow, value));
}

/** log density of kernel k at a value (a probability for int and categorical params). */
export function kernelLogPdf(kernels: Kernels, k: number, value: number): number {
  const count = kernels.kind === 'categorical' ? kernels.rows.length : kernels.mus.length;
  const out = new Float64Array(count);
  addKernelLogPdfs(kernels, value, out);
  return out[k]!;
}

/** Adds every kernel's log density at `value` to `out` (out[k] += log p_k(value)): scoring's hot loop. */
export function addKernelLogPdfs(kernels: Kernels, value: number, out: Float64Array): void {
  if (kernels.kind === 'categorical') {
    for (let k = 0; k < out.length; k++) out[k]! += kernels.logRows[k]![value]!;
    return;
  }
  const { axis, mus, sigmas, logNorm, logMass } = kernels;
  if (isPoint(axis)) return;
  // One tight loop per case, the value transformed once: this runs kernels x candidates times.
  if (axis.step === null) {
    const x = forward(axis, value);
    for (let k = 0; k < out.length; k++) {
      const z = (x - mus[k]!) / sigmas[k]!;
      out[k]! += -0.5 * z * z - logNorm[k]!;
    }
    return;
  }
  const lo = forward(axis, value - axis.step / 2);
  const hi = forward(axis, value + axis.step / 2);
  for (let k = 0; k < out.length; k++) {
    out[k]! += logNormalMass((lo - mus[k]!) / sigmas[k]!, (hi - mus[k]!) / sigmas[k]!) - logMass[k]!;
  }
}

/** Index i with probability weights[i] (weights sum to 1). */
export function pickIndex(weights: readonly number[], u: number): number {
  let rest = u;
  for (let i = 0; i < weights.length; i++) {
    rest -= weights[i]!;
    if (rest < 0) return i;
  }
  // Rounding can leave u a hair above the total: the last index with weight takes it.
  for (let i = weights.length - 1; i > 0; i--) if (weights[i]! > 0) return i;
  return 0;
}
