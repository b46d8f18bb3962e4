/**
 * The sweep workflow's inputs and outputs, shared by the workflow, the worker and the CLI.
 * Plain data only: it crosses Temporal's payload converter.
 */
import type { HealthOptions, PruneRule } from './pruning';
import type { Space } from './space';
import type { TrialParams } from './trial-config';
import type { TrialMetrics, TrialState } from './sweep-events';

export interface SweepInput {
  sweepId: string;
  space: Space;
  /**
   * The trials of an earlier run of this sweep, when `sweep resume` continues one that had ended
   * (stopped, or its workflow terminated): their results stand, their unfinished trials run again.
   */
  resumed?: TrialRecord[];
}

export interface TrialRecord {
  trial: number;
  params: TrialParams;
  state: TrialState;
  metrics: TrialMetrics | null;
  reason: string | null;
  /** Set when the trial was pruned. */
  rule: PruneRule | null;
  /** Validation accuracy after each epoch reported so far (what the pruner compares). */
  values: Array<number | null>;
}

export const SWEEP_STATES = ['running', 'paused', 'stopping', 'completed', 'stopped'] as const;
export type SweepState = (typeof SWEEP_STATES)[number];

export interface SweepStatus {
  sweepId: string;
  name: string;
  state: SweepState;
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
  budget: number;
  /** The space's health rules, which the worker applies as the trainer's events arrive. */
  health: HealthOptions;
  /**
   * `test` only for a promotion run (workflows/promote-workflow.ts): the trainer trains on all
   * training images and scores the test set; there is no validation accuracy to report per epoch.
   */
  evaluate?: 'validation' | 'test';
}

/** Where and with what a completed run trained, from its worker and its trainer's `ready` event. */
export interface TrialRunInfo {
  node: string;
  hardware: string;
  torch: string;
  trainer: string;
  /** The worker's git commit (workers/code-version.ts). */
  commit: string | null;
  trainSize: number;
  testSize: number;
}

export type RunTrialOutput =
  | { state: 'completed'; metrics: TrialMetrics; run?: TrialRunInfo }
  /** Stopped early by a pruner, a health rule or an alert; metrics are the last epoch's. */
  | { state: 'pruned'; metrics: TrialMetrics; rule: PruneRule; reason: string };
