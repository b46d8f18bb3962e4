/**
 * The two-sided Mann-Whitney U test of two samples (here: final regrets of two searchers over
 * independent seeds), by the normal approximation with tie and continuity corrections, which is
 * close to exact for the 20+ seeds the benchmark runs. It says whether a gap between two medians
 * is larger than the seeds' spread explains.
 */
import { logNdtr } from '../../searcher/tpe/normal';

export interface RankTest {
  /** Probability that a value of `a` is below one of `b` (ties count half): 0.5 = no difference. */
  pBelow: number;
  /** Two-sided p-value of "the samples come from the same distribution". */
  p: number;
}

export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest {
  const n1 = a.length;
  const n2 = b.length;
  const pooled = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))].sort((x, y) => x.v - y.v);
  // Midranks for ties, and the tie term of the variance.
  let rankSumA = 0;
  let ties = 0;
  for (let i = 0; i < pooled.length; ) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1]!.v === pooled[i]!.v) j += 1;
    const midrank = (i + j) / 2 + 1;
    const count = j - i + 1;
    ties += count ** 3 - count;
    for (let k = i; k <= j; k++) if (pooled[k]!.first) rankSumA += midrank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2; // pairs (x in a, y in b) with x > y, ties half
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  const z = variance > 0 ? Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance) : 0;
  return { pBelow: 1 - u / (n1 * n2), p: Math.min(1, 2 * Math.exp(logNdtr(-z))) };
}
