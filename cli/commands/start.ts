/**
 * `sweep start FILE`: validate the space, bring up the embedded stack if needed, start the sweep
 * workflow, then follow it to the end (or leave it running with --detach).
 */
import { randomBytes } from 'node:crypto';
import { loadSpaceFile, SpaceFileError } from '../../contracts/space-file';
import type { Space } from '../../contracts/space';
import type { SweepInput } from '../../contracts/sweep-workflow';
import { SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import { CONTROL_TASK_QUEUE, trialTaskQueue } from '../../workers/task-queues';
import { badInput } from '../errors';
import { followSweep } from '../live-view';
import { connectionConfig, ensureStack, orFail, temporalClient, type GlobalOptions } from '../stack-context';
import { jsonSummary, textSummary } from '../summary';

export interface StartOptions extends GlobalOptions {
  detach?: boolean;
  json?: boolean;
}

export async function loadSpaceOrExit(file: string): Promise<Space> {
  try {
    return await loadSpaceFile(file);
  } catch (error) {
    if (error instanceof SpaceFileError) throw badInput(error.message);
    throw error;
  }
}

/** Readable, sortable and unique enough: name, UTC start time, 4 random hex digits. */
export function newSweepId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${name}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export async function startCommand(file: string, options: StartOptions): Promise<void> {
  const space = await loadSpaceOrExit(file);
  const config = connectionConfig(options);
  // With --json, stdout carries one JSON object and nothing else.
  const out = options.json ? process.stderr : process.stdout;
  const localQueue = await ensureStack(config, (line) => process.stderr.write(`${line}\n`));
  if (localQueue !== null && localQueue !== space.queue) {
    process.stderr.write(
      `note: the local worker serves ${trialTaskQueue(localQueue)}; this sweep's trials wait for a worker on ` +
        `${trialTaskQueue(space.queue)} (run \`npx sweep worker --queue ${space.queue}\` on such a node)\n`,
    );
  }

  const client = await temporalClient(config);
  const sweepId = newSweepId(space.name);
  const input: SweepInput = { sweepId, space };
  await client.workflow.start(SWEEP_WORKFLOW_TYPE, { taskQueue: CONTROL_TASK_QUEUE, workflowId: sweepId, args: [input] });
  out.write(`sweep ${sweepId} started: ${space.trials} trials, ${space.parallel} at a time, on queue ${space.queue}\n`);

  if (options.detach) {
    if (options.json) process.stdout.write(`${JSON.stringify({ sweep: { id: sweepId, name: space.name, state: 'running' } })}\n`);
    out.write(`follow it with: npx sweep watch ${sweepId}   (stop it with: npx sweep stop ${sweepId})\n`);
    return;
  }
  const status = await orFail(followSweep(client, config, sweepId, { out, tty: !options.json && !!process.stdout.isTTY }));
  if (options.json) process.stdout.write(`${JSON.stringify(jsonSummary(status))}\n`);
  else out.write(`\n${textSummary(status)}\n`);
}
