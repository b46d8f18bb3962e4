/**
 * A worker that keeps failing trials for reasons of its own (its trainer crashes, runs out of
 * memory, or cannot read the data) takes itself out of the trial queue: its trials then go to
 * healthy workers instead of burning their attempts here. A trial that succeeds resets the count;
 * a trial's own bad config says nothing about the node and changes nothing.
 *
 * Data this node cannot read is the node's fault whichever trial meets it, so every such attempt
 * counts. A crash or an out-of-memory may be the trial's own (a config too big for any node's
 * memory): those count once per trial, so one trial retried here again and again cannot take the
 * node, and with it every other trial, out of service; three different trials failing so can.
 */
export const QUARANTINE_AFTER = 3;

/** Failure types (workers/trainer-outcome.ts) that point at the node, and what each one counts. */
const NODE_FAILURES: Record<string, 'attempt' | 'trial'> = {
  DataUnavailable: 'attempt',
  TrainerCrashed: 'trial',
  OutOfMemory: 'trial',
};

export type AttemptOutcome = { ok: true } | { ok: false; type: string; reason: string; trial: string };

export interface Quarantine {
  /** Records how a trial attempt ended here; true when this attempt put the node in quarantine. */
  record(outcome: AttemptOutcome): boolean;
  /** Why the node is quarantined, or null while it is not. */
  readonly reason: string | null;
}

export function createQuarantine(limit = QUARANTINE_AFTER): Quarantine {
  /** What failed here for node reasons since the last success: trials, or single attempts. */
  const failed = new Set<string>();
  let attempts = 0;
  let reason: string | null = null;
  return {
    record(outcome) {
      if (reason !== null) return false;
      if (outcome.ok) {
        failed.clear();
        return false;
      }
      const counts = NODE_FAILURES[outcome.type];
      if (counts === undefined) return false;
      failed.add(counts === 'trial' ? outcome.trial : `${outcome.trial}#attempt-${++attempts}`);
      if (failed.size < limit) return false;
      reason = `${failed.size} trial attempts in a row failed here; last: ${outcome.reason.slice(0, 300)}`;
      return true;
    },
    get reason() {
      return reason;
    },
  };
}
