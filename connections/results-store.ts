/**
 * Finished sweeps kept in a JetStream key-value bucket, so that `sweep status` can still show them
 * after Temporal's retention has dropped their workflows. One key per sweep: `sweeps.<id>`.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import type { z } from 'zod';
import { storedSweepSchema, type StoredSweep } from '../contracts/sweep-results';
import { openRecordBucket } from './kv-records';

export const RESULTS_BUCKET = 'SWEEP_RESULTS';

export interface ResultsStore {
  save(record: StoredSweep): Promise<void>;
  /** null when absent; throws StoredRecordError when the record fails its schema. */
  load(sweepId: string): Promise<StoredSweep | null>;
  /** Every stored sweep that passes its schema, newest first. */
  list(): Promise<StoredSweep[]>;
}

export async function openResultsStore(nc: NatsConnection): Promise<ResultsStore> {
  // history 1: a sweep's last record is its result.
  const bucket = await openRecordBucket(nc, {
    bucket: RESULTS_BUCKET,
    prefix: 'sweeps',
    // The schema checks the space and status as plain JSON; their TypeScript types are the
    // workflow's own (the space is parsed again with parseSpace wherever it is used).
    schema: storedSweepSchema as unknown as z.ZodType<StoredSweep>,
    describe: (id) => `the stored result of ${id}`,
    accepts: 'version-1 sweep record',
  });
  return {
    save: (record) => bucket.put(record.status.sweepId, record),
    load: (sweepId) => bucket.get(sweepId),
    list: async () => (await bucket.all()).sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
  };
}
