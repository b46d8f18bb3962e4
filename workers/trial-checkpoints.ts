/**
 * One trial attempt's checkpoints: where it resumes from, the upload of each epoch's checkpoint to
 * the shared store, and the clean-up once the trial has its result. The trainer writes checkpoints
 * to a local folder; the store is what outlives this worker.
 */
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { CheckpointRef, CheckpointStore } from '../connections/checkpoint-store';

export interface TrialCheckpoints {
  /** The local file to resume from: the later of the heartbeat's and the store's checkpoint, or null. */
  resumePoint(fromHeartbeat: CheckpointRef | null): Promise<{ ref: CheckpointRef; file: string } | null>;
  /** Uploads a checkpoint the trainer wrote, after the ones before it; `stored` sees its ref. */
  uploaded(epoch: number, file: string, stored: (ref: CheckpointRef) => void): void;
  /** Waits for the uploads, drops the local files, and the stored checkpoint when `final`. */
  finish(final: boolean): Promise<void>;
}

export function trialCheckpoints(store: CheckpointStore, log: Logger, sweepId: string, trial: number, localDir: string): TrialCheckpoints {
  let uploads: Promise<void> = Promise.resolve();
  return {
    async resumePoint(fromHeartbeat) {
      try {
        // The store's is the newer when the last attempt stored one more checkpoint after its last
        // heartbeat; it is the only one for a trial run again after a pause or in a resumed sweep.
        const stored = await store.latest(sweepId, trial).catch((error: unknown) => {
          log.warn({ err: error }, 'cannot look up the trial in the checkpoint store');
          return null;
        });
        const ref = [fromHeartbeat, stored].reduce<CheckpointRef | null>((a, b) => (b !== null && (a === null || b.epoch > a.epoch) ? b : a), null);
        if (ref === null) return null;
        const file = await store.fetch(ref, path.join(localDir, `resume-epoch-${ref.epoch}.pt`));
        if (file === null) log.warn({ checkpoint: ref }, 'the checkpoint to resume from is gone; the trial starts over');
        return file === null ? null : { ref, file };
      } catch (error) {
        log.warn({ err: error }, 'cannot fetch the checkpoint to resume from; the trial starts over');
        return null;
      }
    },
    uploaded(epoch, file, stored) {
      uploads = uploads.then(
        async () => {
          stored(await store.save(sweepId, trial, epoch, file));
          // The store holds it now; the trainer never reads an older local checkpoint again.
          await rm(file, { force: true });
        },
      ).catch((error: unknown) => log.warn({ err: error, epoch }, 'cannot store the checkpoint; a retry resumes from an earlier one'));
    },
    async finish(final) {
      await uploads;
      await rm(localDir, { recursive: true, force: true });
      if (!final) return;
      await store.remove(sweepId, trial).catch((error: unknown) => log.warn({ err: error }, 'cannot drop the finished trial’s checkpoint'));
    },
  };
}
