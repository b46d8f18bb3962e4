/**
 * Where the servers are. With neither TEMPORAL_ADDRESS nor NATS_URL set, sweep runs the embedded
 * default (local servers under the state folder); with both set, it uses them and starts nothing.
 */
import * as path from 'node:path';
import {
  natsSecurityFromEnv,
  readEmbeddedNatsCredentials,
  SecurityConfigError,
  temporalSecurityFromEnv,
  type NatsSecurity,
  type TemporalSecurity,
} from './security';

export const DEFAULT_STATE_DIR = '.sweep';
export const DEFAULT_TEMPORAL_PORT = 7233;
export const DEFAULT_NATS_PORT = 4222;
export const DEFAULT_NAMESPACE = 'default';
/** The metrics exporter's port (Prometheus scrapes it; alerts are posted to it). */
export const DEFAULT_METRICS_PORT = 9464;

export type Mode = 'embedded' | 'external';

export interface ConnectionConfig {
  mode: Mode;
  stateDir: string;
  temporalAddress: string;
  namespace: string;
  natsUrl: string;
  /** Where `sweep metrics` listens (the embedded stack's exporter binds it on loopback). */
  metricsPort: number;
  /** NATS credentials and TLS; a function because the embedded stack creates its password on `up`. */
  natsSecurity(): NatsSecurity;
  temporalSecurity: TemporalSecurity;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a port: use an integer in [1, 65535]`);
  }
  return value;
}

/**
 * Copies JetStream keeps of each stream, bucket and object store sweep creates: 1 (the embedded
 * single server), 3 on a 3-node cluster so a node's loss loses nothing. Read where they are
 * created (connections/), checked here so that a bad value stops a command before it starts.
 */
export function jetStreamReplicas(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SWEEP_NATS_REPLICAS;
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 5) {
    throw new ConfigError(`SWEEP_NATS_REPLICAS=${JSON.stringify(raw)}: JetStream keeps 1 to 5 replicas; use an integer in [1, 5] (3 on a 3-node cluster)`);
  }
  return value;
}

/** Reads the environment (and the --state-dir flag, passed as stateDir) once, at the edge. */
export function resolveConnectionConfig(env: NodeJS.ProcessEnv = process.env, stateDir?: string): ConnectionConfig {
  jetStreamReplicas(env);
  const dir = path.resolve(stateDir ?? env.SWEEP_STATE_DIR ?? DEFAULT_STATE_DIR);
  const namespace = env.TEMPORAL_NAMESPACE || DEFAULT_NAMESPACE;
  const metricsPort = port(env, 'SWEEP_METRICS_PORT', DEFAULT_METRICS_PORT);
  const temporal = env.TEMPORAL_ADDRESS || undefined;
  const nats = env.NATS_URL || undefined;
  if (temporal && nats) {
    try {
      const natsSecurity = natsSecurityFromEnv(env);
      const temporalSecurity = temporalSecurityFromEnv(env);
      return { mode: 'external', stateDir: dir, temporalAddress: temporal, namespace, natsUrl: nats, metricsPort, natsSecurity: () => natsSecurity, temporalSecurity };
    } catch (error) {
      if (error instanceof SecurityConfigError) throw new ConfigError(error.message);
      throw error;
    }
  }
  if (temporal || nats) {
    const missing = temporal ? 'NATS_URL' : 'TEMPORAL_ADDRESS';
    throw new ConfigError(
      `${temporal ? 'TEMPORAL_ADDRESS' : 'NATS_URL'} is set but ${missing} is not: set both to use your own servers, ` +
        'or neither for the embedded local stack',
    );
  }
  return {
    mode: 'embedded',
    stateDir: dir,
    temporalAddress: `127.0.0.1:${port(env, 'SWEEP_TEMPORAL_PORT', DEFAULT_TEMPORAL_PORT)}`,
    namespace,
    natsUrl: `nats://127.0.0.1:${port(env, 'SWEEP_NATS_PORT', DEFAULT_NATS_PORT)}`,
    metricsPort,
    // The embedded nats-server always asks for the password `dev up` generated (state folder, 0600).
    natsSecurity: () => readEmbeddedNatsCredentials(dir),
    temporalSecurity: {},
  };
}
