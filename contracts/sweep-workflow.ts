/**
 * The sweep workflow's inputs and outputs, shared by the workflow, the worker and the CLI.
 * Plain data only: it crosses Temporal's payload converter.
 */
import type { Space } from './space';
import type { TrialParams } from './trial-config';
import type { TrialMetrics, TrialState } from './sweep-events';

export interface SweepInput {
  sweepId: string;
  space: Space;
}

export interface TrialRecord {
  trial: number;
  params: TrialParams;
  state: TrialState;
  metrics: TrialMetrics | null;
  reason: string | null;
}

export interface SweepStatus {
  sweepId: string;
  name: string;
  state: 'running' | 'stopping' | 'completed' | 'stopped';
  budget: number;
  parallel: number;
  /** The kind of worker the trials run on (`cpu`, `gpu`); the task queue is `sweep-<queue>`. */
  queue: string;
  /** The hyperparameters the space searches (the rest of a trial's params are fixed). */
  searched: string[];
  trials: TrialRecord[];
  best: TrialRecord | null;
}

export interface RunTrialInput {
  sweepId: string;
  trial: number;
  params: TrialParams;
  queue: string;
}

export interface RunTrialOutput {
  state: 'completed' | 'stopped';
  metrics: TrialMetrics;
}
