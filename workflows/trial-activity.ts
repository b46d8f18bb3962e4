/**
 * How workflows call the trial activity: one set of timeouts, retries and cancellation for sweep
 * trials and promotion runs alike, and the reason of a run that failed for good.
 */
import { ActivityCancellationType, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { RetryPolicy } from '@temporalio/common';
import type { createActivities } from '../workers/activities';

export type Activities = ReturnType<typeof createActivities>;

/**
 * Failures that retrying cannot fix end the trial at once (the worker marks them non-retryable).
 * Five attempts: a node that fails trials is quarantined after three (workers/quarantine.ts), so a
 * trial it failed still has attempts left on healthy workers.
 */
const TRIAL_RETRY: RetryPolicy = { maximumAttempts: 5, initialInterval: '5 seconds', backoffCoefficient: 2 };

export function trialActivities(taskQueue: string): Pick<Activities, 'runTrial'> {
  return proxyActivities<Activities>({
    taskQueue,
    // A 5-epoch trial on a slow CPU can take hours; liveness comes from the heartbeat instead.
    startToCloseTimeout: '24 hours',
    // A dead worker's trial is retried elsewhere within half a minute (heartbeats every 5 s).
    heartbeatTimeout: '20 seconds',
    retry: TRIAL_RETRY,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
}

export function failureReason(error: unknown): string {
  let current: unknown = error;
  // The activity's own message sits under ActivityFailure.cause.
  while (current instanceof Error && 'cause' in current && current.cause instanceof Error) current = current.cause;
  if (current instanceof ApplicationFailure && current.type) return `${current.type}: ${current.message}`;
  return current instanceof Error ? current.message : String(current);
}
