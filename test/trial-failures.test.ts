/**
 * A trial that runs out of memory on every attempt ends `failed` with the reason, the sweep goes
 * on and completes, and the worker stays in service (one trial's own failures never quarantine a
 * node); a sweep that failures left without any completed trial ends `sweep start` with exit 1.
 * The memory is really short: the worker runs the real trainer under an address-space limit
 * (prlimit), so the big batch's allocation is refused by the kernel.
 */
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { JsonSummary } from '../cli/summary';
import type { WorkerAnnouncement } from '../contracts/sweep-events';
import { findTorchPython } from '../workers/find-python';
import { useTestStack } from './support/cli';
import { allSweepEvents } from './support/events';

/** Enough for torch, the data and a batch of 64; not for a batch of 4096 at widths 64-128. */
const ADDRESS_SPACE_BYTES = 4 * 1024 ** 3;

describe('a trial that runs out of memory', () => {
  const stack = useTestStack();

  it('ends failed with the reason after its attempts; the other trial completes and the worker stays in service', async () => {
    const python = (await findTorchPython()).python;
    const limited = path.join(stack.stateDir, 'python-4g');
    writeFileSync(limited, `#!/bin/sh\nexec prlimit --as=${ADDRESS_SPACE_BYTES} ${python} "$@"\n`);
    chmodSync(limited, 0o755);
    const env = { SWEEP_PYTHON: limited };
    assert.equal((await stack.run(['dev', 'up'], { env })).code, 0);

    const file = path.join(stack.stateDir, 'oom.json');
    writeFileSync(file, JSON.stringify({
      name: 'oom',
      trials: 2,
      parallel: 2,
      searcher: 'grid',
      fixed: { epochs: 1, widths: [64, 128], train_subset: 4096, log_every: 5, stats_every: 20 },
      params: { batch_size: { type: 'categorical', values: [4096, 64] } },
    }));
    const started = await stack.run(['start', file, '--json'], { env });
    assert.equal(started.code, 0, started.stderr);
    const summary = JSON.parse(started.stdout) as JsonSummary;
    assert.equal(summary.sweep.state, 'completed');
    const big = summary.trials.find((t) => t.params.batch_size === 4096)!;
    const small = summary.trials.find((t) => t.params.batch_size === 64)!;
    assert.equal(big.state, 'failed', JSON.stringify(big));
    assert.match(big.reason ?? '', /^OutOfMemory: .*can't allocate memory/);
    assert.equal(small.state, 'completed', JSON.stringify(small));
    assert.match(started.stderr, new RegExp(`\\[trial ${big.trial}\\] failed: OutOfMemory: `));

    // Every attempt was made (5, the retry limit), and only the last one was final.
    const ends = (await allSweepEvents(stack.natsOptions(), summary.sweep.id)).filter((e) => e.trial === big.trial && e.data.event === 'trial_ended');
    assert.deepEqual(ends.map((e) => [e.attempt, e.data.event === 'trial_ended' && e.data.final]), [[1, false], [2, false], [3, false], [4, false], [5, true]]);

    const workers = JSON.parse((await stack.run(['workers', '--json'])).stdout) as { workers: WorkerAnnouncement[] };
    assert.equal(workers.workers.length, 1);
    assert.equal(workers.workers[0]!.quarantined ?? null, null, 'one trial\'s own failures do not quarantine the node');
  });

  it('makes `sweep start` exit 1 when failed trials left the sweep without a result, its summary still printed', async () => {
    const file = path.join(stack.stateDir, 'all-oom.json');
    writeFileSync(file, JSON.stringify({
      name: 'all-oom',
      trials: 1,
      fixed: { epochs: 1, widths: [64, 128], train_subset: 4096, log_every: 5, stats_every: 20, batch_size: 4096 },
      params: {},
    }));
    const started = await stack.run(['start', file, '--json']);
    assert.equal(started.code, 1, started.stderr);
    const summary = JSON.parse(started.stdout) as JsonSummary;
    assert.deepEqual([summary.sweep.state, summary.trials.map((t) => t.state), summary.best], ['completed', ['failed'], null]);
    assert.match(started.stderr, new RegExp(`^sweep: sweep ${summary.sweep.id} ended without a result: no trial completed and 1 failed`, 'm'));
  });
});
