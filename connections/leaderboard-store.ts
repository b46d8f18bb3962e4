/**
 * The leaderboard: one entry per promotion, kept in a JetStream key-value bucket (on disk with the
 * rest of JetStream, so it survives restarts). Key: `entries.<promotion id>`.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { leaderboardEntrySchema, type LeaderboardEntry } from '../contracts/promotion';
import { openRecordBucket } from './kv-records';

export const LEADERBOARD_BUCKET = 'SWEEP_LEADERBOARD';

export interface LeaderboardStore {
  save(entry: LeaderboardEntry): Promise<void>;
  load(id: string): Promise<LeaderboardEntry | null>;
  /** Every entry that passes its schema, best mean test accuracy first. */
  list(): Promise<LeaderboardEntry[]>;
}

export async function openLeaderboardStore(nc: NatsConnection): Promise<LeaderboardStore> {
  const bucket = await openRecordBucket(nc, {
    bucket: LEADERBOARD_BUCKET,
    prefix: 'entries',
    schema: leaderboardEntrySchema,
    describe: (id) => `the leaderboard entry ${id}`,
    accepts: 'version-1 leaderboard entry',
  });
  return {
    save: (entry) => bucket.put(entry.id, entry),
    load: (id) => bucket.get(id),
    list: async () => (await bucket.all()).sort((a, b) => b.test_acc.mean - a.test_acc.mean || a.promoted_at.localeCompare(b.promoted_at)),
  };
}
