/**
 * `sweep promote ID`: trains the sweep's best config (or `--trial N`) again with several seeds on
 * all 60,000 training images, scores each on the 10,000 test images with and without flip TTA,
 * and writes a leaderboard entry (workflows/promote-workflow.ts). Follows the runs live, like
 * `sweep start`; a promotion of the same trial, seeds and subset that is still running is followed
 * instead of started twice.
 */
import { WorkflowFailedError, type Client } from '@temporalio/client';
import type { LeaderboardEntry, PromoteInput } from '../../contracts/promotion';
import { QUEUE_KINDS } from '../../contracts/space';
import type { promoteWorkflow } from '../../workflows/promote-workflow';
import type { SweepStatus, TrialRecord } from '../../contracts/sweep-workflow';
import { PROMOTE_WORKFLOW_TYPE } from '../../workflows/definitions';
import { CONTROL_TASK_QUEUE, trialTaskQueue } from '../../workers/task-queues';
import { badInput, failure } from '../errors';
import { formatLeaderboard } from '../leaderboard-format';
import { followEvents } from '../live-view';
import { PromotionProgress } from '../promotion-progress';
import { connectionConfig, ensureStack, noteQueueMismatch, orFail, temporalClient, type GlobalOptions } from '../stack-context';
import { loadSweepStatus } from './status';

export interface PromoteOptions extends GlobalOptions {
  trial?: number;
  seeds: number;
  parallel?: number;
  trainSubset?: number;
  detach?: boolean;
  json?: boolean;
}

/** The memo key that names what a promotion runs, so a second `promote` follows the first. */
const PROMOTION_MEMO = 'promotion';

function chooseTrial(status: SweepStatus, trial: number | undefined): TrialRecord {
  const completed = status.trials.filter((t) => t.state === 'completed');
  if (trial === undefined) {
    if (status.best === null) throw failure(`sweep ${status.sweepId} has no completed trial to promote`);
    return status.best;
  }
  const record = status.trials.find((t) => t.trial === trial);
  const choices = completed.length ? `completed trials: ${completed.map((t) => t.trial).join(', ')}` : 'it has no completed trial';
  if (record === undefined) throw badInput(`--trial ${trial}: sweep ${status.sweepId} has no trial ${trial} (${choices})`);
  if (record.state !== 'completed') throw badInput(`--trial ${trial}: trial ${trial} is ${record.state}, only a completed trial can be promoted (${choices})`);
  return record;
}

export function promotionId(sweepId: string, trial: number, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `promote-${sweepId}-t${trial}-${stamp}`;
}

async function runningPromotion(client: Client, key: string): Promise<string | null> {
  for await (const wf of client.workflow.list({ query: `WorkflowType = '${PROMOTE_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'` })) {
    if (wf.memo?.[PROMOTION_MEMO] === key) return wf.workflowId;
  }
  return null;
}

export async function promoteCommand(sweepId: string, options: PromoteOptions): Promise<void> {
  const config = connectionConfig(options);
  const out = options.json ? process.stderr : process.stdout;
  const localQueue = await ensureStack(config, (line) => process.stderr.write(`${line}\n`));
  const client = await temporalClient(config);
  const status = await loadSweepStatus(client, config, sweepId);
  if (status === null) throw failure(`no sweep with id "${sweepId}" (see \`sweep status\` for the list)`);
  const queue = QUEUE_KINDS.find((k) => k === status.queue);
  if (queue === undefined) throw failure(`sweep ${sweepId} ran on queue "${status.queue}", which this version does not know (${QUEUE_KINDS.join(', ')})`);
  noteQueueMismatch(localQueue, queue, (text) => process.stderr.write(text));
  const chosen = chooseTrial(status, options.trial);
  // Each run gets its own seed, and trains on every training image unless a subset is asked for.
  const { seed: _trialSeed, train_subset: _sweepSubset, ...params } = chosen.params;
  const seeds = Array.from({ length: options.seeds }, (_, i) => i);
  const trainSubset = options.trainSubset ?? null;
  const key = JSON.stringify({ sweepId, trial: chosen.trial, seeds: seeds.length, trainSubset });

  let id = await runningPromotion(client, key);
  if (id !== null) {
    out.write(`promotion ${id} of this trial already runs; following it\n`);
  } else {
    id = promotionId(sweepId, chosen.trial);
    const input: PromoteInput = {
      promotionId: id,
      sweep: { id: status.sweepId, name: status.name },
      trial: chosen.trial,
      params,
      valAcc: chosen.metrics?.val_acc ?? null,
      seeds,
      taskQueue: trialTaskQueue(queue),
      parallel: Math.min(options.parallel ?? status.parallel, seeds.length),
      trainSubset,
    };
    await client.workflow.start(PROMOTE_WORKFLOW_TYPE, { taskQueue: CONTROL_TASK_QUEUE, workflowId: id, args: [input], memo: { [PROMOTION_MEMO]: key } });
    const images = trainSubset === null ? 'all 60,000 training images' : `${trainSubset} training images (a subset: not a challenge result)`;
    out.write(`promotion ${id} started: trial ${chosen.trial} of ${sweepId} (val_acc ${chosen.metrics?.val_acc?.toFixed(4) ?? '-'}), ${seeds.length} seeds on ${images}, ${input.parallel} at a time\n`);
  }
  if (options.detach) {
    if (options.json) process.stdout.write(`${JSON.stringify({ promotion: { id, state: 'running' } })}\n`);
    out.write(`follow it with: npx sweep promote ${sweepId}${options.trial === undefined ? '' : ` --trial ${options.trial}`} --seeds ${options.seeds}${trainSubset === null ? '' : ` --train-subset ${trainSubset}`}\n`);
    return;
  }
  const entry = await followPromotion(client, config, id, seeds, out, !options.json && !!process.stdout.isTTY);
  if (options.json) process.stdout.write(`${JSON.stringify({ entry })}\n`);
  else out.write(`\nleaderboard entry ${entry.id} written:\n\n${formatLeaderboard([entry], 'table')}\n`);
}

async function followPromotion(
  client: Client,
  config: ReturnType<typeof connectionConfig>,
  id: string,
  seeds: number[],
  out: NodeJS.WriteStream,
  tty: boolean,
): Promise<LeaderboardEntry> {
  const result = client.workflow.getHandle<typeof promoteWorkflow>(id).result();
  try {
    return await orFail(
      followEvents(config, { id, fold: new PromotionProgress(seeds), result, leaveMessage: `left the live view; the promotion ${id} goes on and writes its entry when done (\`npx sweep leaderboard\`)` }, { out, tty }),
    );
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      const cause = error.cause instanceof Error ? error.cause.message : String(error.cause ?? error.message);
      throw failure(cause);
    }
    throw error;
  }
}
