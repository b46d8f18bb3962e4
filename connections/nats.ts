/**
 * One NATS connection and the JetStream stream that holds sweep events.
 */
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { EVENTS_STREAM, EVENTS_SUBJECTS } from '../contracts/sweep-events';

/** Events are kept long enough to replay any sweep a person still cares about. */
const EVENTS_MAX_AGE_NS = 30 * 24 * 3600 * 1e9;

export class NatsUnavailableError extends Error {
  override name = 'NatsUnavailableError';
}

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  try {
    return await connect({ servers: url, name, maxReconnectAttempts: -1 });
  } catch (error) {
    throw new NatsUnavailableError(`cannot reach NATS at ${url}: ${(error as Error).message}`);
  }
}

/** Creates the events stream if missing; idempotent, so every process may call it at start. */
export async function ensureEventsStream(nc: NatsConnection): Promise<JetStreamClient> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(EVENTS_STREAM);
  } catch {
    await jsm.streams.add({ name: EVENTS_STREAM, subjects: [EVENTS_SUBJECTS], max_age: EVENTS_MAX_AGE_NS });
  }
  return jetstream(nc);
}
