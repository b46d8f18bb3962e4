/**
 * Hyperparameter importance as each param's share of the variance of validation accuracy that its
 * value explains on its own, grouping trials by a categorical param's value, or a numeric param's
 * value into quantile bins. The share is epsilon^2, the correlation ratio corrected for chance:
 * (between-group sum of squares - (k - 1) x within-group mean square) / total sum of squares, at
 * least 0. Plain eta^2 grows with the number of groups even for a param that does nothing, which
 * would favour a 3-value categorical over a continuous param cut in 2 bins. A first-order measure
 * (the main effect, as fANOVA's first-order terms, without a surrogate model): cheap, exact on the
 * trials run, and rough on small sweeps. Importances are also given normalised to sum to 1, as
 * Optuna reports them.
 */
import type { HyperValue } from '../contracts/trial-config';

export interface Importance {
  param: string;
  /** epsilon^2 in [0, 1]. */
  epsilon2: number;
  /** This param's epsilon^2 over the sum of all params'. */
  share: number;
  /** Trials that had a value for the param. */
  trials: number;
}

/** Completed trials below which the report says the shares are rough. */
export const MIN_TRIALS_FOR_IMPORTANCE = 10;

const key = (v: HyperValue) => JSON.stringify(v);

function groupsOf(points: Array<{ value: HyperValue; y: number }>): number[][] {
  const numeric = points.every((p) => typeof p.value === 'number');
  const distinct = new Set(points.map((p) => key(p.value))).size;
  if (!numeric || distinct <= 6) {
    const groups = new Map<string, number[]>();
    for (const p of points) groups.set(key(p.value), [...(groups.get(key(p.value)) ?? []), p.y]);
    return [...groups.values()];
  }
  // Quantile bins of about 3+ trials each, at most 5, so each bin's mean is more than one trial.
  const bins = Math.max(2, Math.min(5, Math.floor(points.length / 3)));
  const sorted = [...points].sort((a, b) => (a.value as number) - (b.value as number));
  return Array.from({ length: bins }, (_, b) => sorted.slice(Math.floor((b * sorted.length) / bins), Math.floor(((b + 1) * sorted.length) / bins)).map((p) => p.y));
}

function epsilon2(groups: number[][]): number {
  const all = groups.flat();
  const n = all.length;
  const k = groups.length;
  const mean = all.reduce((a, b) => a + b, 0) / n;
  const total = all.reduce((a, y) => a + (y - mean) ** 2, 0);
  // No variance, or no trial left over to estimate the noise from: nothing to attribute.
  if (total === 0 || n <= k) return 0;
  const between = groups.reduce((a, g) => a + g.length * ((g.reduce((s, y) => s + y, 0) / g.length - mean) ** 2), 0);
  const withinMeanSquare = (total - between) / (n - k);
  return Math.max(0, (between - (k - 1) * withinMeanSquare) / total);
}

/** Importance of each of `params` over the trials with a value; highest first. */
export function paramImportance(params: readonly string[], trials: ReadonlyArray<{ params: Record<string, HyperValue>; value: number }>): Importance[] {
  const raw = params.map((param) => {
    const points = trials.filter((t) => t.params[param] !== undefined).map((t) => ({ value: t.params[param]!, y: t.value }));
    return { param, trials: points.length, epsilon2: points.length >= 2 ? epsilon2(groupsOf(points)) : 0 };
  });
  const sum = raw.reduce((a, r) => a + r.epsilon2, 0);
  return raw.map((r) => ({ ...r, share: sum > 0 ? r.epsilon2 / sum : 0 })).sort((a, b) => b.epsilon2 - a.epsilon2);
}
