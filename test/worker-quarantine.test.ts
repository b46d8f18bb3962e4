/**
 * A worker node that fails every trial (its Fashion-MNIST copy is corrupt) quarantines itself, the
 * sweep's trials go on to a healthy worker, and `sweep workers` shows both, one quarantined.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonSummary } from '../cli/summary';
import type { WorkerAnnouncement } from '../contracts/sweep-events';
import { readEmbeddedNatsCredentials } from '../connections/security';
import { isAlive, pollUntil } from '../embedded/processes';
import { createTestStack, spawnCli, startDetached, type TestStack } from './support/cli';
import { allSweepEvents } from './support/events';

describe('worker quarantine on the embedded stack', () => {
  let stack: TestStack;
  let broken: ReturnType<typeof spawnCli> | undefined;

  before(async () => {
    stack = await createTestStack();
  });

  after(async () => {
    broken?.kill('SIGTERM');
    await stack.run(['dev', 'down']);
    await stack.remove();
  });

  const workers = async () => {
    const r = await stack.run(['workers', '--json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { workers: WorkerAnnouncement[] }).workers;
  };

  it('takes a failing node out of the trial queue; the trials complete on a healthy one', async () => {
    const up = await stack.run(['dev', 'up']);
    assert.equal(up.code, 0, up.stderr);
    // Only the broken node serves trials at first: stop the stack's own worker.
    const healthyPid = Number(readFileSync(path.join(stack.stateDir, 'worker.pid'), 'utf8'));
    process.kill(healthyPid, 'SIGTERM');
    assert.ok(await pollUntil(async () => (isAlive(healthyPid) ? undefined : true), 30_000));

    // Real files with the right names and the wrong bytes: the trainer's checksum refuses them.
    const corrupt = path.join(stack.stateDir, 'corrupt-data');
    mkdirSync(corrupt);
    for (const name of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']) writeFileSync(path.join(corrupt, name), Buffer.alloc(1024, 7));
    broken = spawnCli(['worker', '--slots', '1'], { ...stack.env, SWEEP_FASHION_MNIST_DIR: corrupt });

    const space = path.join(stack.stateDir, 'quarantine.json');
    writeFileSync(
      space,
      JSON.stringify({
        name: 'quarantine',
        trials: 3,
        parallel: 2,
        searcher: 'random',
        fixed: { epochs: 1, widths: [8, 16], train_subset: 2000, batch_size: 64 },
        params: { max_lr: { type: 'loguniform', low: 0.005, high: 0.02 } },
      }),
    );
    // Started as against a team's own servers (the stack's, by address): `start` then leaves the
    // workers alone instead of bringing the stack's own worker back.
    const credentials = readEmbeddedNatsCredentials(stack.stateDir);
    const external = {
      TEMPORAL_ADDRESS: `127.0.0.1:${stack.env.SWEEP_TEMPORAL_PORT}`,
      NATS_URL: `nats://127.0.0.1:${stack.env.SWEEP_NATS_PORT}`,
      NATS_USER: credentials.user,
      NATS_PASSWORD: credentials.pass,
    };
    const sweepId = await startDetached(stack, space, external);

    const quarantined = await pollUntil(async () => (await workers()).find((w) => w.quarantined), 120_000);
    assert.ok(quarantined, 'the broken node never quarantined itself');
    assert.match(quarantined.quarantined!, /^3 trial attempts in a row failed here; last: .*SHA-256/);

    // A healthy node joins; the sweep ends with every trial completed there.
    const again = await stack.run(['dev', 'up']);
    assert.equal(again.code, 0, again.stderr);
    const done = await pollUntil(async () => {
      const r = await stack.run(['status', sweepId, '--json']);
      const s = JSON.parse(r.stdout) as JsonSummary;
      return s.sweep.state === 'completed' ? s : undefined;
    }, 300_000);
    assert.ok(done, 'the sweep did not complete');
    assert.deepEqual(done.trials.map((t) => t.state), ['completed', 'completed', 'completed']);

    const events = await allSweepEvents(stack.natsOptions(), sweepId);
    const failedHere = events.filter((e) => e.node === quarantined.node && e.data.event === 'trial_ended');
    assert.equal(failedHere.length, 3);
    for (const e of failedHere) assert.deepEqual([e.data.event === 'trial_ended' && e.data.state, e.data.event === 'trial_ended' && e.data.final], ['failed', false]);
    // After its third failure the node took no more trials.
    assert.equal(events.filter((e) => e.node === quarantined.node && e.data.event === 'trial_started').length, 3);

    const listed = await workers();
    assert.equal(listed.length, 2, JSON.stringify(listed));
    assert.deepEqual(listed.map((w) => (w.quarantined ? 'quarantined' : 'serving')).sort(), ['quarantined', 'serving']);
    const table = await stack.run(['workers']);
    assert.match(table.stdout, /quarantined: 3 trial attempts in a row failed here/);
    assert.match(table.stdout, /serving/);
  });
});
