/**
 * `sweep watch ID`: reattach to a sweep's live view; it replays the events so far, then follows.
 */
import { connectionConfig, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { followToEnd } from './follow';
import { describeSweep } from './status';

export async function watchCommand(sweepId: string, options: GlobalOptions & { json?: boolean }): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const client = await temporalClient(config);
  await describeSweep(client, sweepId); // fails with a clear message for an unknown id
  await followToEnd(client, config, sweepId, { json: options.json });
}
