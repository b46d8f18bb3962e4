/**
 * A sweep's space and latest status, wherever they still are: the workflow's start input and its
 * status query in Temporal, or the kept result once Temporal has let the workflow go.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ConnectionConfig } from '../connections/config';
import type { Space } from '../contracts/space';
import type { SweepInput, SweepStatus } from '../contracts/sweep-workflow';
import { querySweepStatus, withResultsStore } from './commands/status';

export interface SweepRecord {
  space: Space;
  status: SweepStatus;
}

export async function loadSweepRecord(client: Client, config: ConnectionConfig, sweepId: string): Promise<SweepRecord | null> {
  const handle = client.workflow.getHandle(sweepId);
  try {
    await handle.describe(); // WorkflowNotFoundError for an id Temporal does not hold (any more)
    // The latest run's first event holds its input (a resumed sweep's latest run has the same space).
    const history = await handle.fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    if (payload) {
      const input = defaultPayloadConverter.fromPayload<SweepInput>(payload);
      return { space: input.space, status: await querySweepStatus(handle) };
    }
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  const stored = await withResultsStore(config, (store) => store.load(sweepId));
  return stored === null ? null : { space: stored.space, status: stored.status };
}
