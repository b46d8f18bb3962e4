/**
 * `sweep resume ID`: goes on with a sweep. A paused sweep is signalled to go on; a sweep that ended
 * unfinished (stopped, or its workflow terminated or failed) starts again under the same id with
 * its earlier trials: their results stand, and their unfinished trials run again from their
 * checkpoints. Then it follows the sweep, as `sweep watch` does.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { parseSpace } from '../../contracts/space';
import { spaceFingerprint } from '../../contracts/space-fingerprint';
import type { SweepInput } from '../../contracts/sweep-workflow';
import { resumeSignal, SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import { CONTROL_TASK_QUEUE } from '../../workers/task-queues';
import { failure } from '../errors';
import { connectionConfig, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { followToEnd, type FollowOptions } from './follow';
import { FINGERPRINT_MEMO } from './start';
import { loadSweepRecord } from '../sweep-record';
import { querySweepStatus } from './status';

export async function resumeCommand(sweepId: string, options: GlobalOptions & FollowOptions): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const client = await temporalClient(config);
  const handle = client.workflow.getHandle(sweepId);
  const execution = await handle.describe().then(
    (d) => d.status.name,
    (error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    },
  );
  const out = options.json ? process.stderr : process.stdout;
  if (execution === 'RUNNING') {
    const status = await querySweepStatus(handle);
    if (status.state === 'paused') {
      await handle.signal(resumeSignal);
      out.write(`sweep ${sweepId} resumed\n`);
    } else {
      out.write(`sweep ${sweepId} is ${status.state}; following it\n`);
    }
    return followToEnd(client, config, sweepId, options);
  }

  const ended = await loadSweepRecord(client, config, sweepId);
  if (ended === null) throw failure(`no sweep with id "${sweepId}" (see \`sweep status\` for the list)`);
  if (ended.status.state === 'completed') {
    out.write(`sweep ${sweepId} completed; nothing to resume (see \`sweep status ${sweepId}\`)\n`);
    return;
  }
  // The space as this version reads it: a sweep from an incompatible version is refused here.
  const parsed = parseSpace(ended.space);
  if (!parsed.ok) throw failure(`the space of sweep ${sweepId} is not valid for this version of sweep: ${parsed.problems[0]?.message ?? ''}`);
  const input: SweepInput = { sweepId, space: parsed.space, resumed: ended.status.trials };
  await client.workflow.start(SWEEP_WORKFLOW_TYPE, {
    taskQueue: CONTROL_TASK_QUEUE,
    workflowId: sweepId,
    args: [input],
    memo: { [FINGERPRINT_MEMO]: spaceFingerprint(parsed.space) },
  });
  const unfinished = ended.status.trials.filter((t) => t.state === 'running' || t.state === 'paused' || t.state === 'stopped').length;
  const kept = ended.status.trials.length - unfinished;
  out.write(`sweep ${sweepId} resumed: ${kept} finished trials kept, ${unfinished} to run again, ${ended.space.trials - ended.status.trials.length} new\n`);
  return followToEnd(client, config, sweepId, options);
}
