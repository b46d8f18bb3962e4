/**
 * The worker's activities: suggesting a trial and keeping results (local activities beside the
 * workflows), and running one trial, or one promotion run, as a trainer child process.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Space } from '../contracts/space';
import { STORED_SWEEP_VERSION } from '../contracts/sweep-results';
import type { RunTrialInput, RunTrialOutput, SweepStatus, TrialRunInfo } from '../contracts/sweep-workflow';
import type { CheckpointStore } from '../connections/checkpoint-store';
import type { ResultsStore } from '../connections/results-store';
import type { LeaderboardStore } from '../connections/leaderboard-store';
import type { LeaderboardEntry } from '../contracts/promotion';
import type { EpochReport, PruneDecision } from '../contracts/pruning';
import type { TrialEnded } from '../contracts/sweep-events';
import type { EpochEvent, ReadyEvent, TrainerEvent } from '../contracts/trainer-events';
import { plannedEpochs, type TrainerConfig, type TrialParams } from '../contracts/trial-config';
import { suggestTrialParams, type Observation } from '../searcher';
import { createTrialEventSink } from './event-publisher';
import { createHealthMonitor } from './health-monitor';
import type { AttemptOutcome } from './quarantine';
import type { SlotPool } from './slots';
import { watchTrialControl } from './trial-control';
import { classifyTrainerExit, type StopCause } from './trainer-outcome';
import { trialCheckpoints } from './trial-checkpoints';
import type { TrainerPool } from './trainer-pool';

export interface ActivityDeps {
  /** Each slot's warm trainer (workers/trainer-pool.ts). */
  trainers: TrainerPool;
  js: JetStreamClient;
  nc: NatsConnection;
  logger: Logger;
  node: string;
  /** The trainer writes checkpoints under <stateDir>/checkpoints/<sweep>/<trial>. */
  stateDir: string;
  /** Sends an epoch's validation accuracy to the sweep; the reply says whether to prune. */
  reportEpoch(sweepId: string, report: EpochReport): Promise<PruneDecision>;
  /** How each attempt ended, for the node's quarantine (workers/quarantine.ts). */
  attemptEnded(outcome: AttemptOutcome): void;
  /** This node's trial slots: each trial's device, threads and GPU, and the busy count. */
  slots: SlotPool;
  /** Where finished sweeps are kept after Temporal's retention. */
  results: ResultsStore;
  /** Where every trial's latest checkpoint is kept for any worker to resume from. */
  checkpoints: CheckpointStore;
  /** Where promotions write their entries. */
  leaderboard: LeaderboardStore;
  /** The git commit of this worker's code (workers/code-version.ts). */
  commit: string | null;
}

/** What a trial heartbeats: enough for a retry, on any worker, to resume where the last attempt got to. */
const heartbeatSchema = z.object({
  checkpoint: z.object({ name: z.string(), epoch: z.number().int() }).nullable(),
  epoch: z.number().int(),
  step: z.number().int(),
});
type Heartbeat = z.infer<typeof heartbeatSchema>;

/** Heartbeats also carry cancellation to the activity, so they must flow while the trainer loads data. */
const HEARTBEAT_EVERY_MS = 5_000;

