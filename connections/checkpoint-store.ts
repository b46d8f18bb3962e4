/**
 * Trial checkpoints in a JetStream object store, so a trial retried on any worker resumes from the
 * last epoch its previous attempt finished. One object per trial (`<sweep>/<trial>`), replaced
 * after every epoch: the latest checkpoint is the only one a resume needs.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { NatsConnection } from '@nats-io/nats-core';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { jetStreamReplicas } from './config';

export const CHECKPOINTS_BUCKET = 'SWEEP_CHECKPOINTS';
/** Checkpoints of trials nobody resumes (a stopped sweep left alone) go after a week. */
const CHECKPOINT_TTL_NS = 7 * 24 * 3600 * 1e9;

/** Where a trial's latest checkpoint is: what the activity's heartbeat carries. */
export interface CheckpointRef {
  name: string;
  /** The epoch (0-based) whose end the checkpoint holds. */
  epoch: number;
}

export interface CheckpointStore {
  /** Uploads the trainer's checkpoint file of `epoch`, replacing the trial's previous one. */
  save(sweepId: string, trial: number, epoch: number, file: string): Promise<CheckpointRef>;
  /** The trial's latest checkpoint, or null when it has none. */
  latest(sweepId: string, trial: number): Promise<CheckpointRef | null>;
  /** Downloads a checkpoint to `file`; null when it is gone. */
  fetch(ref: CheckpointRef, file: string): Promise<string | null>;
  /** Drops the trial's checkpoint once the trial has its result. */
  remove(sweepId: string, trial: number): Promise<void>;
}

export const checkpointName = (sweepId: string, trial: number) => `${sweepId}/${trial}`;

export async function openCheckpointStore(nc: NatsConnection): Promise<CheckpointStore> {
  const store: ObjectStore = await new Objm(nc).create(CHECKPOINTS_BUCKET, { ttl: CHECKPOINT_TTL_NS, replicas: jetStreamReplicas() });
  return {
    async save(sweepId, trial, epoch, file) {
      const name = checkpointName(sweepId, trial);
      const data = Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
      await store.put({ name, metadata: { epoch: String(epoch) } }, data);
      return { name, epoch };
    },
    async latest(sweepId, trial) {
      const name = checkpointName(sweepId, trial);
      const info = await store.info(name);
      if (info === null || info.deleted) return null;
      const epoch = Number(info.metadata?.epoch);
      return Number.isInteger(epoch) ? { name, epoch } : null;
    },
    async fetch(ref, file) {
      const result = await store.get(ref.name);
      if (result === null) return null;
      await mkdir(path.dirname(file), { recursive: true });
      // Written beside and renamed: a download cut short never looks like a checkpoint.
      const partial = `${file}.partial`;
      await pipeline(Readable.fromWeb(result.data as unknown as WebReadableStream<Uint8Array>), createWriteStream(partial) as Writable);
      const error = await result.error;
      if (error) throw error;
      await rename(partial, file);
      return file;
    },
    async remove(sweepId, trial) {
      const name = checkpointName(sweepId, trial);
      if ((await store.info(name)) !== null) await store.delete(name);
    },
  };
}
