/**
 * Promotion: the chosen config trained again with each seed on all training images, scored on the
 * test set (plain and flip TTA), through the same trial activity as the sweep's trials (retries,
 * checkpoints, heartbeats), then kept as a leaderboard entry.
 *
 * All runs must complete: an entry of fewer seeds than asked for would overstate its certainty.
 */
import { ApplicationFailure, isCancellation, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { HealthOptions } from '../contracts/pruning';
import type { LeaderboardEntry, PromoteInput } from '../contracts/promotion';
import { promotionEntry, type PromotionRun } from './promotion-entry';
import { failureReason, trialActivities, type Activities } from './trial-activity';

const { recordPromotion } = proxyLocalActivities<Activities>({ startToCloseTimeout: '1 minute' });

/** The config has proven itself in the sweep: a promotion run is never pruned, only failed. */
const NO_HEALTH_RULES: HealthOptions = { dead_activations: false, divergence: false };

export async function promoteWorkflow(input: PromoteInput): Promise<LeaderboardEntry> {
  const { runTrial } = trialActivities(input.taskQueue);
  const runs: Array<PromotionRun | undefined> = [];
  const failures: string[] = [];
  /** Set when the promotion is cancelled (`sweep stop ID`): no further run starts. */
  let cancelled: unknown = null;

  const runSeed = async (index: number): Promise<void> => {
    const seed = input.seeds[index]!;
    const params = { ...input.params, seed, ...(input.trainSubset === null ? {} : { train_subset: input.trainSubset }) };
    try {
      const output = await runTrial({
        sweepId: input.promotionId,
        trial: index,
        params,
        queue: input.taskQueue,
        budget: input.seeds.length,
        health: NO_HEALTH_RULES,
        evaluate: 'test',
      });
      if (output.state !== 'completed' || output.run === undefined) {
        failures.push(`seed ${seed}: ${output.state === 'pruned' ? `${output.rule}: ${output.reason}` : 'no run information'}`);
        return;
      }
      runs[index] = { seed, metrics: output.metrics, run: output.run };
    } catch (error) {
      if (isCancellation(error)) cancelled = error;
      else failures.push(`seed ${seed}: ${failureReason(error)}`);
    }
  };

  // `parallel` lanes, each taking the next seed: at most that many runs at once.
  let next = 0;
  const lane = async () => {
    while (next < input.seeds.length && cancelled === null) await runSeed(next++);
  };
  await Promise.all(Array.from({ length: Math.min(input.parallel, input.seeds.length) }, lane));
  // Every run has wound down (its trainer killed) before the workflow ends as cancelled.
  if (cancelled !== null) throw cancelled;

  if (failures.length > 0) {
    throw ApplicationFailure.nonRetryable(`promotion failed, no leaderboard entry written: ${failures.join('; ')}`, 'PromotionFailed');
  }
  const done = runs.filter((r): r is PromotionRun => r !== undefined);
  const entry = promotionEntry(input, done, workflowInfo().startTime, new Date());
  await recordPromotion(entry);
  return entry;
}
