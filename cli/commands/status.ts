/**
 * `sweep status [ID]`: one sweep's trials and best config, or a list of recent sweeps.
 */
import { QueryNotRegisteredError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { ConnectionConfig } from '../../connections/config';
import { connectNats } from '../../connections/nats';
import { StoredRecordError } from '../../connections/kv-records';
import { openResultsStore, type ResultsStore } from '../../connections/results-store';
import type { SweepStatus } from '../../contracts/sweep-workflow';
import { statusQuery, SWEEP_WORKFLOW_TYPE } from '../../workflows/definitions';
import { failure } from '../errors';
import { connectionConfig, orFail, requireStack, temporalClient, type GlobalOptions } from '../stack-context';
import { formatTable, jsonSummary, textSummary, trialsDone } from '../summary';

const LIST_LIMIT = 20;

interface SweepListEntry {
  id: string;
  state: SweepStatus['state'];
  started: string;
  done: number;
  budget: number;
  best_val_acc: number | null;
  /** True when Temporal no longer holds the sweep and it comes from the results store. */
  archived: boolean;
}

/** The results store, for sweeps Temporal's retention has dropped; closed after `use`. */
export async function withResultsStore<T>(config: ConnectionConfig, use: (store: ResultsStore) => Promise<T>): Promise<T> {
  const nc = await orFail(connectNats(config, 'sweep-cli status'));
  try {
    return await use(await openResultsStore(nc));
  } catch (error) {
    if (error instanceof StoredRecordError) throw failure(error.message);
    throw error;
  } finally {
    await nc.close();
  }
}

/**
 * The status query of a sweep's workflow. Other workflows (a promotion's, whose id a user may well
 * paste here) have no such query: that is a clear error, not Temporal's.
 */
export async function querySweepStatus(handle: WorkflowHandle): Promise<SweepStatus> {
  try {
    return await handle.query(statusQuery);
  } catch (error) {
    if (!(error instanceof QueryNotRegisteredError)) throw error;
    const id = handle.workflowId;
    throw failure(`"${id}" is not a sweep: for a promotion, \`npx sweep leaderboard\` shows its entry once it ends and \`npx sweep stop ${id}\` cancels it`);
  }
}

/** The sweep's status from its workflow, or null when Temporal does not hold it (any more). */
async function queryWorkflow(client: Client, sweepId: string): Promise<SweepStatus | null> {
  try {
    return await querySweepStatus(client.workflow.getHandle(sweepId));
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/** A sweep's status from Temporal, else its kept result; null when neither has it. */
export async function loadSweepStatus(client: Client, config: ConnectionConfig, sweepId: string): Promise<SweepStatus | null> {
  return (await queryWorkflow(client, sweepId)) ?? (await withResultsStore(config, (store) => store.load(sweepId)))?.status ?? null;
}

/** For commands that steer a sweep (watch, stop): it must still be in Temporal. */
export async function describeSweep(client: Client, sweepId: string): Promise<SweepStatus> {
  const status = await queryWorkflow(client, sweepId);
  if (status === null) throw failure(`no sweep with id "${sweepId}" in Temporal (see \`sweep status\` for the list; a finished sweep's kept result shows with \`sweep status ${sweepId}\`)`);
  return status;
}

export async function statusCommand(sweepId: string | undefined, options: GlobalOptions & { json?: boolean }): Promise<void> {
  const config = connectionConfig(options);
  await requireStack(config);
  const client = await temporalClient(config);
  if (sweepId) {
    let status = await queryWorkflow(client, sweepId);
    if (status === null) {
      status = (await withResultsStore(config, (store) => store.load(sweepId)))?.status ?? null;
      if (status === null) throw failure(`no sweep with id "${sweepId}" (see \`sweep status\` for the list)`);
      if (!options.json) process.stderr.write(`sweep ${sweepId} is no longer in Temporal; showing its kept result\n`);
    }
    process.stdout.write(`${options.json ? JSON.stringify(jsonSummary(status)) : textSummary(status)}\n`);
    return;
  }
  const entry = (id: string, started: string, status: SweepStatus, archived: boolean): SweepListEntry => ({
    id,
    state: status.state,
    started,
    done: trialsDone(status),
    budget: status.budget,
    best_val_acc: status.best?.metrics?.val_acc ?? null,
    archived,
  });
  const sweeps: SweepListEntry[] = [];
  const seen = new Set<string>();
  for await (const wf of client.workflow.list({ query: `WorkflowType = '${SWEEP_WORKFLOW_TYPE}'` })) {
    // A resumed sweep has one workflow run per resume; the query answers from the latest.
    if (seen.has(wf.workflowId)) continue;
    seen.add(wf.workflowId);
    const status = await queryWorkflow(client, wf.workflowId);
    if (status !== null) sweeps.push(entry(wf.workflowId, wf.startTime.toISOString(), status, false));
    if (sweeps.length >= LIST_LIMIT) break;
  }
  // Then the kept results of sweeps Temporal has let go, newest first, up to the same limit.
  const listed = new Set(sweeps.map((s) => s.id));
  for (const stored of await withResultsStore(config, (store) => store.list())) {
    if (sweeps.length >= LIST_LIMIT) break;
    if (!listed.has(stored.status.sweepId)) sweeps.push(entry(stored.status.sweepId, stored.startedAt, stored.status, true));
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ sweeps })}\n`);
  } else if (sweeps.length === 0) {
    process.stdout.write('no sweeps yet: start one with `npx sweep start SPACE.json`\n');
  } else {
    const rows = [['sweep', 'state', 'trials done', 'best val_acc', 'started (UTC)']];
    for (const s of sweeps) {
      const state = s.archived ? `${s.state} (kept)` : s.state;
      rows.push([s.id, state, `${s.done}/${s.budget}`, s.best_val_acc?.toFixed(4) ?? '-', s.started.replace('T', ' ').slice(0, 19)]);
    }
    process.stdout.write(`${formatTable(rows)}\n`);
  }
}
