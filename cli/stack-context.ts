/**
 * What every command needs before it talks to a sweep: the connection config and, in embedded
 * mode, a running local stack. Preflight checks run before anything is started.
 */
import type { Client } from '@temporalio/client';
import type { QueueKind } from '../contracts/space';
import { ConfigError, resolveConnectionConfig, type ConnectionConfig } from '../connections/config';
import { NatsUnavailableError } from '../connections/nats';
import { SecurityConfigError } from '../connections/security';
import { connectTemporal, TemporalUnavailableError } from '../connections/temporal';
import { findNatsServer, findTemporalCli, MissingProgramError } from '../embedded/binaries';
import { StackError, stackStatus, stackUp } from '../embedded/stack';
import { findTorchPython, NoTorchPythonError } from '../workers/find-python';
import { trialTaskQueue } from '../workers/task-queues';
import { badInput, failure } from './errors';

export interface GlobalOptions {
  stateDir?: string;
}

export function connectionConfig(options: GlobalOptions): ConnectionConfig {
  try {
    return resolveConnectionConfig(process.env, options.stateDir);
  } catch (error) {
    if (error instanceof ConfigError) throw badInput(error.message);
    throw error;
  }
}

/** Turns the known "cannot proceed" errors into exit-code errors with their instructions. */
export async function orFail<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (
      error instanceof MissingProgramError ||
      error instanceof NoTorchPythonError ||
      error instanceof StackError ||
      error instanceof TemporalUnavailableError ||
      error instanceof NatsUnavailableError ||
      error instanceof SecurityConfigError
    ) {
      throw failure(error.message);
    }
    throw error;
  }
}

/**
 * Embedded mode: checks every program first (so a missing one starts nothing), then starts or
 * reuses the servers and the local worker. External mode: starts nothing.
 * Returns the queue the local worker serves (null in external mode).
 */
export async function ensureStack(config: ConnectionConfig, report: (line: string) => void): Promise<QueueKind | null> {
  if (config.mode !== 'embedded') return null;
  const [, , python] = await orFail(Promise.all([findTemporalCli(), findNatsServer(), findTorchPython()]));
  // The local worker serves the queue of this machine's hardware, as `sweep worker` would detect it.
  const queue: QueueKind = python.cuda_devices > 0 ? 'gpu' : 'cpu';
  await orFail(stackUp(config, { worker: { queue }, report }));
  return queue;
}

/** Says so when the embedded stack's local worker cannot run trials of `queue`. */
export function noteQueueMismatch(localQueue: QueueKind | null, queue: QueueKind, write: (text: string) => void): void {
  if (localQueue === null || localQueue === queue) return;
  write(
    `note: the local worker serves ${trialTaskQueue(localQueue)}; these trials wait for a worker on ` +
      `${trialTaskQueue(queue)} (run \`npx sweep worker --queue ${queue}\` on such a node)\n`,
  );
}

/** For commands that read or steer a sweep: the stack must already run; they start nothing. */
export async function requireStack(config: ConnectionConfig): Promise<void> {
  if (config.mode !== 'embedded') return;
  const statuses = await stackStatus(config);
  const down = statuses.filter((s) => s.name !== 'worker' && !s.running).map((s) => s.name);
  if (down.length > 0) {
    throw failure(`the embedded stack under ${config.stateDir} is not running (${down.join(', ')} down): start it with \`sweep dev up\``);
  }
}

export const temporalClient = (config: ConnectionConfig): Promise<Client> => orFail(connectTemporal(config));
