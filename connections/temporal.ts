/**
 * Temporal client connections, with an error that says where it tried.
 */
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { readFileSync } from 'node:fs';
import type { ConnectionConfig } from './config';

/** Address, TLS and API key of the configured Temporal server (read for both client and worker connections). */
export interface TemporalConnectOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

export function temporalConnectOptions(config: Pick<ConnectionConfig, 'temporalAddress' | 'temporalSecurity'>): TemporalConnectOptions {
  const { tls, apiKey } = config.temporalSecurity;
  const options: TemporalConnectOptions = { address: config.temporalAddress };
  if (tls) {
    options.tls = {
      ...(tls.caFile ? { serverRootCACertificate: readFileSync(tls.caFile) } : {}),
      ...(tls.certFile && tls.keyFile ? { clientCertPair: { crt: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) } } : {}),
      ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
    };
  }
  if (apiKey) options.apiKey = apiKey;
  return options;
}

export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError';
}

export async function connectTemporal(config: Pick<ConnectionConfig, 'temporalAddress' | 'namespace' | 'temporalSecurity'>): Promise<Client> {
  try {
    const connection = await Connection.connect({ ...temporalConnectOptions(config), connectTimeout: '5 seconds' });
    return new Client({ connection, namespace: config.namespace });
  } catch (error) {
    throw new TemporalUnavailableError(`cannot reach Temporal at ${config.temporalAddress}: ${(error as Error).message}`);
  }
}
