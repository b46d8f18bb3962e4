/**
 * `sweep status [ID]`: one sweep's trials and best config, or a list of recent sweeps.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SweepStatus } from '../../contracts/sweep-workflow';
import { statusQuery, SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import { failure } from '../errors';
import { connectionConfig, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { jsonSummary, textSummary } from '../summary';

const LIST_LIMIT = 20;

export async function describeSweep(client: Client, sweepId: string): Promise<SweepStatus> {
  try {
    return await client.workflow.getHandle(sweepId).query(statusQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) throw failure(`no sweep with id "${sweepId}" (see \`sweep status\` for the list)`);
    throw error;
  }
}

export async function statusCommand(sweepId: string | undefined, options: GlobalOptions & { json?: boolean }): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const client = await temporalClient(config);
  if (sweepId) {
    const status = await describeSweep(client, sweepId);
    process.stdout.write(`${options.json ? JSON.stringify(jsonSummary(status)) : textSummary(status)}\n`);
    return;
  }
  const sweeps: Array<{ id: string; status: string; started: string }> = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = '${SWEEP_WORKFLOW_TYPE}'` })) {
    sweeps.push({ id: wf.workflowId, status: wf.status.name, started: wf.startTime.toISOString() });
    if (sweeps.length >= LIST_LIMIT) break;
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ sweeps })}\n`);
  } else if (sweeps.length === 0) {
    process.stdout.write('no sweeps yet: start one with `sweep start SPACE.json`\n');
  } else {
    for (const s of sweeps) process.stdout.write(`${s.id}  ${s.status.padEnd(10)}  started ${s.started}\n`);
  }
}
