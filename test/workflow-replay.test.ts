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

/** Each history, recorded from the embedded stack with `temporal workflow show --output json`. */
const CASES: Array<{ file: string; what: string }> = [
  // 3 trials, 2 in parallel.
  { file: 'tiny-sweep', what: 'a completed sweep' },
  // 4 trials with ASHA: epoch reports arrive as updates; three trials end pruned (two by ASHA, one by the divergence rule).
  { file: 'pruned-sweep', what: 'a pruned sweep, its epoch-report updates included' },
  // 3 trials, paused while trial 2 trained (cancelled, recorded paused) and resumed (trial 2 run again).
  { file: 'paused-sweep', what: 'a paused and resumed sweep, its pause and resume signals included' },
  // The second run of a stopped sweep that `sweep resume` continued: the earlier trials come in its input.
  { file: 'resumed-sweep', what: 'the run that resumes a stopped sweep' },
];

describe('sweep workflow replay', () => {
  for (const { file, what } of CASES) {
    it(`replays ${what} without non-determinism`, async () => {
      const history: unknown = JSON.parse(readFileSync(path.join(HISTORIES, `${file}.json`), 'utf8'));
      await Worker.runReplayHistory({ workflowsPath: require.resolve('../workflows') }, history, file);
    });
  }
});
