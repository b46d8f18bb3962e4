/**
 * `sweep stop ID`: no new trials; running trials are stopped (their trainers killed) and recorded
 * as stopped. Waits for the sweep to wind down and prints its summary.
 */
import { stopSignal } from '../../workflows/definitions';
import { connectionConfig, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { textSummary } from '../summary';
import { describeSweep } from './status';

export async function stopCommand(sweepId: string, options: GlobalOptions): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const client = await temporalClient(config);
  const before = await describeSweep(client, sweepId);
  if (before.state === 'completed' || before.state === 'stopped') {
    process.stdout.write(`sweep ${sweepId} already ${before.state}\n`);
    return;
  }
  const handle = client.workflow.getHandle(sweepId);
  await handle.signal(stopSignal, 'stopped from the CLI');
  process.stdout.write(`stopping sweep ${sweepId}...\n`);
  process.stdout.write(`${textSummary(await handle.result())}\n`);
}
