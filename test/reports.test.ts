/**
 * The report's parts on their own: importance, the lr-range rule, the PNG encoder, the charts, and
 * a whole report built from a recorded-looking sweep.
 */
import assert from 'node:assert/strict';
import { crc32, inflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { parseSpace } from '../contracts/space';
import type { SweepEvent } from '../contracts/sweep-events';
import type { SweepStatus, TrialRecord } from '../contracts/sweep-workflow';
import { heatmap, lineChart, parallelCoordinates } from '../reports/charts';
import { buildReport } from '../reports/html-report';
import { paramImportance } from '../reports/importance';
import { smoothLosses, suggestLrRange } from '../reports/lr-range';
import { encodePng } from '../reports/png';
import { trialCurves } from '../reports/trial-curves';
import { createRng } from '../searcher/rng';

describe('hyperparameter importance', () => {
  it('gives the param that decides the accuracy nearly all of the share, and noise almost none', () => {
    const random = createRng(5);
    const trials = Array.from({ length: 40 }, () => {
      const lr = 10 ** (-4 + 3 * random());
      return { params: { max_lr: lr, dropout: random(), batch_size: [64, 128][Math.floor(random() * 2)]! }, value: 0.9 - 0.1 * (Math.log10(lr) + 2.5) ** 2 };
    });
    const [first, ...rest] = paramImportance(['dropout', 'max_lr', 'batch_size'], trials);
    assert.equal(first!.param, 'max_lr');
    assert.ok(first!.epsilon2 > 0.8, `max_lr epsilon2 ${first!.epsilon2}`);
    for (const r of rest) assert.ok(r.epsilon2 < 0.15, `${r.param} epsilon2 ${r.epsilon2}`);
    assert.ok(Math.abs(first!.share + rest.reduce((a, r) => a + r.share, 0) - 1) < 1e-12);
  });

  it('groups a categorical param by value: exactly 1 when the value decides everything', () => {
    const trials = ['a', 'b', 'a', 'b', 'c'].map((v) => ({ params: { opt: v }, value: v === 'a' ? 0.9 : v === 'b' ? 0.8 : 0.5 }));
    assert.equal(paramImportance(['opt'], trials)[0]!.epsilon2, 1);
    assert.equal(paramImportance(['opt'], trials.map((t) => ({ ...t, value: 0.7 })))[0]!.epsilon2, 0, 'no variance, no importance');
  });

  it('counts only the trials that had the (conditional) param', () => {
    const trials: Array<{ params: Record<string, number>; value: number }> = [{ params: { a: 1 }, value: 0.5 }, { params: { a: 2, b: 1 }, value: 0.6 }, { params: { a: 3, b: 2 }, value: 0.7 }];
    const b = paramImportance(['a', 'b'], trials).find((r) => r.param === 'b')!;
    assert.equal(b.trials, 2);
  });
});

describe('the lr range rule', () => {
  // A loss that falls fastest around lr 1e-3 (a logistic step in log lr), bottoms out at 0.3 and
  // blows up after it.
  const lrs = Array.from({ length: 100 }, (_, i) => 1e-6 * 10 ** (7 * (i / 99)));
  const losses = lrs.map((lr) => {
    const x = Math.log10(lr);
    return 2.3 - 1.8 / (1 + Math.exp(-3 * (x + 3))) + (x > -0.5 ? 4 * (x + 0.5) ** 2 : 0);
  });

  it('finds the steepest descent and the minimum, suggests minimum / 10 and a range up to minimum / 3', () => {
    const s = suggestLrRange(lrs, losses);
    assert.ok(s.steepest > 3e-4 && s.steepest < 4e-3, `steepest ${s.steepest}`);
    assert.ok(s.minimum > 0.1 && s.minimum < 1, `minimum ${s.minimum}`);
    assert.equal(s.suggested, s.minimum / 10);
    assert.deepEqual(s.range, [s.steepest, s.minimum / 3]);
  });

  it('stops smoothing at the first non-finite loss and refuses a test too short to read', () => {
    assert.equal(smoothLosses([1, 1, Number.NaN, 1]).length, 2);
    assert.equal(smoothLosses([2, 2, 2])[2], 2, 'debiased: a constant stays constant');
    assert.throws(() => suggestLrRange(lrs.slice(0, 5), losses.slice(0, 5)), /only 5 finite losses/);
  });
});

describe('the PNG encoder', () => {
  it('writes a valid PNG whose pixels inflate back to the RGBA rows', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 9, 9, 9, 255]);
    const png = encodePng(2, 2, rgba);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.readUInt32BE(16), 2);
    assert.equal(png.readUInt32BE(20), 2);
    const idatLength = png.readUInt32BE(33);
    const rows = inflateSync(png.subarray(41, 41 + idatLength));
    assert.deepEqual([...rows], [0, ...rgba.subarray(0, 8), 0, ...rgba.subarray(8)]);
    // Each chunk's CRC-32 over its type and data, as zlib computes it.
    assert.equal(png.readUInt32BE(29), crc32(png.subarray(12, 29)));
    assert.equal(png.readUInt32BE(41 + idatLength), crc32(png.subarray(37, 41 + idatLength)));
  });
});

