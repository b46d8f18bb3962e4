/**
 * A worker that keeps failing trials for reasons of its own (its trainer crashes, runs out of
 * memory, or cannot read the data) takes itself out of the trial queue: its trials then go to
 * healthy workers instead of burning their attempts here. A trial that succeeds resets the count;
 * a trial's own bad config says nothing about the node and changes nothing.
 *
 * The count is of different trials: one trial retried here again and again (a config too big for
 * any node's memory) fails on its own account and must not take the node, and with it every other
 * trial, out of service.
 */
export const QUARANTINE_AFTER = 3;

/** Failure types (workers/trainer-outcome.ts) that point at the node rather than at the trial. */
const NODE_FAILURES = new Set(['TrainerCrashed', 'OutOfMemory', 'DataUnavailable']);

export type AttemptOutcome = { ok: true } | { ok: false; type: string; reason: string; trial: string };

export interface Quarantine {
  /** Records how a trial attempt ended here; true when this attempt put the node in quarantine. */
  record(outcome: AttemptOutcome): boolean;
  /** Why the node is quarantined, or null while it is not. */
  readonly reason: string | null;
}

export function createQuarantine(limit = QUARANTINE_AFTER): Quarantine {
  /** The trials (`<sweep>/<trial>`) that failed here for node reasons since the last success. */
  const failed = new Set<string>();
  let reason: string | null = null;
  return {
    record(outcome) {
      if (reason !== null) return false;
      if (outcome.ok) {
        failed.clear();
        return false;
      }
      if (!NODE_FAILURES.has(outcome.type)) return false;
      failed.add(outcome.trial);
      if (failed.size < limit) return false;
      reason = `${failed.size} trials in a row failed here; last: ${outcome.reason.slice(0, 300)}`;
      return true;
    },
    get reason() {
      return reason;
    },
  };
}
