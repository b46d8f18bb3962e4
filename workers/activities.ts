/**
 * The worker's activities: suggesting a trial (a local activity beside the workflow) and running
 * one trial as a trainer child process.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { JetStreamClient } from '@nats-io/jetstream';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Space } from '../contracts/space';
import type { RunTrialInput, RunTrialOutput } from '../contracts/sweep-workflow';
import type { TrainerEvent } from '../contracts/trainer-events';
import type { TrainerConfig, TrialParams } from '../contracts/trial-config';
import { suggestTrialParams, type Observation } from '../searcher';
import { createTrialEventSink } from './event-publisher';
import { classifyTrainerExit, type StopCause } from './trainer-outcome';
import { TrainerProcess } from './trainer-process';

export interface ActivityDeps {
  python: string;
  js: JetStreamClient;
  logger: Logger;
  node: string;
  /** Checkpoints go under <stateDir>/checkpoints/<sweep>/<trial>. */
  stateDir: string;
  threads: number;
  device: string;
}

/** What a trial heartbeats: enough for a retry to resume where the last attempt got to. */
const heartbeatSchema = z.object({ checkpoint: z.string().nullable(), epoch: z.number().int(), step: z.number().int() });
type Heartbeat = z.infer<typeof heartbeatSchema>;

/** Heartbeats also carry cancellation to the activity, so they must flow while the trainer loads data. */
const HEARTBEAT_EVERY_MS = 5_000;

export function createActivities(deps: ActivityDeps) {
  async function suggestTrial(input: { space: Space; trial: number; history: Observation[] }): Promise<TrialParams> {
    return suggestTrialParams(input.space, input.trial, input.history);
  }

  async function runTrial(input: RunTrialInput): Promise<RunTrialOutput> {
    const ctx = Context.current();
    const { attempt } = ctx.info;
    const previous = heartbeatSchema.safeParse(ctx.info.heartbeatDetails);
    const progress: Heartbeat = previous.success ? previous.data : { checkpoint: null, epoch: -1, step: 0 };
    const resumeFrom = progress.checkpoint;
    const log = deps.logger.child({ sweep: input.sweepId, trial: input.trial, attempt });
    const sink = createTrialEventSink(deps.js, log, { sweep: input.sweepId, trial: input.trial, attempt, node: deps.node });

    const config: TrainerConfig = {
      ...input.params,
      threads: deps.threads,
      device: deps.device,
      checkpoint_dir: path.join(deps.stateDir, 'checkpoints', input.sweepId, String(input.trial)),
      resume_from: resumeFrom,
    };
    sink.publish({ event: 'trial_started', params: input.params, queue: input.queue, resume_from: resumeFrom });
    log.info({ resumeFrom }, 'trial starting');

    let lastEvent: TrainerEvent | undefined;
    const trainer = new TrainerProcess(deps.python, config, {
      onEvent(event) {
        lastEvent = event;
        sink.publish(event);
        if (event.event === 'checkpoint') progress.checkpoint = event.path;
        if (event.event === 'step') Object.assign(progress, { epoch: event.epoch, step: event.step });
      },
      onBadLine(reason) {
        log.warn({ reason }, 'trainer wrote a line outside the protocol');
      },
    });
    const beat = setInterval(() => ctx.heartbeat(progress), HEARTBEAT_EVERY_MS);
    ctx.heartbeat(progress);

    let stop: StopCause = null;
    const onCancel = () => {
      stop = ctx.cancellationDetails?.cancelRequested ? 'requested' : 'interrupted';
      void trainer.stop();
    };
    ctx.cancellationSignal.addEventListener('abort', onCancel);
    let exit;
    try {
      exit = await trainer.exited;
    } finally {
      clearInterval(beat);
      ctx.cancellationSignal.removeEventListener('abort', onCancel);
      // Whatever happened, the trainer's group is gone before the activity reports.
      await trainer.stop();
    }

    const outcome = classifyTrainerExit(exit, lastEvent, stop);
    switch (outcome.kind) {
      case 'completed': {
        const { val_acc, val_loss, epochs, seconds } = outcome.result;
        const metrics = { val_acc, val_loss, epochs, seconds };
        sink.publish({ event: 'trial_ended', state: 'completed', reason: null, metrics, final: true });
        await sink.flush();
        return { state: 'completed', metrics };
      }
      case 'stopped':
        sink.publish({ event: 'trial_ended', state: 'stopped', reason: 'sweep stopped', metrics: null, final: true });
        await sink.flush();
        throw new CancelledFailure('trial stopped');
      case 'interrupted':
        sink.publish({ event: 'trial_ended', state: 'failed', reason: outcome.message, metrics: null, final: false });
        await sink.flush();
        throw ApplicationFailure.retryable(outcome.message, 'TrialInterrupted');
      case 'failed': {
        const maxAttempts = ctx.info.retryPolicy?.maximumAttempts ?? 0;
        const final = !outcome.retryable || (maxAttempts > 0 && attempt >= maxAttempts);
        const reason = `${outcome.type}: ${outcome.message}`;
        log.warn({ reason, final }, 'trial attempt failed');
        sink.publish({ event: 'trial_ended', state: 'failed', reason, metrics: null, final });
        await sink.flush();
        throw ApplicationFailure.create({ type: outcome.type, message: outcome.message, nonRetryable: !outcome.retryable });
      }
    }
  }

  return { suggestTrial, runTrial };
}
