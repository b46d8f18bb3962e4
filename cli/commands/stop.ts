/**
 * `sweep stop ID`: no new trials; running trials are stopped (their trainers killed) and recorded
 * as stopped. Waits for the sweep to wind down and prints its summary. The id of a running
 * promotion cancels it: its trainers are killed and no leaderboard entry is written.
 */
import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { PROMOTE_WORKFLOW_TYPE, stopSignal } from '../../workflows/definitions';
import { connectionConfig, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { textSummary } from '../summary';
import { describeSweep } from './status';

async function workflowType(client: Client, id: string): Promise<string | null> {
  try {
    return (await client.workflow.getHandle(id).describe()).type;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

async function cancelPromotion(client: Client, id: string): Promise<void> {
  const handle = client.workflow.getHandle(id);
  if ((await handle.describe()).status.name !== 'RUNNING') {
    process.stdout.write(`promotion ${id} is not running\n`);
    return;
  }
  await handle.cancel();
  process.stdout.write(`stopping promotion ${id}...\n`);
  try {
    await handle.result();
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
  }
  process.stdout.write(`promotion ${id} stopped; no leaderboard entry was written\n`);
}

export async function stopCommand(sweepId: string, options: GlobalOptions): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const client = await temporalClient(config);
  if ((await workflowType(client, sweepId)) === PROMOTE_WORKFLOW_TYPE) return cancelPromotion(client, sweepId);
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
