/**
 * "Is it up yet?" checks for the embedded servers and the local worker.
 */
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { connect } from '@nats-io/transport-node';
import type { ConnectionConfig } from '../connections/config';
import { natsConnectOptions } from '../connections/nats';
import { temporalConnectOptions } from '../connections/temporal';
import { CONTROL_TASK_QUEUE } from '../workers/task-queues';
import { pollUntil } from './processes';

async function withTemporal<T>(config: ConnectionConfig, use: (c: Connection) => Promise<T>): Promise<T | undefined> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...temporalConnectOptions(config), connectTimeout: '2 seconds' });
    return await use(connection);
  } catch {
    return undefined;
  } finally {
    await connection?.close();
  }
}

export async function temporalReady(config: ConnectionConfig, timeoutMs: number): Promise<boolean> {
  const ok = await pollUntil(
    () => withTemporal(config, async (c) => {
      await c.workflowService.describeNamespace({ namespace: config.namespace });
      return true;
    }),
    timeoutMs,
  );
  return ok === true;
}

/** The dev server keeps closed workflows a day by default; sweeps should stay readable longer. */
export async function setRetention(config: ConnectionConfig, days: number): Promise<void> {
  const connection = await Connection.connect(temporalConnectOptions(config));
  try {
    await connection.workflowService.updateNamespace({
      namespace: config.namespace,
      config: { workflowExecutionRetentionTtl: msToTs(`${days} days`) },
    });
  } finally {
    await connection.close();
  }
}

export async function natsReady(config: ConnectionConfig, timeoutMs: number): Promise<boolean> {
  const ok = await pollUntil(async () => {
    try {
      const nc = await connect({ ...natsConnectOptions(config), reconnect: false, timeout: 1000 });
      await nc.close();
      return true;
    } catch {
      return undefined;
    }
  }, timeoutMs);
  return ok === true;
}

/** Ready once a worker polls the control queue; false at once if the process died meanwhile. */
export async function workerReady(config: ConnectionConfig, alive: () => boolean, timeoutMs: number): Promise<boolean> {
  const ok = await pollUntil(async () => {
    if (!alive()) return false;
    const pollers = await withTemporal(config, async (c) => {
      const response = await c.workflowService.describeTaskQueue({
        namespace: config.namespace,
        taskQueue: { name: CONTROL_TASK_QUEUE },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      return response.pollers?.length ?? 0;
    });
    return pollers ? true : undefined;
  }, timeoutMs);
  return ok === true;
}

/** Ready once the URL answers 200; false at once if the process died meanwhile. */
export async function httpReady(url: string, alive: () => boolean, timeoutMs: number): Promise<boolean> {
  const ok = await pollUntil(async () => {
    if (!alive()) return false;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      return response.ok ? true : undefined;
    } catch {
      return undefined;
    }
  }, timeoutMs);
  return ok === true;
}
