/**
 * Listens for control messages to one running trial (today: prune requests from the alert
 * receiver). Core NATS, not JetStream: a request matters only while the trial runs, and an alert
 * that still fires is sent again.
 */
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import type { PruneDecision } from '../contracts/pruning';
import { trialControlSchema, trialControlSubject } from '../contracts/sweep-events';

export function watchTrialControl(
  nc: NatsConnection,
  sweepId: string,
  trial: number,
  log: Logger,
  onPrune: (decision: PruneDecision) => void,
): Subscription {
  return nc.subscribe(trialControlSubject(sweepId, trial), {
    callback(error, msg) {
      if (error) return log.warn({ err: error }, 'trial control subscription failed');
      let value: unknown;
      try {
        value = msg.json();
      } catch {
        return log.warn({ subject: msg.subject }, 'rejected a control message that is not JSON');
      }
      const parsed = trialControlSchema.safeParse(value);
      if (!parsed.success) return log.warn({ subject: msg.subject, issues: parsed.error.issues.slice(0, 3) }, 'rejected a malformed control message');
      onPrune({ prune: true, rule: parsed.data.rule, reason: parsed.data.reason });
    },
  });
}
