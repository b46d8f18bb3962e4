/**
 * Steering a sweep through the real CLI on the embedded stack: `sweep start` on a space whose sweep
 * already runs reattaches, `sweep pause` stops the running trials with their checkpoints kept,
 * `sweep resume` runs them again from those checkpoints, and `sweep resume` of a stopped sweep
 * continues it under the same id with its finished trials kept.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonSummary } from '../cli/summary';
import type { SweepEvent } from '../contracts/sweep-events';
import { useTestStack, processesOf, startDetached, writeTinySpace, type TestStack } from './support/cli';
import { allSweepEvents, firstEvent } from './support/events';

/**
 * Long enough to pause or stop a trial after its first checkpoint: the pause comes after a second
 * `sweep start` (seconds of CLI start-up), so that sweep's trials get more epochs.
 */
const space = (stack: TestStack, name: string, trials: number, epochs = 3) => writeTinySpace(stack.stateDir, name, { trials, epochs, seed: 11 });

/** Starts a sweep and returns once some trial has stored its first epoch's checkpoint and trains on. */
async function startPastFirstCheckpoint(stack: TestStack, file: string, budget: number): Promise<{ sweepId: string; trial: number }> {
  const sweepId = await startDetached(stack, file);
  const event = await firstEvent(() => stack.natsOptions(), sweepId, budget, (e) => e.data.event === 'step' && e.data.epoch === 1);
  assert.ok(event, 'the sweep ended before a trial reached its second epoch');
  return { sweepId, trial: event.trial };
}

const trainers = (stack: TestStack) => processesOf(stack.stateDir).filter((p) => p.cmd.includes('run_trial.py'));
const readyOf = (events: SweepEvent[], trial: number) =>
  events.filter((e): e is SweepEvent & { data: { event: 'ready'; start_epoch: number } } => e.trial === trial && e.data.event === 'ready');

describe('pause, resume and reattach', () => {
  const stack = useTestStack();

  it('reattaches to a running sweep of the same space, pauses it, and resumes its trials from their checkpoints', async () => {
    const budget = 3;
    const file = space(stack, 'pausing', budget, 8);
    const { sweepId, trial } = await startPastFirstCheckpoint(stack, file, budget);

    // The same space again: no second sweep, the running one is followed.
    const again = await stack.run(['start', file, '--detach', '--json']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { sweep: { id: string } }).sweep.id, sweepId);
    assert.match(again.stderr, new RegExp(`sweep ${sweepId} already runs this space`));

    const trainersBefore = new Set(trainers(stack).map((p) => p.pid));
    const paused = await stack.run(['pause', sweepId]);
    assert.equal(paused.code, 0, paused.stderr);
    assert.match(paused.stdout, new RegExp(`sweep ${sweepId} paused; trials? .*${trial}`));
    const status = JSON.parse((await stack.run(['status', sweepId, '--json'])).stdout) as JsonSummary;
    assert.equal(status.sweep.state, 'paused');
    assert.equal(status.trials.find((t) => t.trial === trial)?.state, 'paused');
    assert.ok(status.trials.every((t) => t.state !== 'running'));
    // The paused trial's training ended (the trainer's `stopped`, then trial_ended); its warm
    // trainer waits idle in the slot, and no trainer was started.
    const own = (await allSweepEvents(stack.natsOptions(), sweepId)).filter((e) => e.trial === trial).map((e) => e.data.event);
    assert.deepEqual(own.slice(-2), ['stopped', 'trial_ended']);
    assert.ok(trainers(stack).every((p) => trainersBefore.has(p.pid)), 'no trainer starts while the sweep is paused');

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
    const { sweepId, trial } = await startPastFirstCheckpoint(stack, space(stack, 'stopping', budget), budget);
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
