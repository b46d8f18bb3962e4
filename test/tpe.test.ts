import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Space } from '../contracts/space';
import type { HyperValue } from '../contracts/trial-config';
import { createRandomSearcher } from '../searcher/random';
import type { Observation, Searcher } from '../searcher/searcher';
import { pointKey } from '../searcher/space-points';
import { createTpeSearcher } from '../searcher/tpe';
import { kernelLogPdf, numericAxis, sampleKernel } from '../searcher/tpe/kernels';
import { logNdtr, logNormalMass, ndtri, sampleStandardTruncated } from '../searcher/tpe/normal';
import { buildParzenEstimator, estimatorLogPdf } from '../searcher/tpe/parzen-estimator';
import { defaultWeights, gamma, splitTrials } from '../searcher/tpe/split-trials';
import { createRng } from '../searcher/rng';
import { assertFits, parsed } from './support/spaces';

const close = (actual: number, expected: number, tol: number) => assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
const obs = (trial: number, params: Record<string, HyperValue>, value: number | null, state: Observation['state'] = 'completed'): Observation => ({ trial, params, state, value });

describe('normal distribution helpers', () => {
  it('match reference values of log Phi, Phi^-1 and interval masses, tails included', () => {
    // Reference values from Python's math.erfc and statistics.NormalDist.
    close(logNdtr(-20), -203.91715537109724, 1e-6);
    close(logNdtr(-1), -1.8410216450092634, 1e-6);
    close(logNdtr(2), -0.02301290932896349, 1e-8);
    close(logNdtr(-40), -804.6078, 1e-2);
    close(ndtri(1e-10), -6.361340902404056, 1e-7);
    close(ndtri(0.9), 1.2815515655446008, 1e-7);
    close(logNormalMass(3, 4), -6.6314677865382246, 1e-6);
    close(logNormalMass(-1, 1), -0.38171514630212616, 1e-6);
    assert.equal(logNormalMass(1, 1), -Infinity);
  });

  it('draws truncated normals inside their bounds with the right mean', () => {
    fc.assert(fc.property(fc.double({ min: -30, max: 30, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (a, width, u) => {
      const x = sampleStandardTruncated(a, a + width, u);
      assert.ok(x >= a && x <= a + width, `${x} outside [${a}, ${a + width}]`);
    }));
    let sum = 0;
    for (let i = 0; i < 20000; i++) sum += sampleStandardTruncated(0, 2, (i + 0.5) / 20000);
    close(sum / 20000, 0.7227897522452308, 1e-4);
  });
});

describe('splitting trials', () => {
  it('takes 10% rounded up as good, at most 25', () => {
    assert.deepEqual([1, 10, 11, 100, 250, 1000].map(gamma), [1, 1, 2, 10, 25, 25]);
  });

  it('weights flat up to 25 observations, then ramps the older ones from 1/n to 1', () => {
    assert.deepEqual(defaultWeights(3), [1, 1, 1]);
    const w = defaultWeights(35);
    assert.equal(w.length, 35);
    close(w[0]!, 1 / 35, 1e-12);
    close(w[9]!, 1, 1e-12);
    assert.ok(w.slice(10).every((x) => x === 1));
    assert.ok(w.slice(0, 10).every((x, i) => i === 0 || x > w[i - 1]!));
  });

  it('keeps the best completed trials below, puts running ones above under the liar, ignores the rest', () => {
    const history = [
      obs(0, {}, 0.5), obs(1, {}, 0.9), obs(2, {}, null, 'running'), obs(3, {}, null, 'failed'),
      obs(4, {}, Number.NaN), obs(5, {}, null, 'stopped'), obs(6, {}, 0.7),
    ];
    const liar = splitTrials(history, true);
    assert.deepEqual(liar.below.map((o) => o.trial), [1]);
    assert.deepEqual(liar.above.map((o) => o.trial), [0, 2, 6]);
    assert.deepEqual(splitTrials(history, false).above.map((o) => o.trial), [0, 6]);
  });

  it('ranks pruned trials after completed ones, deeper first, then by their last value; they count towards gamma', () => {
    const pruned = (trial: number, values: Array<number | null>) => ({ ...obs(trial, {}, null, 'pruned'), values });
    // 11 model trials: gamma = 2, so the one completed trial and the deepest pruned one are good.
    const history = [
      obs(0, {}, 0.6), pruned(1, [0.9]), pruned(2, [0.5, 0.55]), pruned(3, [0.4, 0.7]), pruned(4, [null]),
      ...[5, 6, 7, 8, 9, 10].map((t) => pruned(t, [0.1])),
    ];
    const split = splitTrials(history, true);
    assert.deepEqual(split.below.map((o) => o.trial), [0, 3]);
    assert.ok(split.above.some((o) => o.trial === 4));
    assert.equal(split.below.length + split.above.length, 11);
  });
});

describe('Parzen estimator', () => {
  const uniform = parsed({ params: { weight_decay: { type: 'uniform', low: 0, high: 1 } } }).params;

  it('sets each bandwidth from its neighbours, then clips to range / (kernels + 1)', () => {
    const e = buildParzenEstimator(uniform, { weight_decay: [0.6, 0.1, 0.9, 0.15, 0.62] }, [1, 1, 1, 1, 1], { priorWeight: 1 });
    const k = e.kernels.weight_decay!;
    assert.equal(k.kind, 'numeric');
    if (k.kind !== 'numeric') return;
    // Sorted: 0.1 0.15 0.6 0.62 0.9 between the bounds 0 and 1. Each takes its larger gap; the
    // outermost take their inner gap (0.05 for 0.1, 0.28 for 0.9); the clip raises 0.05 to 1/7.
    const expected = [0.45, 1 / 7, 0.28, 0.45, 0.28, 1];
    k.sigmas.forEach((s, i) => close(s, expected[i]!, 1e-12));
    assert.deepEqual(k.mus, [0.6, 0.1, 0.9, 0.15, 0.62, 0.5]);
    e.weights.forEach((w) => close(w, 1 / 6, 1e-12));
  });

  it('is a probability distribution: int and categorical masses sum to 1, densities integrate to 1', () => {
    const space = parsed({ params: { crop_pad: { type: 'int', low: 1, high: 7, step: 2 }, batch_size: { type: 'int', low: 2, high: 300, log: true }, dropout: { type: 'uniform', low: 0.1, high: 0.4 }, flip_p: { type: 'categorical', values: [0, 0.5, 1] } } }).params;
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 12 }), (us) => {
      const e = buildParzenEstimator(space, {
        crop_pad: us.map((u) => 1 + 2 * Math.floor(u * 4)),
        batch_size: us.map((u) => Math.round(2 + u * 298)),
        dropout: us.map((u) => 0.1 + 0.3 * u),
        flip_p: us.map((u) => Math.floor(u * 3)),
      }, defaultWeights(us.length), { priorWeight: 1 });
      const total = (name: string, values: number[]) => values.reduce((s, v) => s + Math.exp(estimatorLogPdf({ ...e, names: [name] }, { [name]: v })), 0);
      close(total('crop_pad', [1, 3, 5, 7]), 1, 1e-6);
      close(total('batch_size', Array.from({ length: 299 }, (_, i) => i + 2)), 1, 1e-6);
      close(total('flip_p', [0, 1, 2]), 1, 1e-9);
      const n = 3000;
      close(total('dropout', Array.from({ length: n }, (_, i) => 0.1 + (0.3 * (i + 0.5)) / n)) * (0.3 / n), 1, 1e-3);
    }), { numRuns: 20 });
  });

  it('samples log int params on whole numbers inside the bounds', () => {
    const spec = parsed({ params: { batch_size: { type: 'int', low: 16, high: 512, log: true } } }).params.batch_size!;
    if (spec.type === 'categorical') return;
    const axis = numericAxis(spec);
    const rng = createRng(3);
    const e = buildParzenEstimator({ batch_size: spec }, { batch_size: [16, 20, 500] }, [1, 1, 1], { priorWeight: 1 });
    for (let i = 0; i < 500; i++) {
      const v = sampleKernel(e.kernels.batch_size!, i % 4, rng);
      assert.ok(Number.isInteger(v) && v >= 16 && v <= 512, `${v}`);
      assert.ok(Number.isFinite(kernelLogPdf(e.kernels.batch_size!, i % 4, v)));
    }
    close(Math.exp(axis.low), 15.5, 1e-9);
  });
});

