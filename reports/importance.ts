/**
 * Hyperparameter importance as each param's share of the variance of validation accuracy that its
 * value explains on its own: the correlation ratio eta^2 = between-group variance / total
 * variance, grouping trials by a categorical param's value, or a numeric param's value into
 * quantile bins. A first-order measure (the main effect, as fANOVA's first-order terms, without a
 * surrogate model): cheap, exact on the trials run, and honest about small sweeps, where every
 * estimate is rough. Importances are also given normalised to sum to 1, as Optuna reports them.
 */
import type { HyperValue } from '../contracts/trial-config';

export interface Importance {
  param: string;
  /** eta^2 in [0, 1]. */
  eta2: number;
  /** eta^2 over the sum of all params' eta^2. */
  share: number;
  /** Trials that had a value for the param. */
  trials: number;
}

/** Trials needed before a share means anything. */
export const MIN_TRIALS_FOR_IMPORTANCE = 4;

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

function eta2(groups: number[][]): number {
  const all = groups.flat();
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  const total = all.reduce((a, y) => a + (y - mean) ** 2, 0);
  if (total === 0) return 0;
  const between = groups.reduce((a, g) => a + g.length * ((g.reduce((s, y) => s + y, 0) / g.length - mean) ** 2), 0);
  return between / total;
}

/** Importance of each of `params` over the trials with a value; highest first. */
export function paramImportance(params: readonly string[], trials: ReadonlyArray<{ params: Record<string, HyperValue>; value: number }>): Importance[] {
  const raw = params.map((param) => {
    const points = trials.filter((t) => t.params[param] !== undefined).map((t) => ({ value: t.params[param]!, y: t.value }));
    return { param, trials: points.length, eta2: points.length >= 2 ? eta2(groupsOf(points)) : 0 };
  });
  const sum = raw.reduce((a, r) => a + r.eta2, 0);
  return raw.map((r) => ({ ...r, share: sum > 0 ? r.eta2 / sum : 0 })).sort((a, b) => b.eta2 - a.eta2);
}
