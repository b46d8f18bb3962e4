/**
 * `sweep lr-find` with the real trainer on real data (a narrow model for speed): its suggested range
 * contains the max LR of the default recipe, and a bad config gets exit 2 naming file and field.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LrSuggestion } from '../reports/lr-range';
import { runCli } from './support/cli';

/** trainer/sweep_trainer/config.py: TrialConfig.max_lr, the course recipe's 1e-2. */
const DEFAULT_MAX_LR = 0.01;

describe('sweep lr-find', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sweep-lr-find-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('suggests a max-LR range that contains the default recipe\'s max LR, and plots the curve', async () => {
    const config = path.join(dir, 'narrow.json');
    await writeFile(config, JSON.stringify({ widths: [8, 16, 32, 64], batch_size: 128, train_subset: 20_000, log_every: 20 }));
    const plot = path.join(dir, 'lr.svg');
    const result = await runCli(['lr-find', config, '--out', plot, '--json'], process.env);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as { lrs: number[]; losses: number[]; suggestion: LrSuggestion; space_param: { max_lr: { low: number; high: number } } };
    const [low, high] = out.suggestion.range;
    assert.ok(low <= DEFAULT_MAX_LR && DEFAULT_MAX_LR <= high, `range [${low}, ${high}]`);
    assert.ok(out.suggestion.steepest < out.suggestion.minimum);
    assert.ok(out.lrs.length >= 50 && out.lrs.length <= 100, `${out.lrs.length} steps`);
    assert.ok(out.space_param.max_lr.low <= DEFAULT_MAX_LR && out.space_param.max_lr.high >= DEFAULT_MAX_LR);
    const svg = readFileSync(plot, 'utf8');
    assert.match(svg, /^<svg class="chart" data-chart="lr-find"/);
    assert.equal(svg.match(/<path class="series"/g)?.length, 4);
  });

  it('refuses a config with a bad field or one meant for trials, naming the file and field, with exit 2', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ max_lr: -1, resume_from: 'x', widthz: [8] }));
    const result = await runCli(['lr-find', bad], process.env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`^sweep: ${bad}: resume_from: is not a range-test field`, 'm'));
    assert.match(result.stderr, new RegExp(`^sweep: ${bad}: max_lr: `, 'm'));
    assert.match(result.stderr, new RegExp(`^sweep: ${bad}: widthz: unknown field`, 'm'));
    const notJson = path.join(dir, 'not.json');
    await writeFile(notJson, '{"widths": [8, 16],}');
    assert.match((await runCli(['lr-find', notJson], process.env)).stderr, /not valid JSON: line 1, column 20: trailing comma/);
  });
});
