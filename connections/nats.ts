/**
 * One NATS connection and the JetStream stream that holds sweep events.
 */
import { credsAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import { jetStreamReplicas, type ConnectionConfig } from './config';
import { JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { EVENTS_STREAM, EVENTS_SUBJECTS } from '../contracts/sweep-events';

/** Events are kept long enough to replay any sweep a person still cares about. */
const EVENTS_MAX_AGE_NS = 30 * 24 * 3600 * 1e9;

export class NatsUnavailableError extends Error {
  override name = 'NatsUnavailableError';
}

/** Connection options with the configured credentials and TLS (nothing here is ever logged). */
export function natsConnectOptions(config: Pick<ConnectionConfig, 'natsUrl' | 'natsSecurity'>): ConnectionOptions {
  const security = config.natsSecurity();
  // NATS_URL may list a cluster's servers, comma-separated: the client tries each, and reconnects to another.
  const options: ConnectionOptions = { servers: config.natsUrl.split(',').map((s) => s.trim()).filter((s) => s !== '') };
  if (security.user) Object.assign(options, { user: security.user, pass: security.pass });
  if (security.token) options.token = security.token;
  if (security.credsFile) options.authenticator = credsAuthenticator(readFileSync(security.credsFile));
  if (security.tls) options.tls = security.tls;
  return options;
}

export async function connectNats(config: Pick<ConnectionConfig, 'natsUrl' | 'natsSecurity'>, name: string): Promise<NatsConnection> {
  const options = natsConnectOptions(config);
  try {
    return await connect({ ...options, name, maxReconnectAttempts: -1 });
  } catch (error) {
    const refused = /authorization/i.test((error as Error).message);
    throw new NatsUnavailableError(
      refused
        ? `NATS at ${config.natsUrl} refused the credentials (check NATS_USER/NATS_PASSWORD, NATS_TOKEN or NATS_CREDS)`
        : `cannot reach NATS at ${config.natsUrl}: ${(error as Error).message}`,
    );
  }
}

/** How long a process starting beside a nats-server that is itself starting waits for JetStream. */
const JETSTREAM_WAIT_MS = 15_000;

const streamMissing = (error: unknown) => error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;

/**
 * Creates the events stream if missing; idempotent, so every process may call it at start. Right
 * after nats-server starts, JetStream can answer "unavailable" for a moment, and two processes may
 * create the stream at once: both are retried until the stream is there.
 */
export async function ensureEventsStream(nc: NatsConnection): Promise<JetStreamClient> {
  const jsm = await jetstreamManager(nc);
  const deadline = Date.now() + JETSTREAM_WAIT_MS;
  for (;;) {
    try {
      await jsm.streams.info(EVENTS_STREAM);
      return jetstream(nc);
    } catch (error) {
      try {
        if (streamMissing(error)) {
          await jsm.streams.add({ name: EVENTS_STREAM, subjects: [EVENTS_SUBJECTS], max_age: EVENTS_MAX_AGE_NS, num_replicas: jetStreamReplicas() });
          return jetstream(nc);
        }
        if (Date.now() > deadline) throw error;
      } catch (again) {
        // Another process created it first, or JetStream is still starting: look again.
        if (Date.now() > deadline) throw again;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
