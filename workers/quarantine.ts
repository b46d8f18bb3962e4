/**
 * A worker that keeps failing trials for reasons of its own (its trainer crashes, runs out of
 * memory, or cannot read the data) takes itself out of the trial queue: its trials then go to
 * healthy workers instead of burning their attempts here. A trial that succeeds resets the count;
 * a trial's own bad config says nothing about the node and changes nothing.
 */
export const QUARANTINE_AFTER = 3;

/** Failure types (workers/trainer-outcome.ts) that point at the node rather than at the trial. */
const NODE_FAILURES = new Set(['TrainerCrashed', 'OutOfMemory', 'DataUnavailable']);

export interface Quarantine {
  /** Records how a trial attempt ended here; true when this attempt put the node in quarantine. */
  record(outcome: { ok: true } | { ok: false; type: string; reason: string }): boolean;
  /** Why the node is quarantined, or null while it is not. */
  readonly reason: string | null;
}

export function createQuarantine(limit = QUARANTINE_AFTER): Quarantine {
  let consecutive = 0;
  let reason: string | null = null;
  return {
    record(outcome) {
      if (reason !== null) return false;
      if (outcome.ok) {
        consecutive = 0;
        return false;
      }
      if (!NODE_FAILURES.has(outcome.type)) return false;
      consecutive += 1;
      if (consecutive < limit) return false;
      reason = `${consecutive} trials in a row failed here; last: ${outcome.reason.slice(0, 300)}`;
      return true;
    },
    get reason() {
      return reason;
    },
  };
}
