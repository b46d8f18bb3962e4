/**
 * `sweep start FILE`: validate the space, bring up the embedded stack if needed, start the sweep
 * workflow, then follow it to the end (or leave it running with --detach). When a sweep of the
 * same space already runs, it reattaches to that one instead of starting a duplicate.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { loadSpaceFile, SpaceFileError } from '../../contracts/space-file';
import type { Space } from '../../contracts/space';
import { spaceFingerprint } from '../../contracts/space-fingerprint';
import type { SweepInput } from '../../contracts/sweep-workflow';
import { statusQuery, SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import { CONTROL_TASK_QUEUE } from '../../workers/task-queues';
import { badInput } from '../errors';
import { connectionConfig, ensureStack, noteQueueMismatch, temporalClient, type GlobalOptions } from '../stack-context';
import { followToEnd, type FollowOptions } from './follow';

export interface StartOptions extends GlobalOptions, FollowOptions {
  /** Start a sweep even when one of the same space runs already. */
  new?: boolean;
}

/** The memo key under which a sweep workflow carries its space's fingerprint. */
export const FINGERPRINT_MEMO = 'spaceFingerprint';

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
  noteQueueMismatch(localQueue, space.queue, (text) => process.stderr.write(text));

  const client = await temporalClient(config);
  const fingerprint = spaceFingerprint(space);
  if (!options.new) {
    const running = await sweepRunningSpace(client, fingerprint);
    if (running !== null) {
      out.write(`sweep ${running} already runs this space; following it (\`--new\` starts another)\n`);
      const status = await client.workflow.getHandle(running).query(statusQuery);
      if (status.state === 'paused') out.write(`it is paused: go on with \`npx sweep resume ${running}\`\n`);
      return followToEnd(client, config, running, options);
    }
  }
  const sweepId = newSweepId(space.name);
  const input: SweepInput = { sweepId, space };
  await client.workflow.start(SWEEP_WORKFLOW_TYPE, {
    taskQueue: CONTROL_TASK_QUEUE,
    workflowId: sweepId,
    args: [input],
    memo: { [FINGERPRINT_MEMO]: fingerprint },
  });
  out.write(`sweep ${sweepId} started: ${space.trials} trials, ${space.parallel} at a time, on queue ${space.queue}\n`);
  return followToEnd(client, config, sweepId, options);
}

/** The id of a running (or paused) sweep of the same space, found by the fingerprint in its memo. */
async function sweepRunningSpace(client: Client, fingerprint: string): Promise<string | null> {
  for await (const wf of client.workflow.list({ query: `WorkflowType = '${SWEEP_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'` })) {
    if (wf.memo?.[FINGERPRINT_MEMO] === fingerprint) return wf.workflowId;
  }
  return null;
}
