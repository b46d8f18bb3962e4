/**
 * `sweep status [ID]`: one sweep's trials and best config, or a list of recent sweeps.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SweepStatus } from '../../contracts/sweep-workflow';
import { statusQuery, SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import { failure } from '../errors';
import { connectionConfig, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { formatTable, jsonSummary, textSummary, trialsDone } from '../summary';

const LIST_LIMIT = 20;

interface SweepListEntry {
  id: string;
  state: SweepStatus['state'];
  started: string;
  done: number;
  budget: number;
  best_val_acc: number | null;
}

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
  const sweeps: SweepListEntry[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = '${SWEEP_WORKFLOW_TYPE}'` })) {
    const status = await describeSweep(client, wf.workflowId);
    sweeps.push({
      id: wf.workflowId,
      state: status.state,
      started: wf.startTime.toISOString(),
      done: trialsDone(status),
      budget: status.budget,
      best_val_acc: status.best?.metrics?.val_acc ?? null,
    });
    if (sweeps.length >= LIST_LIMIT) break;
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ sweeps })}\n`);
  } else if (sweeps.length === 0) {
    process.stdout.write('no sweeps yet: start one with `npx sweep start SPACE.json`\n');
  } else {
    const rows = [['sweep', 'state', 'trials done', 'best val_acc', 'started (UTC)']];
    for (const s of sweeps) {
      rows.push([s.id, s.state, `${s.done}/${s.budget}`, s.best_val_acc?.toFixed(4) ?? '-', s.started.replace('T', ' ').slice(0, 19)]);
    }
    process.stdout.write(`${formatTable(rows)}\n`);
  }
}
