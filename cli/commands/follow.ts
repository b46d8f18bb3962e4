/**
 * Following a sweep to its end, shared by `start`, `watch` and `resume`: the live view, then the
 * summary (one JSON object on stdout with --json), or nothing more with --detach.
 */
import type { Client } from '@temporalio/client';
import type { ConnectionConfig } from '../../connections/config';
import { failure } from '../errors';
import { followSweep } from '../live-view';
import { orFail } from '../stack-context';
import { jsonSummary, textSummary } from '../summary';

export interface FollowOptions {
  detach?: boolean;
  json?: boolean;
}

export async function followToEnd(client: Client, config: ConnectionConfig, sweepId: string, options: FollowOptions): Promise<void> {
  const out = options.json ? process.stderr : process.stdout;
  if (options.detach) {
    if (options.json) process.stdout.write(`${JSON.stringify({ sweep: { id: sweepId, state: 'running' } })}\n`);
    out.write(`follow it with: npx sweep watch ${sweepId}   (stop it with: npx sweep stop ${sweepId})\n`);
    return;
  }
  const status = await orFail(followSweep(client, config, sweepId, { out, tty: !options.json && !!process.stdout.isTTY }));
  if (options.json) process.stdout.write(`${JSON.stringify(jsonSummary(status))}\n`);
  else out.write(`\n${textSummary(status)}\n`);
  // Failed trials alone left the sweep without a result: a script must see that in the exit code.
  const failed = status.trials.filter((t) => t.state === 'failed').length;
  if (status.state === 'completed' && failed > 0 && !status.trials.some((t) => t.state === 'completed')) {
    throw failure(`sweep ${sweepId} ended without a result: no trial completed and ${failed} failed (their reasons: npx sweep status ${sweepId})`);
  }
}
