/**
 * A promotion's leaderboard entry from its runs: pure, so the workflow stays deterministic and the
 * arithmetic is tested on its own.
 */
import { LEADERBOARD_ENTRY_VERSION, meanStd, type LeaderboardEntry, type PromoteInput } from '../contracts/promotion';
import type { TrialRunInfo } from '../contracts/sweep-workflow';
import type { TrialMetrics } from '../contracts/sweep-events';

export interface PromotionRun {
  seed: number;
  metrics: TrialMetrics;
  run: TrialRunInfo;
}

const distinct = (values: string[]) => [...new Set(values)].sort();

export function promotionEntry(input: PromoteInput, runs: readonly PromotionRun[], startedAt: Date, endedAt: Date): LeaderboardEntry {
  const seeds = runs.map(({ seed, metrics, run }) => {
    if (metrics.test_acc == null || metrics.tta_acc == null) throw new Error(`the run of seed ${seed} reported no test accuracy`);
    return { seed, test_acc: metrics.test_acc, tta_acc: metrics.tta_acc, seconds: metrics.seconds, node: run.node, hardware: run.hardware };
  });
  const first = runs[0]!;
  const commits = distinct(runs.map((r) => r.run.commit ?? ''));
  return {
    v: LEADERBOARD_ENTRY_VERSION,
    id: input.promotionId,
    sweep: input.sweep,
    trial: input.trial,
    val_acc: input.valAcc,
    params: input.params,
    epochs: first.metrics.epochs,
    train_images: first.run.trainSize,
    test_images: first.run.testSize,
    seeds,
    test_acc: meanStd(seeds.map((s) => s.test_acc)),
    tta_acc: meanStd(seeds.map((s) => s.tta_acc)),
    trainer: distinct(runs.map((r) => r.run.trainer)).join(', '),
    // Runs on workers of different commits are one entry still; the commits are listed.
    commit: commits.length === 1 && commits[0] === '' ? null : commits.filter((c) => c !== '').join(', ') || null,
    hardware: distinct(runs.map((r) => r.run.hardware)),
    torch: distinct(runs.map((r) => r.run.torch)),
    wall_seconds: (endedAt.getTime() - startedAt.getTime()) / 1000,
    promoted_at: endedAt.toISOString(),
  };
}
