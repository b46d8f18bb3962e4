/**
 * `sweep watch ID`: reattach to a sweep's live view; it replays the events so far, then follows.
 */
import { followSweep } from '../live-view';
import { connectionConfig, orFail, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { jsonSummary, textSummary } from '../summary';
import { describeSweep } from './status';

export async function watchCommand(sweepId: string, options: GlobalOptions & { json?: boolean }): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const client = await temporalClient(config);
  await describeSweep(client, sweepId); // fails with a clear message for an unknown id
  const out = options.json ? process.stderr : process.stdout;
  const status = await orFail(followSweep(client, config, sweepId, { out, tty: !options.json && !!process.stdout.isTTY }));
  if (options.json) process.stdout.write(`${JSON.stringify(jsonSummary(status))}\n`);
  else out.write(`\n${textSummary(status)}\n`);
}
