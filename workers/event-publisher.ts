/**
 * Relays a trial's events to JetStream, in order, each wrapped in the versioned envelope.
 *
 * Publishing never fails a trial: Temporal holds the results, NATS carries the live view. A message
 * id per event lets JetStream drop the duplicates a reconnect can send.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { ENVELOPE_VERSION, trialEventSubject, type SweepEvent, type SweepEventData } from '../contracts/sweep-events';

/** How long one event is retried while NATS is away (a restart takes seconds). */
const RETRY_FOR_MS = 60_000;

export interface TrialEventSink {
  publish(data: SweepEventData): void;
  /** Resolves once everything published so far has been acknowledged (or given up on). */
  flush(): Promise<void>;
}

export function createTrialEventSink(
  js: JetStreamClient,
  logger: Logger,
  ids: { sweep: string; trial: number; attempt: number; node: string },
  /** Which run of the trial this is (workflow run and activity): a trial run again after a pause is a new one. */
  execution: string,
): TrialEventSink {
  let seq = 0;
  let chain: Promise<void> = Promise.resolve();
  let givenUp = false;
  return {
    publish(data) {
      seq += 1;
      const envelope: SweepEvent = { v: ENVELOPE_VERSION, ...ids, ts: Date.now(), data };
      const msgID = `${ids.sweep}.${ids.trial}.${execution}.${ids.attempt}.${seq}`;
      chain = chain.then(async () => {
        // Retried through a nats-server restart; the message id makes a repeat harmless.
        // Once one event has given up, the rest are tried once each until NATS answers again.
        const deadline = Date.now() + (givenUp ? 0 : RETRY_FOR_MS);
        for (let delay = 250; ; delay = Math.min(delay * 2, 2_000)) {
          try {
            await js.publish(trialEventSubject(ids.sweep, ids.trial, data.event), JSON.stringify(envelope), { msgID });
            givenUp = false;
            return;
          } catch (error) {
            if (Date.now() + delay > deadline) {
              if (!givenUp) logger.warn({ err: error, trial: ids.trial }, 'cannot publish trial events to NATS; the trial goes on');
              givenUp = true;
              return;
            }
            await new Promise((resolve) => setTimeout(resolve, delay));
          }
        }
      });
    },
    flush: () => chain,
  };
}
