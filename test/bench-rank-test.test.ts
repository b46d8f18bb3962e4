import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mannWhitney } from '../bench/searcher/rank-test';

describe('the benchmark\'s rank test (Mann-Whitney U)', () => {
  it('matches scipy.stats.mannwhitneyu (two-sided, asymptotic, continuity corrected)', () => {
    // scipy 1.17.1: mannwhitneyu([1,2,3,4,5], [6,7,8,9,10], method='asymptotic') -> p = 0.0121858
    const apart = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    assert.ok(Math.abs(apart.p - 0.0121858) < 1e-5, String(apart.p));
    assert.equal(apart.pBelow, 1);
    // With ties: mannwhitneyu([1,2,2,3,5], [2,3,4,4,6], method='asymptotic') -> U = 6.5, p = 0.2418443
    const tied = mannWhitney([1, 2, 2, 3, 5], [2, 3, 4, 4, 6]);
    assert.ok(Math.abs(tied.p - 0.2418443) < 1e-5, String(tied.p));
    assert.equal(tied.pBelow, 1 - 6.5 / 25);
  });

  it('finds no difference between a sample and itself', () => {
    const same = mannWhitney([0.3, 0.1, 0.2, 0.5], [0.5, 0.2, 0.1, 0.3]);
    assert.ok(same.p > 0.9999, String(same.p));
    assert.equal(same.pBelow, 0.5);
  });
});