describe('TPE searcher', () => {
  const space2d = (seed: number, extra: Record<string, unknown> = {}): Space =>
    parsed({ seed, searcher: 'tpe', params: { dropout: { type: 'uniform', low: 0, high: 0.9 }, flip_p: { type: 'uniform', low: 0, high: 1 } }, ...extra });
  const quadratic = (p: Record<string, HyperValue>) => -(((p.dropout as number) - 0.3) ** 2 + ((p.flip_p as number) - 0.7) ** 2);
  const run = (searcher: Searcher, budget: number, f: (p: Record<string, HyperValue>) => number): Observation[] => {
    const history: Observation[] = [];
    for (let t = 0; t < budget; t++) {
      const p = searcher.suggest(t, history);
      history.push(obs(t, p, f(p)));
    }
    return history;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it('suggests what random search would before n_startup_trials have completed', () => {
    const space = space2d(4);
    const history = [obs(0, { dropout: 0.1, flip_p: 0.1 }, 0.5), obs(1, { dropout: 0.2, flip_p: 0.2 }, null, 'running')];
    assert.deepEqual(createTpeSearcher(space).suggest(2, history), createRandomSearcher(space).suggest(2, history));
  });

  it('samples log ints uniformly in log space before the model starts', () => {
    const space = parsed({ searcher: 'tpe', params: { batch_size: { type: 'int', low: 2, high: 2048, log: true } } });
    const values = Array.from({ length: 400 }, (_, t) => createTpeSearcher(space).suggest(t, []).batch_size as number);
    assert.ok(values.every((v) => Number.isInteger(v) && v >= 2 && v <= 2048));
    // Below 64 lies half the log range; a linear sampler would put 3% of the draws there.
    const below = values.filter((v) => v < 64).length;
    assert.ok(below > 160 && below < 240, `${below} of 400 below 64`);
  });

  it('finds a 2-D quadratic optimum far better than random search at 60 trials (median over 15 seeds)', () => {
    const regret = (make: (s: Space) => Searcher) => median(Array.from({ length: 15 }, (_, seed) => -Math.max(...run(make(space2d(seed)), 60, quadratic).map((o) => o.value!))));
    const tpe = regret(createTpeSearcher);
    const random = regret(createRandomSearcher);
    // Measured about 10x; a broken split, sign or kernel lands near random.
    assert.ok(tpe < random / 3, `median regret tpe ${tpe} vs random ${random}`);
  });

  it('is multivariate by default, and concentrates near the optimum in independent mode too', () => {
    const history = run(createRandomSearcher(space2d(1)), 30, quadratic);
    const independent = createTpeSearcher(space2d(1, { tpe: { multivariate: false } })).suggest(30, history);
    const joint = createTpeSearcher(space2d(1, { tpe: { multivariate: true } })).suggest(30, history);
    assert.notDeepEqual(joint, independent);
    assert.deepEqual(createTpeSearcher(space2d(1)).suggest(30, history), joint);
    const finals = Array.from({ length: 9 }, (_, seed) => Math.max(...run(createTpeSearcher(space2d(seed, { tpe: { multivariate: false } })), 50, quadratic).map((o) => o.value!)));
    assert.ok(median(finals) > -0.002, `median best ${median(finals)}`);
  });

  it('depends only on the history, not its order', () => {
    const history = run(createRandomSearcher(space2d(2)), 20, quadratic);
    const a = createTpeSearcher(space2d(2)).suggest(20, history);
    assert.deepEqual(createTpeSearcher(space2d(2)).suggest(20, [...history].reverse()), a);
    assert.notDeepEqual(createTpeSearcher(space2d(3)).suggest(20, history), a);
  });

  it('counts running trials as bad under the constant liar', () => {
    const history = run(createRandomSearcher(space2d(5)), 20, quadratic);
    const best = history.reduce((a, b) => (b.value! > a.value! ? b : a));
    // Eight trials running at the best point: the liar pushes the suggestion away from it.
    const running = Array.from({ length: 8 }, (_, i) => obs(20 + i, { ...best.params }, null, 'running'));
    const distance = (p: Record<string, HyperValue>) => Math.hypot((p.dropout as number) - (best.params.dropout as number), (p.flip_p as number) - (best.params.flip_p as number));
    const spread = (liar: boolean) => median(Array.from({ length: 15 }, (_, s) => distance(createTpeSearcher(space2d(s, { tpe: { constant_liar: liar } })).suggest(28, [...history, ...running]))));
    assert.ok(spread(true) > spread(false), `liar ${spread(true)} vs none ${spread(false)}`);
  });

  it('never repeats a point of a discrete space until every point has been tried', () => {
    const space = parsed({ seed: 9, searcher: 'tpe', tpe: { n_startup_trials: 3 }, params: { crop_pad: { type: 'int', low: 0, high: 4, step: 2 }, batch_size: { type: 'categorical', values: [64, 128, 256, 512] }, erase_p: { type: 'categorical', values: [0, 0.5] }, erase_count: { type: 'int', low: 1, high: 2, condition: { param: 'erase_p', equals: 0.5 } } } });
    // 3 crop_pad x 4 batch sizes x (1 without erasing + 2 erase counts) = 36 points.
    const history = run(createTpeSearcher(space), 36, (p) => (p.batch_size as number) / 512 - (p.crop_pad as number) / 10);
    assert.equal(new Set(history.map((o) => pointKey(space.params, o.params))).size, 36);
    history.forEach((o) => assertFits(space, o.params));
  });

  it('samples conditional params only under their parent value, in the model phase too', () => {
    const space = parsed({ searcher: 'tpe', tpe: { n_startup_trials: 2 }, params: { erase_p: { type: 'categorical', values: [0, 0.5] }, erase_size: { type: 'uniform', low: 0.1, high: 0.5, condition: { param: 'erase_p', equals: 0.5 } } } });
    const history = run(createTpeSearcher(space), 40, (p) => (p.erase_p === 0.5 ? 1 - Math.abs((p.erase_size as number) - 0.2) : 0.5));
    history.forEach((o) => assertFits(space, o.params));
    const late = history.slice(20);
    assert.ok(late.filter((o) => o.params.erase_p === 0.5).length >= 14, 'the better branch should dominate late trials');
  });
});
