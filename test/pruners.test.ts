import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEALTH_DEFAULTS, prunerSchema, type HealthOptions } from '../contracts/pruning';
import type { TrainerEvent } from '../contracts/trainer-events';
import { createPruner, type TrialCurve } from '../pruners';
import { rungAt } from '../pruners/asha';
import { median } from '../pruners/median';
import { createHealthMonitor } from '../workers/health-monitor';

const curve = (trial: number, values: Array<number | null>, state: TrialCurve['state'] = 'running'): TrialCurve => ({ trial, state, values });
const asha = (options: object = {}) => createPruner(prunerSchema.parse({ type: 'asha', ...options }));
const medianPruner = (options: object = {}) => createPruner(prunerSchema.parse({ type: 'median', ...options }));

describe('ASHA pruner', () => {
  it('puts rungs at min_epochs * reduction_factor^k epochs', () => {
    const opts = { min_epochs: 1, reduction_factor: 3 };
    assert.deepEqual([1, 2, 3, 4, 9, 27].map((e) => rungAt(e, opts)), [0, null, 1, null, 2, 3]);
    assert.deepEqual([1, 2, 4, 8].map((e) => rungAt(e, { min_epochs: 2, reduction_factor: 2 })), [null, 0, 1, 2]);
  });

  it('keeps the top 1/reduction_factor at a rung and prunes the rest', () => {
    const peers = [curve(0, [0.8]), curve(1, [0.7]), curve(2, [0.6]), curve(3, [0.5]), curve(4, [0.4])];
    // 6 trials at rung 0: the top 2 go on.
    assert.deepEqual(asha().decide(5, 0, [...peers, curve(5, [0.75])]), { prune: false });
    const pruned = asha().decide(5, 0, [...peers, curve(5, [0.65])]);
    assert.equal(pruned.prune && pruned.rule, 'asha');
    assert.match(pruned.prune ? pruned.reason : '', /rung 0 \(epoch 1\): val_acc 0\.6500 below the top 2 of 6 \(cutoff 0\.7000\)/);
  });

  it('never prunes between rungs, before min_peers have reached the rung, or a trial at the top', () => {
    const trials = [curve(0, [0.9, 0.9]), curve(1, [0.8, 0.8]), curve(2, [0.7, 0.1])];
    assert.deepEqual(asha().decide(2, 1, trials), { prune: false }); // epoch 2 is not a rung
    assert.deepEqual(asha({ min_peers: 3 }).decide(2, 0, trials), { prune: false }); // 2 peers < 3
    assert.equal(asha({ min_peers: 2 }).decide(2, 0, trials).prune, true);
    assert.deepEqual(asha({ min_peers: 2 }).decide(0, 0, trials), { prune: false });
  });

  it('prunes a trial without a finite accuracy at a rung, and ranks peers without one last', () => {
    assert.equal(asha().decide(0, 0, [curve(0, [null])]).prune, true);
    const trials = [curve(0, [null]), curve(1, [null]), curve(2, [null]), curve(3, [0.2])];
    assert.deepEqual(asha().decide(3, 0, trials), { prune: false });
  });
});

describe('median pruner', () => {
  const completed = [curve(0, [0.6, 0.8, 0.85], 'completed'), curve(1, [0.7, 0.82, 0.86], 'completed'), curve(2, [0.5, 0.6, 0.7], 'completed')];

  it('prunes when the best value so far is below the median of completed trials at that epoch', () => {
    const opts = { startup_trials: 3, warmup_epochs: 1 };
    assert.equal(median([0.8, 0.82, 0.6]), 0.8);
    assert.equal(median([1, 2, 3, 4]), 2.5);
    const low = medianPruner(opts).decide(3, 1, [...completed, curve(3, [0.65, 0.7])]);
    assert.equal(low.prune && low.rule, 'median');
    assert.match(low.prune ? low.reason : '', /epoch 2: best val_acc 0\.7000 below the median 0\.8000 of 3 completed trials/);
    // The best so far counts, not the last value.
    assert.deepEqual(medianPruner(opts).decide(3, 1, [...completed, curve(3, [0.81, 0.7])]), { prune: false });
  });

  it('waits for its warm-up epochs and startup trials', () => {
    const bad = curve(3, [0.1, 0.1]);
    assert.deepEqual(medianPruner({ startup_trials: 3, warmup_epochs: 2 }).decide(3, 1, [...completed, bad]), { prune: false });
    assert.deepEqual(medianPruner({ startup_trials: 4, warmup_epochs: 1 }).decide(3, 1, [...completed, bad]), { prune: false });
    // Running and pruned trials are not in the median.
    const others = [curve(0, [0.9, 0.9], 'running'), curve(1, [0.9, 0.9], 'pruned')];
    assert.deepEqual(medianPruner({ startup_trials: 0, warmup_epochs: 0 }).decide(3, 1, [...others, bad]), { prune: false });
  });
});

