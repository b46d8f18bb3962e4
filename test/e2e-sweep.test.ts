/**
 * End to end through the real CLI: the embedded Temporal dev server, nats-server, the local worker
 * and the PyTorch trainer on real Fashion-MNIST. One stack for the whole file, torn down at the end.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { JsonSummary } from '../cli/summary';
import { createTestStack, processesOf, startDetached, type TestStack } from './support/cli';
import { allSweepEvents, firstEvent } from './support/events';

const TRIAL_KEYS = ['trial', 'state', 'params', 'metrics', 'reason', 'rule', 'values'];

describe('a sweep end to end on the embedded stack', () => {
  let stack: TestStack;
  let summary: JsonSummary;

  before(async () => {
    stack = await createTestStack();
  });

  after(async () => {
    await stack.run(['dev', 'down']);
    await stack.remove();
  });

  it('runs a tiny sweep on real Fashion-MNIST and prints a JSON summary', async () => {
    const result = await stack.run(['start', 'test/fixtures/tiny.json', '--json']);
    assert.equal(result.code, 0, result.stderr);
    summary = JSON.parse(result.stdout) as JsonSummary;
    assert.equal(summary.sweep.state, 'completed');
    assert.equal(summary.sweep.name, 'tiny');
    assert.equal(summary.sweep.queue, 'cpu');
    assert.equal(summary.trials.length, 3);
    for (const trial of summary.trials) {
      assert.deepEqual(Object.keys(trial).sort(), [...TRIAL_KEYS].sort());
      assert.equal(trial.state, 'completed', trial.reason ?? '');
      assert.equal(trial.params.epochs, 2);
      assert.equal(trial.metrics?.epochs, 2);
      // Chance is 0.1; a narrow ResNet on 3,000 images for 2 epochs reaches well over 0.6.
      assert.ok(trial.metrics!.val_acc! > 0.6, `trial ${trial.trial} val_acc ${trial.metrics?.val_acc}`);
      assert.ok(trial.metrics!.val_acc! <= 1);
    }
    const bestAcc = Math.max(...summary.trials.map((t) => t.metrics!.val_acc!));
    assert.equal(summary.best?.val_acc, bestAcc);
    assert.deepEqual(summary.best?.params, summary.trials.find((t) => t.metrics?.val_acc === bestAcc)?.params);
    // The progress went to stderr, not into the JSON.
    assert.match(result.stderr, /sweep tiny-\S+ started: 3 trials, 2 at a time/);
  });

  it('relayed every trial\'s trainer events, activation stats included, to JetStream', async () => {
    const events = await allSweepEvents(stack.natsOptions(), summary.sweep.id);
    for (const { trial } of summary.trials) {
      const kinds = events.filter((e) => e.trial === trial).map((e) => e.data.event);
      assert.deepEqual([kinds[0], kinds[1]], ['trial_started', 'ready'], `trial ${trial}: ${kinds.join(',')}`);
      assert.deepEqual(kinds.slice(-2), ['result', 'trial_ended']);
      assert.equal(kinds.filter((k) => k === 'epoch').length, 2);
      assert.equal(kinds.filter((k) => k === 'checkpoint').length, 2);
      assert.ok(kinds.includes('step'));
      const stats = events.find((e) => e.trial === trial && e.data.event === 'stats');
      assert.ok(stats && stats.data.event === 'stats');
      assert.ok(stats.data.layers.length >= 3);
      for (const layer of stats.data.layers) {
        assert.equal(layer.hist.length, 40);
        assert.ok(layer.dead !== null && layer.dead >= 0 && layer.dead <= 1);
      }
    }
    // 3 trials, 2 at a time: the first trial of a slot starts its warm trainer, a later one reuses it.
    const warm = (trial: number) => {
      const ready = events.find((e) => e.trial === trial && e.data.event === 'ready')?.data;
      assert.ok(ready?.event === 'ready');
      return ready.warm;
    };
    assert.equal(warm(0), false);
    assert.equal(warm(2), true, 'the third trial ran on a warm trainer');
  });

  it('reads the finished sweep back with `sweep status --json`', async () => {
    const result = await stack.run(['status', summary.sweep.id, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const status = JSON.parse(result.stdout) as JsonSummary;
    assert.deepEqual(status, summary);
    const list = await stack.run(['status']);
    const best = summary.best!.val_acc!.toFixed(4);
    assert.match(list.stdout, new RegExp(`${summary.sweep.id}\\s+completed\\s+3/3\\s+${best}`));
  });

  it('keeps the finished sweep readable after Temporal has lost its history', async () => {
    // What retention does to a finished sweep, done all at once: Temporal restarts on an empty
    // database (its history is gone); nats-server restarts on its store, which keeps the results.
    const down = await stack.run(['dev', 'down']);
    assert.equal(down.code, 0, down.stderr);
    rmSync(`${stack.stateDir}/temporal.db`);
    const up = await stack.run(['dev', 'up']);
    assert.equal(up.code, 0, up.stderr);
    const watch = await stack.run(['watch', summary.sweep.id]);
    assert.equal(watch.code, 1);
    assert.match(watch.stderr, /no sweep with id ".+" in Temporal/);
    const result = await stack.run(['status', summary.sweep.id, '--json']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout) as JsonSummary, summary);
    const list = await stack.run(['status']);
    assert.match(list.stdout, new RegExp(`${summary.sweep.id}\\s+completed \\(kept\\)\\s+3/3`));
  });

  it('`sweep stop` stops running trials; their warm trainers stop training and start no other', async () => {
    const sweepId = await startDetached(stack, 'test/fixtures/long.json');
    // Wait until a trainer is really training before stopping.
    assert.ok(await firstEvent(() => stack.natsOptions(), sweepId, 2, (e) => e.data.event === 'step'));
    const trainersBefore = processesOf(stack.stateDir).filter((p) => p.cmd.includes('run_trial.py'));
    assert.ok(trainersBefore.length >= 1, 'a trainer process is running');

    const stopped = await stack.run(['stop', sweepId]);
    assert.equal(stopped.code, 0, stopped.stderr);
    const status = JSON.parse((await stack.run(['status', sweepId, '--json'])).stdout) as JsonSummary;
    assert.equal(status.sweep.state, 'stopped');
    assert.ok(status.trials.length >= 1);
    for (const t of status.trials) assert.equal(t.state, 'stopped');
    // Each stopped trial's training ended with the trainer's `stopped` (its last event before the
    // worker's trial_ended); the trainers that remain are the same warm processes, idle in their slots.
    const events = await allSweepEvents(stack.natsOptions(), sweepId);
    const started = status.trials.filter((t) => events.some((e) => e.trial === t.trial && e.data.event === 'ready'));
    assert.ok(started.length >= 1);
    for (const t of started) {
      const own = events.filter((e) => e.trial === t.trial).map((e) => e.data.event);
      assert.deepEqual(own.slice(-2), ['stopped', 'trial_ended'], `trial ${t.trial} ended: ${own.slice(-4).join(', ')}`);
    }
    const trainersAfter = processesOf(stack.stateDir).filter((p) => p.cmd.includes('run_trial.py'));
    const before = new Set(trainersBefore.map((p) => p.pid));
    assert.ok(trainersAfter.every((p) => before.has(p.pid) && p.cmd.includes('--serve')), 'no trainer was started by the stop');
  });

  it('`sweep dev down` leaves no process of the stack behind', async () => {
    assert.ok(processesOf(stack.stateDir).length >= 3, 'servers and worker run before');
    const result = await stack.run(['dev', 'down']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /worker: stopped[\s\S]*nats: stopped[\s\S]*temporal: stopped/);
    assert.deepEqual(processesOf(stack.stateDir), []);
    for (const name of ['temporal', 'nats', 'metrics', 'worker']) assert.equal(existsSync(`${stack.stateDir}/${name}.pid`), false);
  });
});
