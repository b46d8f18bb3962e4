/**
 * Temporal client connections, with an error that says where it tried.
 */
import { Client, Connection } from '@temporalio/client';
import type { ConnectionConfig } from './config';

export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError';
}

export async function connectTemporal(config: Pick<ConnectionConfig, 'temporalAddress' | 'namespace'>): Promise<Client> {
  try {
    const connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: '5 seconds' });
    return new Client({ connection, namespace: config.namespace });
  } catch (error) {
    throw new TemporalUnavailableError(`cannot reach Temporal at ${config.temporalAddress}: ${(error as Error).message}`);
  }
}
