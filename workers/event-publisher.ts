/**
 * Relays a trial's events to JetStream, in order, each wrapped in the versioned envelope.
 *
 * Publishing never fails a trial: Temporal holds the results, NATS carries the live view. A message
 * id per event lets JetStream drop the duplicates a reconnect can send.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { ENVELOPE_VERSION, trialEventSubject, type SweepEvent, type SweepEventData } from '../contracts/sweep-events';

export interface TrialEventSink {
  publish(data: SweepEventData): void;
  /** Resolves once everything published so far has been acknowledged (or given up on). */
  flush(): Promise<void>;
}

export function createTrialEventSink(
  js: JetStreamClient,
  logger: Logger,
  ids: { sweep: string; trial: number; attempt: number; node: string },
): TrialEventSink {
  let seq = 0;
  let chain: Promise<void> = Promise.resolve();
  let warned = false;
  return {
    publish(data) {
      seq += 1;
      const envelope: SweepEvent = { v: ENVELOPE_VERSION, ...ids, ts: Date.now(), data };
      const msgID = `${ids.sweep}.${ids.trial}.${ids.attempt}.${seq}`;
      chain = chain.then(async () => {
        try {
          await js.publish(trialEventSubject(ids.sweep, ids.trial, data.event), JSON.stringify(envelope), { msgID });
        } catch (error) {
          if (!warned) logger.warn({ err: error, trial: ids.trial }, 'cannot publish trial events to NATS; the trial goes on');
          warned = true;
        }
      });
    },
    flush: () => chain,
  };
}
