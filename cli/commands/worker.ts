/**
 * `sweep worker`: run a worker node until SIGINT/SIGTERM.
 */
import type { QueueKind } from '../../contracts/space';
import { runWorker, planWorker, WorkerPlanError } from '../../workers/worker';
import { badInput } from '../errors';
import { createLogger } from '../logger';
import { connectionConfig, orFail, type GlobalOptions } from '../stack-context';

export interface WorkerCommandOptions extends GlobalOptions {
  queue?: QueueKind;
  slots?: number;
  slotsPerGpu?: number;
}

export async function workerCommand(options: WorkerCommandOptions): Promise<void> {
  const config = connectionConfig(options);
  const logger = createLogger('sweep-worker');
  let plan;
  try {
    plan = await orFail(planWorker({ queue: options.queue, slots: options.slots, slotsPerGpu: options.slotsPerGpu }));
  } catch (error) {
    if (error instanceof WorkerPlanError) throw badInput(error.message);
    throw error;
  }
  await runWorker(config, plan, logger);
}
