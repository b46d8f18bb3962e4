/**
 * A worker node: the control worker (sweep workflows and suggestions) and the trial worker (one
 * trainer per slot) on this node's queue, sharing one Temporal and one NATS connection.
 */
import { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as os from 'node:os';
import type { Logger } from 'pino';
import type { QueueKind } from '../contracts/space';
import type { ConnectionConfig } from '../connections/config';
import { connectNats, ensureEventsStream } from '../connections/nats';
import { openCheckpointStore } from '../connections/checkpoint-store';
import { openResultsStore } from '../connections/results-store';
import { openLeaderboardStore } from '../connections/leaderboard-store';
import { openWorkerRegistry } from '../connections/worker-registry';
import { temporalConnectOptions } from '../connections/temporal';
import { reportEpochUpdate } from '../workflows/definitions';
import { createActivities } from './activities';
import { createQuarantine } from './quarantine';
import { createSlotPool, visibleGpus, type SlotPlan } from './slots';
import { TrainerPool } from './trainer-pool';
import { announceWorker } from './worker-announcer';
import { codeVersion } from './code-version';
import { findTorchPython } from './find-python';
import { CONTROL_TASK_QUEUE, trialTaskQueue } from './task-queues';

export interface WorkerOptions {
  /** Detected when absent: gpu when torch sees a CUDA device, else cpu. */
  queue?: QueueKind;
  /** Trials at once; default slotsPerGpu per GPU, or one per core on a CPU node. */
  slots?: number;
  /** Trials sharing each GPU (default 1): small models leave a big GPU mostly idle. */
  slotsPerGpu?: number;
}

export interface WorkerPlan extends SlotPlan {
  python: string;
  torch: string;
  queue: QueueKind;
}

export class WorkerPlanError extends Error {
  override name = 'WorkerPlanError';
}

export async function planWorker(options: WorkerOptions, env: NodeJS.ProcessEnv = process.env): Promise<WorkerPlan> {
  const python = await findTorchPython(env);
  const queue = options.queue ?? (python.cuda_devices > 0 ? 'gpu' : 'cpu');
  if (queue === 'gpu' && python.cuda_devices === 0) {
    // A gpu worker without a GPU would fail every trial it takes as a bad config.
    throw new WorkerPlanError(`--queue gpu, but torch ${python.torch} (${python.python}) sees no CUDA device here; serve the cpu queue, or fix the CUDA install`);
  }
  if (queue === 'cpu' && options.slotsPerGpu !== undefined) throw new WorkerPlanError('--slots-per-gpu applies to a gpu worker only');
  const gpus = queue === 'gpu' ? visibleGpus(python.cuda_devices, env) : [];
  const slots = options.slots ?? Math.max(1, queue === 'gpu' ? gpus.length * (options.slotsPerGpu ?? 1) : python.cpus);
  // Each slot gets its share of the cores, so parallel trials do not oversubscribe the CPU.
  const threads = Math.max(1, Math.floor(python.cpus / slots));
  return { python: python.python, torch: python.torch, queue, slots, threads, gpus };
}

/** Temporal's own log lines go through our logger; below WARN they are mostly bundling noise. */
function installRuntime(logger: Logger): void {
  const level = logger.isLevelEnabled('debug') ? 'DEBUG' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: l, message, meta }) => {
      const method = l === 'ERROR' ? 'error' : l === 'WARN' ? 'warn' : l === 'INFO' ? 'info' : 'debug';
      logger[method]({ temporal: meta }, message);
    }),
  });
}

export async function runWorker(config: ConnectionConfig, plan: WorkerPlan, logger: Logger): Promise<void> {
  installRuntime(logger);
  const node = `${os.hostname()}:${process.pid}`;
  const nc = await connectNats(config, `sweep-worker ${node}`);
  try {
    const js = await ensureEventsStream(nc);
    const connection = await NativeConnection.connect(temporalConnectOptions(config));
    try {
      // Epoch reports go to the sweep as workflow updates, over the worker's own connection.
      const client = new Client({ connection, namespace: config.namespace });
      const slots = createSlotPool(plan);
      const trainers = new TrainerPool(plan.python);
      const [results, checkpoints, registry, leaderboard, commit] = await Promise.all([
        openResultsStore(nc),
        openCheckpointStore(nc),
        openWorkerRegistry(nc),
        openLeaderboardStore(nc),
        codeVersion(),
      ]);
      const quarantine = createQuarantine();
      // Set once the trial worker exists; a quarantine takes this node out of the trial queue.
      let leaveTrialQueue = (): void => undefined;
      const activities = createActivities({
        trainers,
        js,
        nc,
        logger,
        node,
        stateDir: config.stateDir,
        slots,
        results,
        checkpoints,
        leaderboard,
        commit,
        attemptEnded(outcome) {
          if (!quarantine.record(outcome)) return;
          logger.error({ node, reason: quarantine.reason }, 'worker quarantined: it takes no more trials until restarted');
          leaveTrialQueue();
        },
        reportEpoch: (sweepId, report) => client.workflow.getHandle(sweepId).executeUpdate(reportEpochUpdate, { args: [report] }),
      });
      const common = { connection, namespace: config.namespace };
      const control = await Worker.create({
        ...common,
        taskQueue: CONTROL_TASK_QUEUE,
        workflowsPath: require.resolve('../workflows'),
        activities: { suggestTrial: activities.suggestTrial, recordSweep: activities.recordSweep, recordPromotion: activities.recordPromotion },
      });
      const trials = await Worker.create({
        ...common,
        taskQueue: trialTaskQueue(plan.queue),
        activities: { runTrial: activities.runTrial },
        maxConcurrentActivityTaskExecutions: plan.slots,
        // Cancellation reaches an activity only in a heartbeat's reply: keep them frequent so a
        // stopped trial's trainer dies within seconds, not the default throttle of up to a minute.
        maxHeartbeatThrottleInterval: '3 seconds',
      });
      logger.info({ node, ...plan }, 'worker ready');
      const announcer = announceWorker(nc, registry, logger, { node, queue: trialTaskQueue(plan.queue), slots: plan.slots, gpus: plan.gpus.length, threads: plan.threads }, { slots, quarantine });
      leaveTrialQueue = () => {
        announcer.now();
        // Stops polling the trial queue; the control worker (sweeps, suggestions) goes on.
        trials.shutdown();
      };
      try {
        // Both stop on SIGINT/SIGTERM (the Temporal runtime's shutdown signals), waiting for trials to
        // end. The warm trainers go once the trial worker stops: at shutdown, or at a quarantine.
        await Promise.all([control.run(), trials.run().finally(() => trainers.close())]);
      } finally {
        announcer.stop();
        await trainers.close();
      }
    } finally {
      await connection.close();
    }
  } finally {
    await nc.drain();
  }
}
