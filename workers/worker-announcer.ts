/**
 * A worker tells who it is and how busy it is every few seconds on sweep.workers.<node>, for the
 * metrics exporter (and `sweep workers`). Core NATS: only the latest announcement matters.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import * as os from 'node:os';
import { ENVELOPE_VERSION, WORKER_ANNOUNCE_EVERY_MS, workerSubject, type WorkerAnnouncement } from '../contracts/sweep-events';
import type { SlotCounter } from './slot-counter';

export function announceWorker(nc: NatsConnection, who: { node: string; queue: string; slots: number }, busy: SlotCounter): () => void {
  const announce = () => {
    const message: WorkerAnnouncement = { v: ENVELOPE_VERSION, ...who, host: os.hostname(), busy: busy.busy, ts: Date.now() };
    nc.publish(workerSubject(who.node), JSON.stringify(message));
  };
  announce();
  const timer = setInterval(announce, WORKER_ANNOUNCE_EVERY_MS);
  return () => clearInterval(timer);
}