export function createActivities(deps: ActivityDeps) {
  async function suggestTrial(input: { space: Space; trial: number; history: Observation[] }): Promise<TrialParams> {
    return suggestTrialParams(input.space, input.trial, input.history);
  }

  async function recordSweep(input: { startedAt: string; space: Space; status: SweepStatus }): Promise<void> {
    const { startedAt, space, status } = input;
    await deps.results.save({ v: STORED_SWEEP_VERSION, startedAt, savedAt: new Date().toISOString(), space, status });
  }

  async function recordPromotion(entry: LeaderboardEntry): Promise<void> {
    await deps.leaderboard.save(entry);
  }

  async function runTrial(input: RunTrialInput): Promise<RunTrialOutput> {
    const ctx = Context.current();
    const { attempt } = ctx.info;
    const previous = heartbeatSchema.safeParse(ctx.info.heartbeatDetails);
    const progress: Heartbeat = previous.success ? previous.data : { checkpoint: null, epoch: -1, step: 0 };
    const log = deps.logger.child({ sweep: input.sweepId, trial: input.trial, attempt });
    const checkpointDir = path.join(deps.stateDir, 'checkpoints', input.sweepId, String(input.trial));
    const checkpoints = trialCheckpoints(deps.checkpoints, log, input.sweepId, input.trial, checkpointDir);
    const resume = await checkpoints.resumePoint(progress.checkpoint);
    progress.checkpoint = resume?.ref ?? null;
    const resumeFrom = resume?.file ?? null;
    const execution = `${ctx.info.workflowExecution?.runId ?? '-'}.${ctx.info.activityId}`;
    const sink = createTrialEventSink(deps.js, log, { sweep: input.sweepId, trial: input.trial, attempt, node: deps.node }, execution);
    const plannedEpochsOfTrial = plannedEpochs(input.params);
    const startedAt = Date.now();

    // A free slot of this node: its device (a GPU of its own on a GPU node) and CPU threads.
    const slot = deps.slots.acquire();
    const config: TrainerConfig = {
      ...input.params,
      threads: slot.threads,
      device: slot.device,
      evaluate: input.evaluate ?? 'validation',
      checkpoint_dir: checkpointDir,
      resume_from: resumeFrom,
    };
    sink.publish({ event: 'trial_started', params: input.params, budget: input.budget, queue: input.queue, resume_from: resumeFrom });
    log.info({ resumeFrom: resume?.ref ?? null, slot: slot.id, gpu: slot.gpu }, 'trial starting');

    let stop: StopCause = null;
    let lastEvent: TrainerEvent | undefined;
    let lastEpoch: EpochEvent | undefined;
    let ready: ReadyEvent | undefined;
    const health = createHealthMonitor(input.health);
    const prune = (decision: PruneDecision) => {
      if (!decision.prune || stop !== null) return;
      log.info({ rule: decision.rule, reason: decision.reason }, 'pruning trial');
      stop = { kind: 'pruned', rule: decision.rule, reason: decision.reason };
      void trainer.stop();
    };
    const trainer = deps.trainers.run(slot, config, {
      onEvent(event) {
        lastEvent = event;
        sink.publish(event);
        if (event.event === 'checkpoint') checkpoints.uploaded(event.epoch, event.path, (ref) => (progress.checkpoint = ref));
        if (event.event === 'step') Object.assign(progress, { epoch: event.epoch, step: event.step });
        if (event.event === 'ready') {
          ready = event;
          // The per-trial start overhead: process start (cold) or none (warm), data, model.
          log.info({ warm: trainer.warm, startSeconds: (Date.now() - startedAt) / 1000 }, 'trainer ready');
        }
        // A promotion run has no validation split, so nothing for a pruner to compare.
        if (event.event === 'epoch' && input.evaluate !== 'test') {
          lastEpoch = event;
          // The trainer goes on while the sweep decides; a failed report only means no pruning.
          deps.reportEpoch(input.sweepId, { trial: input.trial, epoch: event.epoch, valAcc: event.val_acc }).then(prune, (error: unknown) =>
            log.warn({ err: error }, 'cannot report the epoch to the sweep; the trial goes on unpruned'),
          );
        }
        prune(health.observe(event));
      },
      onBadLine(reason) {
        log.warn({ reason }, 'trainer wrote a line outside the protocol');
      },
    });
    let control: { unsubscribe(): void } | undefined;
    const beat = setInterval(() => ctx.heartbeat(progress), HEARTBEAT_EVERY_MS);
    ctx.heartbeat(progress);

    const onCancel = () => {
      stop = ctx.cancellationDetails?.cancelRequested ? { kind: 'requested' } : { kind: 'interrupted' };
      void trainer.stop();
    };
    ctx.cancellationSignal.addEventListener('abort', onCancel);
    let exit;
    try {
      control = watchTrialControl(deps.nc, input.sweepId, input.trial, log, prune);
      exit = await trainer.exited;
    } finally {
      control?.unsubscribe();
      ctx.cancellationSignal.removeEventListener('abort', onCancel);
      // Whatever happened, the trial's training has ended before the activity reports (its warm
      // trainer stays in the slot for the next trial, or is gone if it died or was killed).
      await trainer.stop();
      deps.slots.release(slot);
    }

    // Heartbeats go on until the activity returns: a wait for NATS to take the last events (a
    // restart) must not look like a dead worker to Temporal, or the trial would run twice.
    try {
      const ended = (data: Omit<TrialEnded, 'event' | 'planned_epochs'>) =>
        sink.publish({ event: 'trial_ended', planned_epochs: plannedEpochsOfTrial, ...data });
      const outcome = classifyTrainerExit(exit, lastEvent, stop);
      if (outcome.kind === 'completed' || outcome.kind === 'pruned') deps.attemptEnded({ ok: true });
      if (outcome.kind === 'failed') deps.attemptEnded({ ok: false, type: outcome.type, reason: outcome.message, trial: `${input.sweepId}/${input.trial}` });
      switch (outcome.kind) {
        case 'completed': {
          const { val_acc, val_loss, epochs, seconds, test_acc, tta_acc } = outcome.result;
          const metrics = { val_acc, val_loss, epochs, seconds, ...(input.evaluate === 'test' ? { test_acc, tta_acc } : {}) };
          ended({ state: 'completed', reason: null, rule: null, metrics, final: true });
          await Promise.all([sink.flush(), checkpoints.finish(true)]);
          return { state: 'completed', metrics, run: runInfo(ready) };
        }
        case 'pruned': {
          // The last finished epoch's values; a trial pruned in its first epoch has none.
          const metrics = {
            val_acc: lastEpoch?.val_acc ?? null,
            val_loss: lastEpoch?.val_loss ?? null,
            epochs: lastEpoch === undefined ? 0 : lastEpoch.epoch + 1,
            seconds: (Date.now() - startedAt) / 1000,
          };
          ended({ state: 'pruned', reason: outcome.reason, rule: outcome.rule, metrics, final: true });
          await Promise.all([sink.flush(), checkpoints.finish(true)]);
          return { state: 'pruned', metrics, rule: outcome.rule, reason: outcome.reason };
        }
        case 'stopped':
          ended({ state: 'stopped', reason: 'sweep stopped', rule: null, metrics: null, final: true });
          // The checkpoint stays: a resumed sweep runs the trial again from it.
          await Promise.all([sink.flush(), checkpoints.finish(false)]);
          throw new CancelledFailure('trial stopped');
        case 'interrupted':
          ended({ state: 'failed', reason: outcome.message, rule: null, metrics: null, final: false });
          await Promise.all([sink.flush(), checkpoints.finish(false)]);
          throw ApplicationFailure.retryable(outcome.message, 'TrialInterrupted');
        case 'failed': {
          const maxAttempts = ctx.info.retryPolicy?.maximumAttempts ?? 0;
          const final = !outcome.retryable || (maxAttempts > 0 && attempt >= maxAttempts);
          const reason = `${outcome.type}: ${outcome.message}`;
          log.warn({ reason, final }, 'trial attempt failed');
          ended({ state: 'failed', reason, rule: null, metrics: null, final });
          await Promise.all([sink.flush(), checkpoints.finish(final)]);
          throw ApplicationFailure.create({ type: outcome.type, message: outcome.message, nonRetryable: !outcome.retryable });
        }
      }
    } finally {
      clearInterval(beat);
    }
  }

  function runInfo(ready: ReadyEvent | undefined): TrialRunInfo {
    return {
      node: deps.node,
      hardware: ready?.hardware ?? ready?.device ?? 'unknown',
      torch: ready?.torch ?? 'unknown',
      trainer: ready?.trainer ?? 'unknown',
      commit: deps.commit,
      trainSize: ready?.train_size ?? 0,
      testSize: ready?.test_size ?? 0,
    };
  }

  return { suggestTrial, recordSweep, recordPromotion, runTrial };
}