describe('charts', () => {
  it('draw one path per series and one dot per point, with the values in a tooltip', () => {
    const svg = lineChart({ id: 'c', title: 'T', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[1, 2], [2, 3]], style: 'both' }, { name: 'b', points: [[1, 1], [3, 0]] }] });
    assert.equal(svg.match(/<path class="series"/g)?.length, 2);
    assert.equal(svg.match(/<circle /g)?.length, 2);
    assert.match(svg, /<title>a: 2, 3<\/title>/);
    assert.match(lineChart({ id: 'e', title: 'E', xLabel: 'x', yLabel: 'y', series: [] }), /no data yet/);
  });

  it('skip an axis where a line has no value (a conditional param)', () => {
    const svg = parallelCoordinates({
      id: 'p',
      title: 'P',
      axes: [{ name: 'a', kind: 'linear' }, { name: 'b', kind: 'categorical', categories: ['"x"', '"y"'] }, { name: 'c', kind: 'log' }],
      lines: [{ label: 'one', values: [1, '"x"', 0.01], shade: 0 }, { label: 'two', values: [2, null, 0.1], shade: 1 }],
    });
    const paths = [...svg.matchAll(/<path class="series pc" d="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(paths[0]!.split('L').length, 3);
    assert.equal(paths[1]!.split('L').length, 2);
  });

  it('draw a heatmap as one embedded PNG of columns x rows', () => {
    const svg = heatmap({ id: 'h', title: 'H', xLabel: 'step', yLabel: 'v', columns: [0, 5, 10], cells: [[1, 2], [3, 4], [5, 6]], rowRange: [0, 10] });
    const png = Buffer.from(/data:image\/png;base64,([^"]+)/.exec(svg)![1]!, 'base64');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [3, 2]);
  });
});

describe('the HTML report', () => {
  const space = parseSpace({
    name: 'r',
    trials: 3,
    params: { max_lr: { type: 'loguniform', low: 0.001, high: 0.1 }, batch_size: { type: 'categorical', values: [64, 128] } },
  });
  assert.ok(space.ok);
  const record = (trial: number, state: TrialRecord['state'], valAcc: number | null): TrialRecord => ({
    trial, state, params: { seed: trial, max_lr: 0.01 * (trial + 1), batch_size: trial % 2 ? 64 : 128 }, reason: state === 'pruned' ? 'trailing' : null, rule: state === 'pruned' ? 'asha' : null,
    metrics: valAcc === null ? null : { val_acc: valAcc, val_loss: 0.5, epochs: 2, seconds: 10 }, values: valAcc === null ? [] : [valAcc - 0.1, valAcc],
  });
  const trials = [record(0, 'completed', 0.8), record(1, 'pruned', 0.6), record(2, 'completed', 0.85)];
  const status: SweepStatus = { sweepId: 'r-1', name: 'r', state: 'completed', budget: 3, parallel: 1, queue: 'cpu', searched: ['max_lr', 'batch_size'], trials, best: trials[2]! };
  const event = (trial: number, attempt: number, ts: number, data: SweepEvent['data']): SweepEvent => ({ v: 1, sweep: 'r-1', trial, attempt, node: 'n', ts, data });
  const layer = (dead: number) => ({ name: 'block0', mean: 0.1, std: 1, hist: Array.from({ length: 40 }, (_, i) => (i === 0 ? 50 : 1)), dead });
  const events: SweepEvent[] = [
    event(2, 1, 1, { event: 'step', epoch: 0, step: 0, loss: 2.3, lr: 0.001, mom: 0.95, images_per_s: 100 }),
    event(2, 1, 2, { event: 'stats', epoch: 0, step: 0, layers: [layer(0.5)] }),
    event(2, 1, 3, { event: 'epoch', epoch: 0, train_loss: 1, val_loss: 1, val_acc: 0.5, seconds: 1, images_per_s: 100 }),
    // Attempt 2 resumed from epoch 0's checkpoint: its epoch 1 replaces the first attempt's.
    event(2, 2, 4, { event: 'stats', epoch: 1, step: 10, layers: [layer(0.4)] }),
    event(2, 2, 5, { event: 'epoch', epoch: 1, train_loss: 0.5, val_loss: 0.4, val_acc: 0.85, seconds: 1, images_per_s: 100 }),
    event(2, 1, 6, { event: 'epoch', epoch: 1, train_loss: 0.9, val_loss: 0.9, val_acc: 0.7, seconds: 1, images_per_s: 100 }),
  ];

  it('keeps the latest attempt\'s value of each epoch and step', () => {
    const curves = trialCurves(events).get(2)!;
    assert.deepEqual(curves.epochs.map((e) => e.valAcc), [0.5, 0.85]);
    assert.deepEqual(curves.stats.map((s) => s.step), [0, 10]);
  });

  it('has every chart, no script and nothing fetched from elsewhere', () => {
    const html = buildReport({ status, space: space.space, curves: trialCurves(events), chosen: [2], generatedAt: new Date(0) });
    const charts = [...html.matchAll(/data-chart="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(charts, ['history', 'parallel', 'importance', 'curves-val-acc', 'curves-train-loss', 'dead-2', 'colorful-2-block0']);
    assert.doesNotMatch(html, /<script|<link|src="http|href="http/);
    assert.match(html, /Trial 2: completed, val_acc 0\.8500/);
    assert.match(html, /asha: trailing/);
  });
});
