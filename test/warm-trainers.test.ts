/**
 * The worker's warm trainers (workers/trainer-pool.ts) on the real trainer and real Fashion-MNIST:
 * a slot's trials share one process, outcomes read as a one-trial process's would, and a trainer
 * that died or stopped being reusable is replaced.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TrainerEvent } from '../contracts/trainer-events';
import type { TrainerConfig } from '../contracts/trial-config';
import { findTorchPython } from '../workers/find-python';
import { slotFor } from '../workers/slots';
import { TrainerPool } from '../workers/trainer-pool';
import type { TrainerRun } from '../workers/trainer-process';
import { processesOf } from './support/cli';

const TINY: TrainerConfig = { widths: [8, 16], train_subset: 512, batch_size: 128, epochs: 1, threads: 1, device: 'cpu', seed: 5 } as TrainerConfig;

interface Collected {
  run: TrainerRun;
  events: TrainerEvent[];
  /** Resolves at the trial's first `step` event. */
  stepped: Promise<void>;
}

describe('warm trainers', () => {
  // The pool's processes carry this marker in their environment, so the test can find them in /proc.
  const marker = mkdtempSync(path.join(tmpdir(), 'sweep-warm-'));
  let pool: TrainerPool;
  const slot = slotFor({ slots: 2, threads: 1, gpus: [] }, 0);
  const other = slotFor({ slots: 2, threads: 1, gpus: [] }, 1);
  const trainers = () => processesOf(marker).filter((p) => p.cmd.includes('run_trial.py --serve'));

  before(async () => {
    const python = await findTorchPython();
    pool = new TrainerPool(python.python, { ...process.env, SWEEP_STATE_DIR: marker });
  });
  after(async () => {
    await pool.close();
    rmSync(marker, { recursive: true, force: true });
  });

  const start = (config: TrainerConfig, onSlot = slot): Collected => {
    const events: TrainerEvent[] = [];
    let stepped!: () => void;
    const firstStep = new Promise<void>((resolve) => (stepped = resolve));
    const onEvent = (e: TrainerEvent) => {
      events.push(e);
      if (e.event === 'step') stepped();
    };
    const run = pool.run(onSlot, config, { onEvent, onBadLine: (reason) => assert.fail(reason) });
    return { run, events, stepped: firstStep };
  };

  it('runs a slot\'s trials in one process, each as it would run alone', async () => {
    const first = start(TINY);
    assert.equal(first.run.warm, false);
    assert.equal((await first.run.exited).code, 0);
    const [pid] = trainers().map((p) => p.pid);
    assert.ok(pid !== undefined, 'the trainer stays alive after its trial');

    const second = start(TINY);
    assert.equal(second.run.warm, true);
    assert.equal((await second.run.exited).code, 0);
    assert.deepEqual(trainers().map((p) => p.pid), [pid], 'the second trial ran in the same process');
    const result = (c: Collected) => c.events.find((e) => e.event === 'result');
    assert.deepEqual({ ...result(second), seconds: 0 }, { ...result(first), seconds: 0 });
    assert.deepEqual(second.events.filter((e) => e.event === 'ready').map((e) => e.warm), [true]);
  });

  it('stops a trial and keeps its trainer warm for the next', async () => {
    const long = start({ ...TINY, epochs: 50 } as TrainerConfig);
    await long.stepped;
    const exit = await long.run.stop();
    assert.equal(exit.code, 143);
    assert.equal(long.events.at(-1)?.event, 'stopped');
    const next = start(TINY);
    assert.equal(next.run.warm, true);
    assert.equal((await next.run.exited).code, 0);
  });

  it('replaces a trainer that ended: unreadable data, or killed mid-trial', async () => {
    const noData = start({ ...TINY, data_dir: marker } as TrainerConfig);
    const exit = await noData.run.exited;
    assert.equal(exit.code, 3);
    assert.equal(noData.events.at(-1)?.event, 'error');
    const fresh = start(TINY);
    assert.equal(fresh.run.warm, false, 'a trial after a data error starts in a fresh process');
    assert.equal((await fresh.run.exited).code, 0);

    const doomed = start({ ...TINY, epochs: 50 } as TrainerConfig);
    await doomed.stepped;
    const [victim] = trainers();
    assert.ok(victim);
    process.kill(victim.pid, 'SIGKILL');
    const killed = await doomed.run.exited;
    assert.deepEqual([killed.code, killed.signal], [null, 'SIGKILL']);
    const after = start(TINY);
    assert.equal(after.run.warm, false);
    assert.equal((await after.run.exited).code, 0);
  });

  it('gives each slot its own trainer, and closing leaves no process', async () => {
    const a = start(TINY, slot);
    const b = start(TINY, other);
    assert.deepEqual([(await a.run.exited).code, (await b.run.exited).code], [0, 0]);
    assert.equal(trainers().length, 2);
    await pool.close();
    assert.deepEqual(trainers(), []);
  });
});
