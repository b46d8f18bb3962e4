/**
 * Steering a sweep through the real CLI on the embedded stack: `sweep start` on a space whose sweep
 * already runs reattaches, `sweep pause` stops the running trials with their checkpoints kept,
 * `sweep resume` runs them again from those checkpoints, and `sweep resume` of a stopped sweep
 * continues it under the same id with its finished trials kept.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonSummary } from '../cli/summary';
import type { SweepEvent } from '../contracts/sweep-events';
import { createTestStack, processesOf, type TestStack } from './support/cli';
import { allSweepEvents, SweepFollower } from './support/faults';

/** 3 epochs of a very narrow ResNet on 3,000 real images: long enough to pause after a checkpoint. */
function writeSpace(dir: string, name: string, trials: number): string {
  const file = path.join(dir, `${name}.json`);
  const space = {
    name,
    seed: 11,
    trials,
    parallel: 2,
    searcher: 'random',
    fixed: { epochs: 3, widths: [8, 16, 32], train_subset: 3000, stats_every: 10, log_every: 2, batch_size: 64 },
    params: { max_lr: { type: 'loguniform', low: 0.005, high: 0.02 } },
  };
  writeFileSync(file, JSON.stringify(space));
  return file;
}

/** Resolves once some trial has stored its first epoch's checkpoint and trains on in its second. */
async function pastFirstCheckpoint(stack: TestStack, sweepId: string, budget: number): Promise<number> {
  const follower = new SweepFollower(() => stack.natsOptions(), sweepId, budget);
  await follower.start();
  try {
    const event = await follower.next((e) => e.data.event === 'step' && e.data.epoch === 1);
    assert.ok(event, 'the sweep ended before a trial reached its second epoch');
    return event.trial;
  } finally {
    await follower.stop();
  }
}

const trainers = (stack: TestStack) => processesOf(stack.stateDir).filter((p) => p.cmd.includes('run_trial.py'));
const readyOf = (events: SweepEvent[], trial: number) =>
  events.filter((e): e is SweepEvent & { data: { event: 'ready'; start_epoch: number } } => e.trial === trial && e.data.event === 'ready');

describe('pause, resume and reattach', () => {
  let stack: TestStack;

  before(async () => {
    stack = await createTestStack();
  });

  after(async () => {
    await stack.run(['dev', 'down']);
    await stack.remove();
  });

  it('reattaches to a running sweep of the same space, pauses it, and resumes its trials from their checkpoints', async () => {
    const budget = 3;
    const file = writeSpace(stack.stateDir, 'pausing', budget);
    const started = await stack.run(['start', file, '--detach', '--json']);
    assert.equal(started.code, 0, started.stderr);
    const sweepId = (JSON.parse(started.stdout) as { sweep: { id: string } }).sweep.id;
    const trial = await pastFirstCheckpoint(stack, sweepId, budget);

    // The same space again: no second sweep, the running one is followed.
    const again = await stack.run(['start', file, '--detach', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { sweep: { id: string } }).sweep.id, sweepId);
    assert.match(again.stderr, new RegExp(`sweep ${sweepId} already runs this space`));

    const paused = await stack.run(['pause', sweepId]);
    assert.equal(paused.code, 0, paused.stderr);
    assert.match(paused.stdout, new RegExp(`sweep ${sweepId} paused; trials? .*${trial}`));
    const status = JSON.parse((await stack.run(['status', sweepId, '--json'])).stdout) as JsonSummary;
    assert.equal(status.sweep.state, 'paused');
    assert.equal(status.trials.find((t) => t.trial === trial)?.state, 'paused');
    assert.ok(status.trials.every((t) => t.state !== 'running'));
    assert.deepEqual(trainers(stack), [], 'no trainer runs while the sweep is paused');

    const resumed = await stack.run(['resume', sweepId, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const summary = JSON.parse(resumed.stdout) as JsonSummary;
    assert.equal(summary.sweep.state, 'completed');
    assert.deepEqual(summary.trials.map((t) => [t.trial, t.state]), [...Array(budget).keys()].map((n) => [n, 'completed']));
    // The paused trial ran again from its checkpoint: its second run started at epoch 1 or later.
    const runs = readyOf(await allSweepEvents(stack.natsOptions(), sweepId), trial);
    assert.equal(runs.length, 2, `trial ${trial} ran ${runs.length} times`);
    assert.equal(runs[0]!.data.start_epoch, 0);
    assert.ok(runs[1]!.data.start_epoch >= 1, `the resumed run started at epoch ${runs[1]!.data.start_epoch}`);
  });

  it('resumes a stopped sweep under the same id: finished trials kept, stopped ones run again', async () => {
    const budget = 3;
    const file = writeSpace(stack.stateDir, 'stopping', budget);
    const started = await stack.run(['start', file, '--detach', '--json']);
    assert.equal(started.code, 0, started.stderr);
    const sweepId = (JSON.parse(started.stdout) as { sweep: { id: string } }).sweep.id;
    const trial = await pastFirstCheckpoint(stack, sweepId, budget);
    const stopped = await stack.run(['stop', sweepId]);
    assert.equal(stopped.code, 0, stopped.stderr);
    const before = JSON.parse((await stack.run(['status', sweepId, '--json'])).stdout) as JsonSummary;
    assert.equal(before.sweep.state, 'stopped');
    assert.equal(before.trials.find((t) => t.trial === trial)?.state, 'stopped');

    const resumed = await stack.run(['resume', sweepId, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`sweep ${sweepId} resumed: \\d+ finished trials kept, \\d+ to run again, \\d+ new`));
    const summary = JSON.parse(resumed.stdout) as JsonSummary;
    assert.equal(summary.sweep.id, sweepId);
    assert.equal(summary.sweep.state, 'completed');
    assert.deepEqual(summary.trials.map((t) => [t.trial, t.state]), [...Array(budget).keys()].map((n) => [n, 'completed']));
    // A kept trial keeps its params; the stopped trial resumed from its checkpoint.
    for (const t of before.trials) assert.deepEqual(summary.trials[t.trial]!.params, t.params);
    const runs = readyOf(await allSweepEvents(stack.natsOptions(), sweepId), trial);
    assert.ok(runs.at(-1)!.data.start_epoch >= 1, `the resumed run started at epoch ${runs.at(-1)!.data.start_epoch}`);
    // The list shows the sweep once, not once per run.
    const list = await stack.run(['status', '--json']);
    const ids = (JSON.parse(list.stdout) as { sweeps: Array<{ id: string }> }).sweeps.map((s) => s.id);
    assert.equal(ids.filter((id) => id === sweepId).length, 1);
  });

  it('says what it does with a sweep that is completed or unknown', async () => {
    const unknown = await stack.run(['resume', 'no-such-sweep']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no sweep with id "no-such-sweep"/);
    const list = JSON.parse((await stack.run(['status', '--json'])).stdout) as { sweeps: Array<{ id: string; state: string }> };
    const done = list.sweeps.find((s) => s.state === 'completed')!;
    const again = await stack.run(['resume', done.id]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /completed; nothing to resume/);
    const pause = await stack.run(['pause', done.id]);
    assert.equal(pause.code, 0, pause.stderr);
    assert.match(pause.stdout, /is completed; nothing to pause/);
  });
});
