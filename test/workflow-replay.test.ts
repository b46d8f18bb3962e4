/**
 * Replays recorded sweep histories against today's workflow code: a change that would make a
 * running sweep non-deterministic (a new command, a reordered activity) fails here, before it can
 * break the sweeps that are running when a worker is upgraded.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from '@temporalio/worker';

const HISTORIES = path.join(__dirname, 'fixtures', 'histories');

describe('sweep workflow replay', () => {
  // A 3-trial, 2-parallel sweep recorded from the embedded stack (`temporal workflow show --output json`).
  it('replays a completed sweep without non-determinism', async () => {
    const history: unknown = JSON.parse(readFileSync(path.join(HISTORIES, 'tiny-sweep.json'), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, history, 'tiny-sweep');
  });

  // A 4-trial ASHA sweep: epoch reports arrive as updates, three trials end pruned (two by ASHA, one by the divergence rule).
  it('replays a pruned sweep, its epoch-report updates included', async () => {
    const history: unknown = JSON.parse(readFileSync(path.join(HISTORIES, 'pruned-sweep.json'), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, history, 'pruned-sweep');
  });

  // A 3-trial sweep paused while trial 2 trained (the trial cancelled, recorded paused) and resumed (trial 2 run again).
  it('replays a paused and resumed sweep, its pause and resume signals included', async () => {
    const history: unknown = JSON.parse(readFileSync(path.join(HISTORIES, 'paused-sweep.json'), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, history, 'paused-sweep');
  });

  // The second run of a stopped sweep that `sweep resume` continued: the earlier trials come in its input.
  it('replays the run that resumes a stopped sweep', async () => {
    const history: unknown = JSON.parse(readFileSync(path.join(HISTORIES, 'resumed-sweep.json'), 'utf8'));
    await Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, history, 'resumed-sweep');
  });
});
