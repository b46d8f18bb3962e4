/**
 * The sweep workflow's name, signals and queries, defined once and imported by the workflow and
 * by every client (CLI, tests).
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SweepStatus } from '../contracts/sweep-workflow';

export const SWEEP_WORKFLOW_TYPE = 'sweepWorkflow';
export const statusQuery = defineQuery<SweepStatus>('status');
/** Asks the sweep to start no new trial and cancel the running ones. */
export const stopSignal = defineSignal<[reason?: string]>('stop');
