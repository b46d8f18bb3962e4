/**
 * A worker tells who it is, how busy it is and whether it is quarantined every few seconds: on
 * sweep.workers.<node> for the metrics exporter (core NATS: only the latest matters), and in the
 * worker registry for `sweep workers`.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import * as os from 'node:os';
import { ENVELOPE_VERSION, WORKER_ANNOUNCE_EVERY_MS, workerSubject, type WorkerAnnouncement } from '../contracts/sweep-events';
import type { WorkerRegistry } from '../connections/worker-registry';
import type { Logger } from 'pino';
import type { Quarantine } from './quarantine';
import type { SlotPool } from './slots';

export interface Announcer {
  /** Announces now (after a change worth telling at once, such as a quarantine). */
  now(): void;
  stop(): void;
}

export function announceWorker(
  nc: NatsConnection,
  registry: WorkerRegistry,
  logger: Logger,
  who: { node: string; queue: string; slots: number; gpus: number; threads: number },
  state: { slots: SlotPool; quarantine: Quarantine },
): Announcer {
  let warned = false;
  const announce = () => {
    const message: WorkerAnnouncement = {
      v: ENVELOPE_VERSION,
      ...who,
      host: os.hostname(),
      busy: state.slots.busy,
      quarantined: state.quarantine.reason,
      ts: Date.now(),
    };
    nc.publish(workerSubject(who.node), JSON.stringify(message));
    registry.put(message).then(
      () => (warned = false),
      (error: unknown) => {
        // NATS away (a restart): the next announcement puts it again.
        if (!warned) logger.warn({ err: error }, 'cannot update the worker registry');
        warned = true;
      },
    );
  };
  announce();
  const timer = setInterval(announce, WORKER_ANNOUNCE_EVERY_MS);
  return { now: announce, stop: () => clearInterval(timer) };
}