describe('health rules', () => {
  const step = (s: number, loss: number | null) => ({ event: 'step', epoch: 0, step: s, loss, lr: 0.1, mom: 0.9, images_per_s: 100 }) as const;
  const stats = (s: number, dead: number): TrainerEvent => ({
    event: 'stats', epoch: 0, step: s,
    layers: [{ name: 'block0', mean: 0, std: 1, hist: new Array<number>(40).fill(0), dead: 0.1 }, { name: 'block1', mean: 0, std: 1, hist: new Array<number>(40).fill(0), dead }],
  });

  it('prunes a diverging loss once, after its warm-up', () => {
    const monitor = createHealthMonitor(HEALTH_DEFAULTS);
    // Losses from a real max_lr=10 run: down to 1.23, then back up past 2x that and chance level.
    const losses: Array<[number, number]> = [[0, 2.66], [10, 2.13], [20, 1.81], [35, 1.23], [65, 2.06], [80, 2.73], [90, 3.71]];
    const decisions = losses.map(([s, l]) => monitor.observe(step(s, l)));
    assert.deepEqual(decisions.slice(0, 5).map((d) => d.prune), [false, false, false, false, false]);
    const at80 = decisions[5]!;
    assert.equal(at80.prune && at80.rule, 'divergence');
    assert.match(at80.prune ? at80.reason : '', /loss diverged at step 80: 2\.730 > 2 x its lowest 1\.230 and > 2\.5/);
    assert.equal(decisions[6]!.prune, false); // decided once
  });

  it('does not call a high loss before the warm-up, or below min_loss, divergence', () => {
    const monitor = createHealthMonitor(HEALTH_DEFAULTS);
    assert.equal(monitor.observe(step(0, 0.5)).prune, false);
    assert.equal(monitor.observe(step(10, 9)).prune, false); // still warming up
    assert.equal(monitor.observe(step(30, 2.4)).prune, false); // 4.8x but below 2.5
  });

  it('prunes after K consecutive windows of dead activations, and a healthy window resets the count', () => {
    const options: HealthOptions = { ...HEALTH_DEFAULTS, dead_activations: { max_ratio: 0.9, windows: 3, warmup_steps: 100 } };
    const monitor = createHealthMonitor(options);
    const seq: Array<[number, number]> = [[50, 0.99], [100, 0.95], [150, 0.95], [200, 0.5], [250, 0.95], [300, 0.96], [350, 0.97]];
    const verdicts = seq.map(([s, d]) => monitor.observe(stats(s, d)));
    assert.deepEqual(verdicts.map((v) => v.prune), [false, false, false, false, false, false, true]);
    const last = verdicts[6]!;
    assert.match(last.prune ? last.reason : '', /block1 dead ratio 0\.970 > 0\.9 for 3 stats windows \(step 350\)/);
  });

  it('turns a rule off with false', () => {
    const monitor = createHealthMonitor({ dead_activations: false, divergence: false });
    assert.equal(monitor.observe(step(0, 1)).prune, false);
    assert.equal(monitor.observe(step(100, 50)).prune, false);
    for (let s = 100; s < 1000; s += 50) assert.equal(monitor.observe(stats(s, 1)).prune, false);
  });
});
