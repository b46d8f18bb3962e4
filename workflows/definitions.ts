/**
 * The sweep workflow's name, signals and queries, defined once and imported by the workflow and
 * by every client (CLI, tests).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { EpochReport, PruneDecision } from '../contracts/pruning';
import type { SweepStatus } from '../contracts/sweep-workflow';

export const SWEEP_WORKFLOW_TYPE = 'sweepWorkflow';
export const PROMOTE_WORKFLOW_TYPE = 'promoteWorkflow';
export const statusQuery = defineQuery<SweepStatus>('status');
/** Asks the sweep to start no new trial and cancel the running ones. */
export const stopSignal = defineSignal<[reason?: string]>('stop');
/** Asks the sweep to start no new trial and stop the running ones, which keep their checkpoints. */
export const pauseSignal = defineSignal('pause');
/** Lets a paused sweep go on: its paused trials first, from their checkpoints. */
export const resumeSignal = defineSignal('resume');
/**
 * A running trial reports each epoch's validation accuracy; the reply says whether the sweep's
 * pruner stops it. An update, not a signal, so the decision is recorded in history and returned.
 */
export const reportEpochUpdate = defineUpdate<PruneDecision, [EpochReport]>('reportEpoch');
