/**
 * `sweep pause ID`: no new trials; running trials are stopped and keep their checkpoints, so
 * `sweep resume ID` runs them again from where they were. Returns once no trial runs.
 */
import { pollUntil } from '../../embedded/processes';
import { pauseSignal, statusQuery } from '../../workflows/definitions';
import { failure } from '../errors';
import { connectionConfig, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { describeSweep } from './status';

/** A trial's trainer stops within its stop grace; the activity then reports. */
const PAUSE_WAIT_MS = 120_000;

export async function pauseCommand(sweepId: string, options: GlobalOptions): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const client = await temporalClient(config);
  const before = await describeSweep(client, sweepId);
  if (before.state !== 'running') {
    process.stdout.write(`sweep ${sweepId} is ${before.state}; nothing to pause\n`);
    return;
  }
  const handle = client.workflow.getHandle(sweepId);
  await handle.signal(pauseSignal);
  process.stdout.write(`pausing sweep ${sweepId}...\n`);
  const after = await pollUntil(async () => {
    const status = await handle.query(statusQuery);
    return status.trials.some((t) => t.state === 'running') ? undefined : status;
  }, PAUSE_WAIT_MS);
  if (!after) throw failure(`sweep ${sweepId} still has running trials after ${PAUSE_WAIT_MS / 1000} s; see \`sweep status ${sweepId}\``);
  const paused = after.trials.filter((t) => t.state === 'paused').map((t) => t.trial);
  process.stdout.write(
    `sweep ${sweepId} paused${paused.length > 0 ? `; ${paused.length === 1 ? 'trial' : 'trials'} ${paused.join(', ')} ${paused.length === 1 ? 'runs' : 'run'} again from ${paused.length === 1 ? 'its checkpoint' : 'their checkpoints'}` : ''} ` +
      `when you resume it: npx sweep resume ${sweepId}\n`,
  );
}
