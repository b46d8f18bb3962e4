/**
 * `sweep worker`: run a worker node until SIGINT/SIGTERM.
 */
import type { QueueKind } from '../../contracts/space';
import { runWorker, planWorker } from '../../workers/worker';
import { createLogger } from '../logger';
import { connectionConfig, orFail, type GlobalOptions } from '../stack-context';

export interface WorkerCommandOptions extends GlobalOptions {
  queue?: QueueKind;
  slots?: number;
}

export async function workerCommand(options: WorkerCommandOptions): Promise<void> {
  const config = connectionConfig(options);
  const logger = createLogger('sweep-worker');
  const plan = await orFail(planWorker({ queue: options.queue, slots: options.slots }));
  await runWorker(config, plan, logger);
}
