/**
 * Finished sweeps kept in a JetStream key-value bucket, so that `sweep status` can still show them
 * after Temporal's retention has dropped their workflows. One key per sweep: `sweeps.<id>`.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { storedSweepSchema, type StoredSweep } from '../contracts/sweep-results';

export const RESULTS_BUCKET = 'SWEEP_RESULTS';
const key = (sweepId: string) => `sweeps.${sweepId}`;

export interface ResultsStore {
  save(record: StoredSweep): Promise<void>;
  /** null when absent; throws when the record fails its schema. */
  load(sweepId: string): Promise<StoredSweep | null>;
  /** Every stored sweep that passes its schema, newest first. */
  list(): Promise<StoredSweep[]>;
}

export class StoredResultError extends Error {
  override name = 'StoredResultError';
}

function decode(sweepId: string, text: string): StoredSweep {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StoredResultError(`the stored result of ${sweepId} is not JSON`);
  }
  const parsed = storedSweepSchema.safeParse(value);
  if (!parsed.success) throw new StoredResultError(`the stored result of ${sweepId} is not a version-1 sweep record (written by a newer sweep?)`);
  return parsed.data as StoredSweep;
}

export async function openResultsStore(nc: NatsConnection): Promise<ResultsStore> {
  // `create` opens the bucket when it exists; history 1: a sweep's last record is its result.
  const kv: KV = await new Kvm(nc).create(RESULTS_BUCKET, { history: 1 });
  return {
    async save(record) {
      await kv.put(key(record.status.sweepId), JSON.stringify(record));
    },
    async load(sweepId) {
      const entry = await kv.get(key(sweepId));
      if (!entry || entry.operation !== 'PUT') return null;
      return decode(sweepId, entry.string());
    },
    async list() {
      const records: StoredSweep[] = [];
      for await (const k of await kv.keys('sweeps.>')) {
        const entry = await kv.get(k);
        if (!entry || entry.operation !== 'PUT') continue;
        try {
          records.push(decode(k.slice('sweeps.'.length), entry.string()));
        } catch {
          // A record this version cannot read is left out of the list; `status ID` names it.
        }
      }
      return records.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    },
  };
}
