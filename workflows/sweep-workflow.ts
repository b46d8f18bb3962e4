/**
 * The sweep: ask the searcher for a trial, run it on the space's task queue, record the result,
 * keep at most `parallel` trials running, stop at the trial budget or on the stop signal.
 *
 * Deterministic code only: suggestions come from a local activity (recorded in history), trials
 * from activities, and the only state is the list of trial records.
 */
import {
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { HEALTH_DEFAULTS, KEEP, type EpochReport, type PruneDecision } from '../contracts/pruning';
import type { SweepInput, SweepStatus, TrialRecord } from '../contracts/sweep-workflow';
import { plannedEpochs } from '../contracts/trial-config';
import { createPruner } from '../pruners';
import { trialTaskQueue } from '../workers/task-queues';
import { pauseSignal, reportEpochUpdate, resumeSignal, statusQuery, stopSignal } from './definitions';
import { failureReason, trialActivities, type Activities } from './trial-activity';

const { suggestTrial, recordSweep } = proxyLocalActivities<Activities>({ startToCloseTimeout: '1 minute' });

/** Sweeps started before results were kept outside Temporal replay without this step. */
export const RECORD_RESULTS_PATCH = 'record-sweep-results';

export function bestTrial(trials: readonly TrialRecord[]): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const t of trials) {
    const value = t.state === 'completed' ? t.metrics?.val_acc : null;
    if (value == null) continue;
    if (best === null || value > (best.metrics?.val_acc ?? -Infinity)) best = t;
  }
  return best;
}

export async function sweepWorkflow({ sweepId, space, resumed }: SweepInput): Promise<SweepStatus> {
  const queue = trialTaskQueue(space.queue);
  const { runTrial } = trialActivities(queue);

  const trials: TrialRecord[] = [];
  const scopes = new Map<number, CancellationScope>();
  /** Paused trials, run again (from their checkpoints) before any new trial. */
  const toResume: TrialRecord[] = [];
  /** Running trials whose cancellation is a pause, not a stop. */
  const pausing = new Set<number>();
  let stopping = false;
  let paused = false;
  let finished: 'completed' | 'stopped' | null = null;
  let running = 0;

  const status = (state: SweepStatus['state']): SweepStatus => ({
    sweepId,
    name: space.name,
    state,
    budget: space.trials,
    parallel: space.parallel,
    queue: space.queue,
    searched: Object.keys(space.params),
    trials,
    best: bestTrial(trials),
  });

  // An earlier run's results stand; what it left unfinished runs again from its checkpoints.
  for (const earlier of resumed ?? []) {
    const record: TrialRecord = { ...earlier, values: [...earlier.values] };
    trials.push(record);
    if (record.state === 'running' || record.state === 'paused' || record.state === 'stopped') {
      Object.assign(record, { state: 'paused', reason: 'waiting to run again', metrics: null });
      toResume.push(record);
    }
  }
  let next = trials.reduce((n, t) => Math.max(n, t.trial + 1), 0);

  setHandler(statusQuery, () => status(finished ?? (stopping ? 'stopping' : paused ? 'paused' : 'running')));
  // A sweep started by an older version has no pruner or health rules in its space.
  const pruner = createPruner(space.pruner ?? { type: 'none' });
  const health = space.health ?? HEALTH_DEFAULTS;
  setHandler(reportEpochUpdate, ({ trial, epoch, valAcc }: EpochReport): PruneDecision => {
    const record = trials.find((t) => t.trial === trial);
    if (record === undefined || record.state !== 'running') return KEEP;
    // A retried attempt reports again the epochs after its checkpoint: the latest value wins.
    record.values[epoch] = valAcc;
    // The last epoch is the result, not a point to stop at.
    if (stopping || epoch + 1 >= plannedEpochs(record.params)) return KEEP;
    return pruner.decide(trial, epoch, trials);
  });
  setHandler(stopSignal, () => {
    stopping = true;
    for (const scope of scopes.values()) scope.cancel();
  });
  setHandler(pauseSignal, () => {
    if (stopping || paused) return;
    paused = true;
    for (const [trial, scope] of scopes) {
      pausing.add(trial);
      scope.cancel();
    }
  });
  setHandler(resumeSignal, () => {
    paused = false;
  });

  const runOne = async (record: TrialRecord): Promise<void> => {
    const scope = new CancellationScope();
    scopes.set(record.trial, scope);
    try {
      const output = await scope.run(() =>
        runTrial({ sweepId, trial: record.trial, params: record.params, queue, budget: space.trials, health }),
      );
      record.state = output.state;
      record.metrics = output.metrics;
      if (output.state === 'pruned') {
        record.rule = output.rule;
        record.reason = output.reason;
      }
    } catch (error) {
      if (pausing.has(record.trial) && !stopping) {
        Object.assign(record, { state: 'paused', reason: 'sweep paused' });
        toResume.push(record);
      } else if (isCancellation(error) || stopping) {
        record.state = 'stopped';
        record.reason = 'sweep stopped';
      } else {
        record.state = 'failed';
        record.reason = failureReason(error);
      }
    } finally {
      scopes.delete(record.trial);
      pausing.delete(record.trial);
      running -= 1;
    }
  };

  const inFlight: Promise<void>[] = [];
  const start = (record: TrialRecord) => {
    running += 1;
    inFlight.push(runOne(record));
  };
  const allStarted = () => next >= space.trials && toResume.length === 0;
  for (;;) {
    // A slot and a trial to put in it, or nothing left to start and nothing running.
    await condition(() => stopping || (!paused && running < space.parallel && !allStarted()) || (allStarted() && running === 0));
    if (stopping || allStarted()) break;
    const again = toResume.shift();
    if (again !== undefined) {
      Object.assign(again, { state: 'running', reason: null });
      start(again);
      continue;
    }
    const trial = next++;
    const history = trials.map((t) => ({
      trial: t.trial,
      params: t.params,
      // A paused trial will go on: to the searcher it is still running.
      state: t.state === 'paused' ? 'running' : t.state,
      value: t.state === 'completed' ? (t.metrics?.val_acc ?? null) : null,
      values: t.values,
    }));
    const params = await suggestTrial({ space, trial, history });
    if (stopping) break;
    const record: TrialRecord = { trial, params, state: 'running', metrics: null, reason: null, rule: null, values: [] };
    trials.push(record);
    start(record);
  }
  await Promise.all(inFlight);
  // Stopped while paused: the paused trials end stopped, and a later `sweep resume` runs them again.
  for (const record of toResume) Object.assign(record, { state: 'stopped', reason: 'sweep stopped' });
  finished = stopping ? 'stopped' : 'completed';
  const result = status(finished);
  if (patched(RECORD_RESULTS_PATCH)) {
    try {
      // Kept beyond Temporal's retention, for `sweep status` (connections/results-store.ts).
      await recordSweep({ startedAt: workflowInfo().startTime.toISOString(), space, status: result });
    } catch (error) {
      // The result stands in Temporal's history until retention; the sweep itself succeeded.
      log.warn('could not keep the sweep result outside Temporal', { error: String(error) });
    }
  }
  return result;
}
