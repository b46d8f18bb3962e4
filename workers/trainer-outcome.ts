/**
 * Maps how a trainer process ended to what the trial becomes: the one place exit codes are read
 * (docs/trainer-protocol.md, "Exit codes").
 */
import type { PruneRule } from '../contracts/pruning';
import type { ResultEvent, TrainerEvent } from '../contracts/trainer-events';
import type { TrainerExit } from './trainer-process';

export type TrainerOutcome =
  | { kind: 'completed'; result: ResultEvent }
  | { kind: 'stopped' }
  | { kind: 'pruned'; rule: PruneRule; reason: string }
  | { kind: 'interrupted'; message: string }
  | { kind: 'failed'; type: string; message: string; retryable: boolean };

const FAILURES: Record<number, { type: string; retryable: boolean }> = {
  2: { type: 'BadTrialConfig', retryable: false },
  // Data missing or unreadable on this node: another worker may have it.
  3: { type: 'DataUnavailable', retryable: true },
  5: { type: 'OutOfMemory', retryable: true },
};

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

/** The trainer's own NaN check (exit 4) is the health rule `nan_loss`: the trial is pruned. */
const NON_FINITE_LOSS_EXIT = 4;

/**
 * Why the worker stopped the trainer, if it did: the sweep asked (`requested`), this worker is
 * going away or lost its activity (`interrupted`: the trial resumes elsewhere from its checkpoint),
 * or a pruner, health rule or alert decided the trial is not worth finishing (`pruned`).
 */
export type StopCause =
  | { kind: 'requested' }
  | { kind: 'interrupted' }
  | { kind: 'pruned'; rule: PruneRule; reason: string }
  | null;

export function classifyTrainerExit(exit: TrainerExit, lastEvent: TrainerEvent | undefined, stop: StopCause): TrainerOutcome {
  if (exit.code === 0 && lastEvent?.event === 'result') return { kind: 'completed', result: lastEvent };
  if (stop?.kind === 'requested') return { kind: 'stopped' };
  if (stop?.kind === 'interrupted') return { kind: 'interrupted', message: 'the worker stopped the trial (shutdown or lost lease)' };
  if (stop?.kind === 'pruned') return stop;
  if (exit.code === NON_FINITE_LOSS_EXIT) {
    const message = lastEvent?.event === 'error' ? lastEvent.message : 'the training loss became NaN or infinite';
    return { kind: 'pruned', rule: 'nan_loss', reason: message };
  }
  const known = exit.code === null ? undefined : FAILURES[exit.code];
  if (known) {
    const message = lastEvent?.event === 'error' ? lastEvent.message : lastLines(exit.stderrTail, 3);
    return { kind: 'failed', ...known, message };
  }
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const detail = exit.code === 0 ? 'without a result event' : lastLines(exit.stderrTail, 5);
  return { kind: 'failed', type: 'TrainerCrashed', message: `trainer ${how}: ${detail}`, retryable: true };
}
