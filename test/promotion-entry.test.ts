/**
 * A promotion's leaderboard entry from its runs, and how the leaderboard prints it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaderboardEntrySchema, meanStd, type PromoteInput } from '../contracts/promotion';
import { formatLeaderboard } from '../cli/leaderboard-format';
import { promotionEntry, type PromotionRun } from '../workflows/promotion-entry';

const input: PromoteInput = {
  promotionId: 'promote-s-1-t4-20261204-000000',
  sweep: { id: 's-1', name: 's' },
  trial: 4,
  params: { max_lr: 0.01, widths: [8, 16], note: 'a|b' },
  valAcc: 0.91,
  seeds: [0, 1, 2],
  taskQueue: 'sweep-gpu',
  parallel: 3,
  trainSubset: null,
};
const run = (seed: number, test: number, tta: number, hardware = 'NVIDIA H200'): PromotionRun => ({
  seed,
  metrics: { val_acc: null, val_loss: null, epochs: 5, seconds: 9 + seed, test_acc: test, tta_acc: tta },
  run: { node: `n${seed}`, hardware, torch: '2.4.0', trainer: '1.1.0', commit: 'abc', trainSize: 60_000, testSize: 10_000 },
});

describe('promotion entries', () => {
  it('hold the mean and sample std of test and TTA accuracy over the seeds, and where they ran', () => {
    const entry = promotionEntry(input, [run(0, 0.93, 0.94), run(1, 0.932, 0.941), run(2, 0.934, 0.945, 'AMD EPYC, 16 threads')], new Date('2026-12-04T00:00:00Z'), new Date('2026-12-04T00:00:42Z'));
    assert.ok(leaderboardEntrySchema.safeParse(entry).success);
    assert.ok(Math.abs(entry.test_acc.mean - 0.932) < 1e-12);
    assert.ok(Math.abs(entry.test_acc.std! - 0.002) < 1e-12);
    assert.deepEqual(entry.seeds.map((s) => s.seed), [0, 1, 2]);
    assert.deepEqual(entry.hardware, ['AMD EPYC, 16 threads', 'NVIDIA H200']);
    assert.equal(entry.wall_seconds, 42);
    assert.deepEqual([entry.train_images, entry.test_images, entry.epochs, entry.commit], [60_000, 10_000, 5, 'abc']);
  });

  it('refuse a run without a test accuracy', () => {
    const bad = run(0, 0.9, 0.9);
    bad.metrics.test_acc = null;
    assert.throws(() => promotionEntry(input, [bad], new Date(), new Date()), /seed 0 reported no test accuracy/);
  });

  it('give no std for a single seed', () => {
    assert.deepEqual(meanStd([0.9]), { mean: 0.9, std: null });
  });
});

describe('the leaderboard', () => {
  const best = promotionEntry(input, [run(0, 0.94, 0.945), run(1, 0.942, 0.947)], new Date(0), new Date(60_000));
  const subset = { ...promotionEntry({ ...input, promotionId: 'p2', trainSubset: 3000 }, [run(0, 0.7, 0.71)], new Date(0), new Date(1000)), train_images: 3000 };

  it('prints Markdown with a row per entry, pipes escaped, subsets marked, and each config', () => {
    const md = formatLeaderboard([best, subset], 'md');
    assert.match(md, /^## Fashion-MNIST leaderboard/);
    assert.match(md, /\| 1 \| 94\.10 ± 0\.14% \| 94\.60 ± 0\.14% \| 2 \| 5 \| all 60k \| 91\.00% \| NVIDIA H200 \|/);
    assert.match(md, /\| 2 \| 70\.00% \| 71\.00% \| 1 \| 5 \| 3000 \(subset\) \|/);
    assert.match(md, /"note":"a\|b"/, 'the config block is JSON, unescaped');
    assert.doesNotMatch(md.split('\n').find((l) => l.startsWith('| 1 '))!, /a\|b/);
  });

  it('says how to fill an empty one, and prints JSON that parses back', () => {
    assert.match(formatLeaderboard([], 'table'), /sweep promote SWEEP_ID/);
    assert.deepEqual(JSON.parse(formatLeaderboard([best], 'json')), { entries: [best] });
  });
});
