/**
 * The worker registry: each worker's latest announcement in a JetStream KV bucket whose entries
 * expire, so `sweep workers` lists the live nodes at once and a node that falls silent drops off.
 */
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { WORKER_ANNOUNCE_EVERY_MS, workerAnnouncementSchema, workerSubject, type WorkerAnnouncement } from '../contracts/sweep-events';
import { jetStreamReplicas } from './config';

export const WORKERS_BUCKET = 'SWEEP_WORKERS';
/** Three missed announcements and the node is gone from the list. */
export const WORKER_SILENT_AFTER_MS = 3 * WORKER_ANNOUNCE_EVERY_MS;

export interface WorkerRegistry {
  put(announcement: WorkerAnnouncement): Promise<void>;
  /** Live workers, by node id; entries that fail their schema (a newer version) are skipped. */
  list(): Promise<WorkerAnnouncement[]>;
}

/** The subject token of a node id is also its key: `sweep.workers.<key>`. */
const keyOf = (node: string) => workerSubject(node).slice('sweep.workers.'.length);

export async function openWorkerRegistry(nc: NatsConnection): Promise<WorkerRegistry> {
  const kv: KV = await new Kvm(nc).create(WORKERS_BUCKET, { history: 1, ttl: WORKER_SILENT_AFTER_MS, replicas: jetStreamReplicas() });
  return {
    async put(announcement) {
      await kv.put(keyOf(announcement.node), JSON.stringify(announcement));
    },
    async list() {
      const workers: WorkerAnnouncement[] = [];
      for await (const key of await kv.keys()) {
        const entry = await kv.get(key);
        if (!entry || entry.operation !== 'PUT') continue;
        let value: unknown;
        try {
          value = entry.json();
        } catch {
          continue;
        }
        const parsed = workerAnnouncementSchema.safeParse(value);
        // The bucket's max age removes silent nodes; a clock-skewed reader double-checks.
        if (parsed.success && parsed.data.ts > Date.now() - WORKER_SILENT_AFTER_MS - WORKER_ANNOUNCE_EVERY_MS) workers.push(parsed.data);
      }
      return workers.sort((a, b) => a.node.localeCompare(b.node));
    },
  };
}
